import ArgumentParser
import DoralakeStore

/// `doralake migrate`: brings the database schema up to date.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the database schema.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let environment = Environment()
        let logger = try options.logger(environment)
        let url = try options.databaseURL(environment)
        let store = try await Store.open(url, options: try options.storeOptions(environment), logger: logger)
        try await store.withRunningWriter {}
        print("database \(url) is at schema version \(Store.schemaVersion)")
    }
}
