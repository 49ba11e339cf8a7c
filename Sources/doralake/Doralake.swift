import ArgumentParser

/// `doralake`: the receiver for engineering-delivery webhooks and the DORA metrics computed from them.
@main
struct Doralake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doralake",
        abstract: "Receive DevLake-compatible delivery webhooks and compute DORA metrics.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, WebhookCommand.self, ProjectCommand.self, MetricsCommand.self, RecomputeCommand.self,
            ImportCommand.self, ExportCommand.self, EventsCommand.self,
        ])
}
