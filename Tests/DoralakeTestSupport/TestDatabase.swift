import DoralakeStore
import Foundation
import Logging
import PostgresNIO

/// The databases the store contract runs against: SQLite always; PostgreSQL when
/// `DORALAKE_TEST_POSTGRES_URL` names a server (a role that may create databases). Every test gets
/// a database of its own: a new SQLite file, or a new PostgreSQL database dropped afterwards.
public enum TestDatabase: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The environment variable that enables the PostgreSQL runs.
    public static let postgresVariable = "DORALAKE_TEST_POSTGRES_URL"

    /// The server the PostgreSQL runs use, if configured.
    public static var postgresURL: String? {
        guard let text = ProcessInfo.processInfo.environment[postgresVariable], !text.isEmpty else { return nil }
        return text
    }

    /// The environment variable naming the trusted root of the test server's TLS certificate
    /// (`scripts/postgres-local.sh` makes one for "localhost"); enables the sslmode tests.
    public static let postgresTLSRootVariable = "DORALAKE_TEST_POSTGRES_TLS_ROOT"

    /// The test server's TLS root certificate file, if configured.
    public static var postgresTLSRoot: String? {
        guard let path = ProcessInfo.processInfo.environment[postgresTLSRootVariable], !path.isEmpty else { return nil }
        return path
    }

    /// The databases available on this machine. When PostgreSQL is not configured, says once on
    /// standard error that its runs are skipped and how to enable them.
    public static var available: [TestDatabase] {
        if postgresURL != nil { return [.sqlite, .postgres] }
        announceSkip
        return [.sqlite]
    }

    private static let announceSkip: Void = {
        FileHandle.standardError.write(
            Data(
                """
                note: the PostgreSQL store contract runs are SKIPPED: set \(postgresVariable)=postgres://user:pass@127.0.0.1:5432/db \
                (a role with CREATEDB; scripts/postgres-local.sh sets one up) to run every store and server test on PostgreSQL too.

                """.utf8))
    }()

    public var description: String { rawValue }

    /// Runs `body` with the URL of a new, empty database of this kind, removed afterwards.
    public func withFreshDatabase<T: Sendable>(_ body: @Sendable (DatabaseURL) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-db-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            return try await body(.sqlite(path: directory.appendingPathComponent("test.sqlite").path))
        case .postgres:
            guard let server = Self.postgresURL else { throw TestDatabaseError.notConfigured }
            let name = "doralake_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await Self.administer(server, "CREATE DATABASE \(name)")
            do {
                let result = try await body(.postgres(url: try Self.url(server, database: name)))
                try await Self.administer(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                return result
            } catch {
                try? await Self.administer(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                throw error
            }
        }
    }

    /// Runs `body` once per available database, each time on a new one; a failure names the
    /// database it happened on.
    public static func forEachAvailable(_ body: @Sendable (TestDatabase, DatabaseURL) async throws -> Void) async throws {
        for database in available {
            do {
                try await database.withFreshDatabase { url in try await body(database, url) }
            } catch {
                throw OnDatabase(database: database, error: error)
            }
        }
    }

    /// `server` with its database path replaced by `database`.
    public static func url(_ server: String, database: String) throws -> String {
        guard var components = URLComponents(string: server) else { throw TestDatabaseError.badURL(server) }
        components.path = "/" + database
        guard let text = components.string else { throw TestDatabaseError.badURL(server) }
        return text
    }

    /// Runs one statement on `server` over a connection of its own; tries again a few times, since
    /// many tests create and drop databases at once (PostgreSQL may refuse one for a moment).
    public static func administer(_ server: String, _ statement: String) async throws {
        var attempt = 1
        while true {
            do {
                return try await administerOnce(server, statement)
            } catch where attempt < 5 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    private static func administerOnce(_ server: String, _ statement: String) async throws {
        guard let components = URLComponents(string: server), let host = components.host, let user = components.user else {
            throw TestDatabaseError.badURL(server)
        }
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.drop { $0 == "/" }), tls: .disable)
        var logger = Logger(label: "test-database")
        logger.logLevel = .critical
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// A test failure, with the database it happened on.
public struct OnDatabase: Error, CustomStringConvertible {
    public var database: TestDatabase
    public var error: any Error
    public var description: String { "on \(database): \(String(reflecting: error))" }
}

/// Why a test database could not be made.
public enum TestDatabaseError: Error, CustomStringConvertible {
    case notConfigured
    case badURL(String)

    public var description: String {
        switch self {
        case .notConfigured: return "\(TestDatabase.postgresVariable) is not set"
        case .badURL: return "\(TestDatabase.postgresVariable) is not a postgres:// URL"
        }
    }
}
