import DoralakeTestSupport
import Foundation
import Logging
import Testing

@testable import DoralakeStore

/// `sslmode` against a real TLS-enabled PostgreSQL (scripts/postgres-local.sh gives the test
/// server a self-signed certificate for "localhost" only): what each mode accepts, and whether the
/// session the server sees is encrypted.
@Suite(
    "PostgreSQL sslmode on a TLS-enabled server",
    .enabled(
        if: TestDatabase.postgresURL != nil && TestDatabase.postgresTLSRoot != nil,
        "set DORALAKE_TEST_POSTGRES_URL and DORALAKE_TEST_POSTGRES_TLS_ROOT (scripts/postgres-local.sh prints both)"))
struct PostgresTLSTests {
    /// The test server's URL with another host and these query parameters.
    static func url(host: String, _ parameters: [String: String]) -> String {
        var components = URLComponents(string: TestDatabase.postgresURL!)!
        components.host = host
        components.queryItems = parameters.isEmpty ? nil : parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string!
    }

    /// Connects through the driver and asks the server whether this session uses TLS.
    static func sessionUsesTLS(_ url: String) async throws -> Bool {
        var logger = Logger(label: "tls-test")
        logger.logLevel = .critical
        let driver = try PostgresDriver.open(url: url, poolSize: 2, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { connections in
            connections.addTask { await driver.runConnections() }
            defer { connections.cancelAll() }
            try await driver.checkReachable()
            let ssl = try await driver.withReadConnection { db in
                try await db.raw("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first()?
                    .decode(column: "ssl", as: Bool.self)
            }
            return try #require(ssl)
        }
    }

    static var root: String { TestDatabase.postgresTLSRoot! }

    @Test("disable connects in clear; prefer (the default) and require encrypt without checking the certificate")
    func modesWithoutVerification() async throws {
        #expect(try await Self.sessionUsesTLS(Self.url(host: "127.0.0.1", ["sslmode": "disable"])) == false)
        #expect(try await Self.sessionUsesTLS(Self.url(host: "127.0.0.1", [:])) == true)
        #expect(try await Self.sessionUsesTLS(Self.url(host: "127.0.0.1", ["sslmode": "prefer"])) == true)
        #expect(try await Self.sessionUsesTLS(Self.url(host: "127.0.0.1", ["sslmode": "require"])) == true)
    }

    @Test("verify-ca checks the chain only; verify-full also the host name")
    func verifyingModes() async throws {
        // The certificate names localhost, not 127.0.0.1: verify-ca accepts it, verify-full does not.
        #expect(try await Self.sessionUsesTLS(Self.url(host: "127.0.0.1", ["sslmode": "verify-ca", "sslrootcert": Self.root])))
        #expect(try await Self.sessionUsesTLS(Self.url(host: "localhost", ["sslmode": "verify-full", "sslrootcert": Self.root])))
        await #expect(throws: StoreError.self) {
            _ = try await Self.sessionUsesTLS(Self.url(host: "127.0.0.1", ["sslmode": "verify-full", "sslrootcert": Self.root]))
        }
    }

    @Test("a self-signed server certificate is refused by verify-full without its root")
    func untrustedCertificate() async throws {
        // Without sslrootcert the system's roots apply, and they do not include the test certificate.
        await #expect(throws: StoreError.self) {
            _ = try await Self.sessionUsesTLS(Self.url(host: "localhost", ["sslmode": "verify-full"]))
        }
    }

    @Test("an unknown sslmode is a configuration error naming the value")
    func unknownMode() async throws {
        let error = await #expect(throws: StoreError.self) {
            _ = try await Self.sessionUsesTLS(Self.url(host: "127.0.0.1", ["sslmode": "sometimes"]))
        }
        guard case .configuration(let message)? = error else {
            Issue.record("expected a configuration error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("sslmode \"sometimes\""), "\(message)")
        #expect(!message.contains("doralake:doralake@"), "the password is not shown: \(message)")
    }
}
