import DoralakeCore

/// The metrics API's JSON for tools outside the server (the CLI prints the same document).
public enum MetricsRendering {
    /// The `data` object of a metrics response.
    public static func json(project: String?, range: MetricRange, report: MetricReport, results: [MetricResult]) -> JSONValue {
        MetricsJSON.document(project: project, range: range, report: report, results: results, includeSeries: true)
    }
}
