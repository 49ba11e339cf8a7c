import ArgumentParser
import DoralakeCore
import DoralakeServer
import DoralakeStore
import Foundation
import Logging

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL: sqlite:PATH or postgres://user:pass@host:port/db (env DORALAKE_DATABASE_URL; default sqlite:doralake.sqlite).")
    var database: String?

    @Option(name: .long, help: "Most PostgreSQL connections of this instance (env DORALAKE_POSTGRES_POOL_SIZE; default 4; ignored for SQLite).")
    var postgresPoolSize: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (env DORALAKE_LOG_LEVEL; default info).")
    var logLevel: String?

    /// The database URL from the flag, else the environment, else the default.
    func databaseURL(_ environment: Environment) throws -> DatabaseURL {
        guard let text = database ?? environment["DORALAKE_DATABASE_URL"] else { return .defaultValue }
        do {
            return try DatabaseURL(parsing: text)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func logger(_ environment: Environment, label: String = "doralake") throws -> Logger {
        let levelText = logLevel ?? environment["DORALAKE_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError("log level \"\(levelText)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }

    /// Opens the store and establishes the key secret.
    func openStore(_ environment: Environment, logger: Logger) async throws -> (Store, KeyHasher, DatabaseURL) {
        let url = try databaseURL(environment)
        // The secret first: a missing one is a configuration error, reported before connecting.
        let secret = try SecretsBootstrap.keySecret(
            configured: environment["DORALAKE_KEY_SECRET"], dataDirectory: SecretsBootstrap.dataDirectory(for: url),
            logger: logger)
        let store = try await Store.open(url, options: try storeOptions(environment), logger: logger)
        return (store, KeyHasher(secret: secret), url)
    }

    /// Store options from the flags, else the environment.
    func storeOptions(_ environment: Environment) throws -> StoreOptions {
        let poolSize = try postgresPoolSize ?? environment.integer("DORALAKE_POSTGRES_POOL_SIZE") ?? 4
        guard (1...64).contains(poolSize) else {
            throw ValidationError("the PostgreSQL pool size must be between 1 and 64, not \(poolSize)")
        }
        let maxWaitMillis = try environment.integer("DORALAKE_DERIVATION_MAX_WAIT_MS") ?? 10_000
        guard (100...600_000).contains(maxWaitMillis) else {
            throw ValidationError("DORALAKE_DERIVATION_MAX_WAIT_MS must be between 100 and 600000, not \(maxWaitMillis)")
        }
        let pauseMillis = try environment.integer("DORALAKE_DERIVATION_PAUSE_MS")
        if let pauseMillis, !(0...5_000).contains(pauseMillis) {
            throw ValidationError("DORALAKE_DERIVATION_PAUSE_MS must be between 0 and 5000, not \(pauseMillis)")
        }
        let credentialCacheMillis = try environment.integer("DORALAKE_AUTH_CACHE_MS") ?? 5_000
        guard (0...60_000).contains(credentialCacheMillis) else {
            throw ValidationError("DORALAKE_AUTH_CACHE_MS must be between 0 and 60000, not \(credentialCacheMillis)")
        }
        return StoreOptions(
            postgresPoolSize: poolSize, derivationMaxWait: .milliseconds(maxWaitMillis),
            derivationPause: pauseMillis.map { .milliseconds($0) }, credentialCacheLifetime: .milliseconds(credentialCacheMillis),
            statementProfile: try environment.bool("DORALAKE_STATEMENT_PROFILE") ?? false)
    }
}

/// The process environment, read once at the entry point.
struct Environment {
    private let values: [String: String]

    init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    subscript(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String) throws -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text) else { throw ValidationError("\(name) must be an integer, not \"\(text)\"") }
        return value
    }

    /// A duration in seconds (decimals allowed, e.g. `2.5`); must be positive.
    func seconds(_ name: String) throws -> Duration? {
        guard let text = self[name] else { return nil }
        guard let value = Double(text), value.isFinite, value > 0, value <= 86_400 else {
            throw ValidationError("\(name) must be a number of seconds from 0 to 86400 (e.g. 30 or 2.5), not \"\(text)\"")
        }
        return .milliseconds(Int64((value * 1000).rounded(.up)))
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = self[name] else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ValidationError("\(name) must be true or false, not \"\(text)\"")
        }
    }
}
