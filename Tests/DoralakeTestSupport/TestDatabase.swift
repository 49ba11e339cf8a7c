import DoralakeStore
import Foundation
import Logging
import PostgresNIO

/// The databases the store contract runs against: SQLite always; PostgreSQL when
/// `DORALAKE_TEST_POSTGRES_URL` names a server (a role that may create databases). Every test gets
/// a database of its own: a new SQLite file (removed afterwards), or a new PostgreSQL database
/// (dropped by the next test run).
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
            await Self.earlierRunsDropped.value
            let name = Self.runPrefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await Self.administer(server, "CREATE DATABASE \(name)")
            // Not dropped here: every DROP DATABASE forces an immediate checkpoint of the whole
            // cluster (fsync of every dirty file), and hundreds of them during a parallel run held
            // other tests' connections past their 5 s lease timeout ("the database is not
            // reachable"). The next test run drops them before its first test (below).
            return try await body(.postgres(url: try Self.url(server, database: name)))
        }
    }

    /// The name prefix of this process's test databases.
    static let runPrefix = "doralake_t_" + String(UInt32.random(in: 0...UInt32.max), radix: 16) + "_"

    /// Drops the test databases that earlier runs left (those of this process's prefix excepted),
    /// once, before this process creates its first one: drops running beside the tests force
    /// cluster checkpoints among them (tried: CI went red with "the database is not reachable").
    /// A database still in use (another test process) is not dropped.
    private static let earlierRunsDropped: Task<Void, Never> = Task {
        guard let server = postgresURL else { return }
        var logger = Logger(label: "test-database")
        logger.logLevel = .critical
        guard let names = try? await databaseNames(server, logger: logger) else { return }
        for name in names where name.hasPrefix("doralake_t_") && !name.hasPrefix(runPrefix) {
            try? await administerOnce(server, "DROP DATABASE IF EXISTS \(name)")
        }
    }

    private static func databaseNames(_ server: String, logger: Logger) async throws -> [String] {
        let connection = try await PostgresConnection.connect(configuration: try administrationConfiguration(server), id: 1, logger: logger)
        do {
            var names: [String] = []
            let rows = try await connection.query("SELECT datname FROM pg_database", logger: logger)
            for try await name in rows.decode(String.self) { names.append(name) }
            try await connection.close()
            return names
        } catch {
            try? await connection.close()
            throw error
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

    /// `server` with its database path replaced by `database`, and `sslmode=disable` unless
    /// `server` names a mode: the test server has TLS on (for the sslmode tests), and the default
    /// `prefer` made every pooled connection of every test do a TLS handshake and SCRAM in a debug
    /// build; when the PostgreSQL tests start together, those connections took longer than the
    /// 5 s lease timeout on a 2-core machine. `PostgresTLSTests` covers the encrypted modes.
    public static func url(_ server: String, database: String) throws -> String {
        guard var components = URLComponents(string: server) else { throw TestDatabaseError.badURL(server) }
        components.path = "/" + database
        var query = components.queryItems ?? []
        if !query.contains(where: { $0.name == "sslmode" }) {
            query.append(URLQueryItem(name: "sslmode", value: "disable"))
            components.queryItems = query
        }
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
        var logger = Logger(label: "test-database")
        logger.logLevel = .critical
        let connection = try await PostgresConnection.connect(configuration: try administrationConfiguration(server), id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

extension TestDatabase {
    /// A connection to the server's own database (the one in `server`), for creating and dropping.
    fileprivate static func administrationConfiguration(_ server: String) throws -> PostgresConnection.Configuration {
        guard let components = URLComponents(string: server), let host = components.host, let user = components.user else {
            throw TestDatabaseError.badURL(server)
        }
        return PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.drop { $0 == "/" }), tls: .disable)
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
