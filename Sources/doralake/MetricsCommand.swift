import ArgumentParser
import DoralakeCore
import DoralakeServer
import DoralakeStore
import Foundation

/// `doralake metrics`: the metrics of a project, read directly from the database.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Print a project's DORA and issue metrics.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup var options: DatabaseOptions
    @Option(help: "Project name.") var project: String
    @Option(help: "Start of the range (date or RFC 3339; default: six months before --to).") var from: String?
    @Option(help: "End of the range, inclusive (date or RFC 3339; default: now).") var to: String?
    @Option(help: "IANA time zone of the range and the buckets (default UTC).") var tz: String?
    @Option(help: "Benchmark report: 2021, 2023, 2024 or 2025 (default 2023).") var report: String?
    @Option(help: "Output: table, json or csv.") var format: Format = .table

    func run() async throws {
        let environment = Environment()
        let (store, _, _) = try await options.openStore(environment, logger: try options.logger(environment))
        let range: MetricRange
        let selectedReport: MetricReport
        do {
            range = try MetricRange.parse(
                from: from, to: to, tz: tz, now: WallClock.system.now(), defaultTimeZone: TimeZone(identifier: "UTC")!)
            guard let parsed = MetricReport(rawValue: report ?? MetricReport.default.rawValue) else {
                throw MetricParameterError(parameter: "report", message: "must be one of 2021, 2023, 2024, 2025")
            }
            selectedReport = parsed
        } catch let error as MetricParameterError {
            throw ValidationError("--\(error.parameter): \(error.message)")
        }
        let project = self.project
        let bounds = range.from...range.to
        let inputs = try await store.withRunningWriter { try await store.metricInputs(project: project, range: bounds) }
        guard let inputs else { throw ValidationError("project not found: \(project)") }
        let results = MetricDefinitions(inputs: inputs, range: range, report: selectedReport).compute()
        switch format {
        case .json:
            print(
                MetricsRendering.json(project: project, range: range, report: selectedReport, results: results).serialized())
        case .csv:
            print("metric,status,value,unit,tier,n,numerator,denominator,label")
            for result in results {
                let value: String = result.value.map(MetricDefinitions.format) ?? ""
                let tier: String = result.tier?.rawValue ?? ""
                let n: String = result.n.map { String($0) } ?? ""
                let numerator: String = result.numerator.map { String($0) } ?? ""
                let denominator: String = result.denominator.map { String($0) } ?? ""
                let fields: [String] = [
                    result.key.rawValue, result.status.rawValue, value, result.unit, tier, n, numerator, denominator,
                    result.label,
                ]
                print(fields.map(Self.csvField).joined(separator: ","))
            }
        case .table:
            print("project \(project), \(Timestamp.format(range.from)) … \(Timestamp.format(range.to)) (\(range.timeZoneName)), report \(selectedReport.rawValue)")
            let rows = results.map { result -> [String] in
                let size: String
                if let n = result.n {
                    size = "n=\(n)"
                } else if let numerator = result.numerator, let denominator = result.denominator {
                    size = "\(numerator)/\(denominator)"
                } else {
                    size = ""
                }
                let value = result.value.map { "\(MetricDefinitions.format($0)) \(result.unit)" } ?? "—"
                return [result.key.rawValue, value, result.tier?.rawValue ?? "—", size, result.label]
            }
            let header = ["metric", "value", "tier", "sample", "label"]
            let widths = (0..<header.count).map { column in
                ([header] + rows).map { $0[column].count }.max() ?? 0
            }
            for row in [header] + rows {
                print(zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
        }
    }

    private static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// `doralake recompute`: rebuilds all derived data from the stored entities.
struct RecomputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recompute", abstract: "Recompute all derived data (links, attribution, rework, chains).")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let environment = Environment()
        let (store, _, _) = try await options.openStore(environment, logger: try options.logger(environment))
        let projects = try await store.withRunningWriter { try await store.recomputeDerivedData() }
        print("recomputed derived data of \(projects) project(s)")
    }
}
