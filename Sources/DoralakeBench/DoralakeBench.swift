import ArgumentParser

/// `doralake-bench`: loads the metrics benchmark's data set and measures single writes.
/// `scripts/bench-metrics.sh` drives it together with `doralake serve`.
@main
struct DoralakeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doralake-bench",
        abstract: "Doralake metrics benchmark: deterministic data-set loader and write-latency probe.",
        subcommands: [LoadCommand.self, WriteLatencyCommand.self])
}
