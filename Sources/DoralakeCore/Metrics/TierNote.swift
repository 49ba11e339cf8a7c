/// The `tierNote` texts that explain a `tier: null` (§8.2, §8.3, §6.4–§6.6).
public enum TierNote {
    /// §8.3: every metric under `report=2025`.
    public static let report2025 =
        "The 2025 DORA report defines archetypes, not performance tiers; Doralake does not derive tiers for it."
    /// §6.6: deployment rework rate under every report.
    public static let deploymentReworkRate = "No published tiers for deployment rework rate."
    /// §8.2: change failure rate under `report=2024`.
    public static let changeFailureRate2024 =
        "The 2024 DORA report's clusters are not ordered on change failure rate (medium has a lower rate than high), "
        + "so no tiers follow from them; compare with the published values in benchmark."
    /// §8.2: failed deployment recovery time under `report=2024`.
    public static let failedDeploymentRecoveryTime2024 =
        "The 2024 DORA report's clusters are not ordered on failed deployment recovery time (high and medium share "
        + "less than one day, and nothing covers one day to one week), so no tiers follow from them; "
        + "compare with the published values in benchmark."
    /// §6.4: failed deployment recovery time under `report=2021`.
    public static let failedDeploymentRecoveryTime2021 =
        "The 2021 report has no failed deployment recovery time; it tiers time to restore service instead."
    /// §6.5: time to restore service under reports 2023 and 2024.
    public static let timeToRestoreServiceAfter2021 =
        "Only the 2021 report tiers time to restore service; "
        + "later reports tier failed deployment recovery time instead."

    /// The note for a metric that has no tier under `report`, or `nil` when it has tiers.
    ///
    /// - Parameters:
    ///   - metric: The metric.
    ///   - report: The selected report.
    /// - Returns: The note, or `nil` when the report tiers the metric.
    public static func note(for metric: BenchmarkMetric, report: MetricReport) -> String? {
        if metric == .deploymentReworkRate { return deploymentReworkRate }
        if report == .r2025 { return report2025 }
        switch (metric, report) {
        case (.changeFailureRate, .r2024): return changeFailureRate2024
        case (.failedDeploymentRecoveryTime, .r2024): return failedDeploymentRecoveryTime2024
        case (.failedDeploymentRecoveryTime, .r2021): return failedDeploymentRecoveryTime2021
        case (.timeToRestoreService, .r2023), (.timeToRestoreService, .r2024): return timeToRestoreServiceAfter2021
        default: return nil
        }
    }
}
