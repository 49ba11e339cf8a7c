import ArgumentParser
import DoralakeStore
import Logging

/// Options shared by the benchmark's subcommands.
struct BenchOptions: ParsableArguments {
    @Option(help: "Database URL (sqlite:PATH).") var database: String

    @Option(help: "Log level of the store (default warning).") var logLevel: String = "warning"

    /// Opens (and migrates) the store.
    func openStore() async throws -> Store {
        let url: DatabaseURL
        do {
            url = try DatabaseURL(parsing: database)
        } catch {
            throw ValidationError("--database: \(error)")
        }
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        var logger = Logger(label: "doralake-bench") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return try await Store.open(url, logger: logger)
    }
}
