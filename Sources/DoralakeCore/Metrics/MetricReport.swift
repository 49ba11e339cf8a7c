/// The DORA report whose benchmarks classify the metrics (§8), chosen per request with the
/// `report` parameter.
public enum MetricReport: String, CaseIterable, Sendable {
    /// The 2021 Accelerate State of DevOps report, as DevLake encodes it.
    case r2021 = "2021"
    /// The 2023 report, as DevLake encodes it; the default.
    case r2023 = "2023"
    /// The 2024 report's published performance clusters (a Doralake addition).
    case r2024 = "2024"
    /// The 2025 report, which defines archetypes instead of tiers (a Doralake addition).
    case r2025 = "2025"

    /// The report used when a request names none (DevLake's default).
    public static let `default`: MetricReport = .r2023

    /// Reads the `report` request parameter.
    ///
    /// - Parameter text: The parameter as sent; `nil` or empty selects ``default``.
    /// - Returns: The selected report.
    /// - Throws: ``MetricParameterError`` naming `report` when the text is not a known report.
    public static func parse(_ text: String?) throws -> MetricReport {
        guard let text, !text.isEmpty else { return .default }
        guard let report = MetricReport(rawValue: text) else {
            throw MetricParameterError(parameter: "report", message: "must be one of 2021, 2023, 2024 or 2025")
        }
        return report
    }
}

/// A DORA performance tier.
public enum Tier: String, CaseIterable, Sendable {
    /// The best-performing tier.
    case elite
    /// The second tier.
    case high
    /// The third tier.
    case medium
    /// The lowest tier.
    case low
}
