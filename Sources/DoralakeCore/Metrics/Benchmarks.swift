/// The DORA benchmarks shipped with the service (§8), as data, and the classification of metric
/// values against them (``Benchmarks`` + Classification).
///
/// Reports 2021 and 2023 are exactly DevLake's encoding. Report 2024 reuses the 2023 thresholds
/// for deployment frequency and lead time (the bands are the same) and publishes change failure
/// rate and recovery time values for comparison only. Report 2025 and the deployment rework rate
/// have no rows.
public enum Benchmarks {
    /// Where the 2021 rows come from.
    public static let source2021 = "Apache DevLake DORA dashboard, 2021 report benchmarks"
    /// Where the 2023 rows come from.
    public static let source2023 = "Apache DevLake DORA dashboard, 2023 report benchmarks"
    /// Where the 2024 rows come from.
    public static let source2024 = "DORA Accelerate State of DevOps Report 2024, performance clusters"

    /// Every benchmark cell, grouped by report and metric, each group ordered elite to low.
    public static let rows: [BenchmarkRow] = rows2021 + rows2023 + rows2024

    /// The cells of one metric in one report, ordered elite to low; empty when the report does not
    /// benchmark the metric.
    ///
    /// - Parameters:
    ///   - report: The selected report.
    ///   - metric: The metric.
    /// - Returns: Zero or four rows.
    public static func rows(for report: MetricReport, metric: BenchmarkMetric) -> [BenchmarkRow] {
        rows.filter { $0.report == report && $0.metric == metric }
    }

    /// The 2024 cluster shares (§8.2); the low share is not yet verified.
    public static let clusterShares: [BenchmarkClusterShare] = [
        BenchmarkClusterShare(report: .r2024, tier: .elite, percent: 19, verified: true),
        BenchmarkClusterShare(report: .r2024, tier: .high, percent: 22, verified: true),
        BenchmarkClusterShare(report: .r2024, tier: .medium, percent: 35, verified: true),
        BenchmarkClusterShare(report: .r2024, tier: .low, percent: 25, verified: false),
    ]

    // MARK: - 2021 (DevLake)

    private static let rows2021: [BenchmarkRow] = [
        row(.r2021, .deploymentFrequency, .elite, .weeklyDeploymentDaysAtLeast(5), "On-demand(elite)"),
        row(
            .r2021, .deploymentFrequency, .high, .monthlyDeploymentDaysAtLeast(1),
            "Between once per day and once per month(high)"),
        row(
            .r2021, .deploymentFrequency, .medium, .sixMonthlyDeploymentDaysAtLeast(1),
            "Between once per month and once every 6 months(medium)"),
        row(.r2021, .deploymentFrequency, .low, .otherwise, "Fewer than once per six months(low)"),

        row(.r2021, .leadTimeForChanges, .elite, .minutesBelow(60), "Less than one hour(elite)"),
        row(.r2021, .leadTimeForChanges, .high, .minutesBelow(10_080), "Less than one week(high)"),
        row(.r2021, .leadTimeForChanges, .medium, .minutesBelow(259_200), "Between one week and six months(medium)"),
        row(.r2021, .leadTimeForChanges, .low, .minutesAtLeast(259_200), "More than six months(low)"),

        row(.r2021, .changeFailureRate, .elite, .fractionAtMost(percent: 15), "0-15%(elite)"),
        row(.r2021, .changeFailureRate, .high, .fractionAtMost(percent: 20), "16%-20%(high)"),
        row(.r2021, .changeFailureRate, .medium, .fractionAtMost(percent: 30), "21%-30%(medium)"),
        row(.r2021, .changeFailureRate, .low, .fractionAbove(percent: 30), "> 30%(low)"),

        row(.r2021, .timeToRestoreService, .elite, .minutesBelow(60), "Less than one hour(elite)"),
        row(.r2021, .timeToRestoreService, .high, .minutesBelow(1440), "Less than one day(high)"),
        row(.r2021, .timeToRestoreService, .medium, .minutesBelow(10_080), "Between one day and one week(medium)"),
        row(.r2021, .timeToRestoreService, .low, .minutesAtLeast(10_080), "More than one week(low)"),
    ]

    // MARK: - 2023 (DevLake)

    private static let rows2023: [BenchmarkRow] = [
        row(.r2023, .deploymentFrequency, .elite, .weeklyDeploymentDaysAtLeast(5), "On-demand(elite)"),
        row(
            .r2023, .deploymentFrequency, .high, .weeklyDeploymentDaysAtLeast(1),
            "Between once per day and once per week(high)"),
        row(
            .r2023, .deploymentFrequency, .medium, .monthlyDeploymentDaysAtLeast(1),
            "Between once per week and once per month(medium)"),
        row(.r2023, .deploymentFrequency, .low, .otherwise, "Fewer than once per month(low)"),

        row(.r2023, .leadTimeForChanges, .elite, .minutesBelow(1440), "Less than one day(elite)"),
        row(.r2023, .leadTimeForChanges, .high, .minutesBelow(10_080), "Between one day and one week(high)"),
        row(.r2023, .leadTimeForChanges, .medium, .minutesBelow(43_200), "Between one week and one month(medium)"),
        row(.r2023, .leadTimeForChanges, .low, .minutesAtLeast(43_200), "More than one month(low)"),

        row(.r2023, .changeFailureRate, .elite, .fractionAtMost(percent: 5), "0-5%(elite)"),
        row(.r2023, .changeFailureRate, .high, .fractionAtMost(percent: 10), "5%-10%(high)"),
        row(.r2023, .changeFailureRate, .medium, .fractionAtMost(percent: 15), "10%-15%(medium)"),
        row(.r2023, .changeFailureRate, .low, .fractionAbove(percent: 15), "> 15%(low)"),

        row(.r2023, .failedDeploymentRecoveryTime, .elite, .minutesBelow(60), "Less than one hour(elite)"),
        row(.r2023, .failedDeploymentRecoveryTime, .high, .minutesBelow(1440), "Less than one day(high)"),
        row(
            .r2023, .failedDeploymentRecoveryTime, .medium, .minutesBelow(10_080),
            "Between one day and one week(medium)"),
        row(.r2023, .failedDeploymentRecoveryTime, .low, .minutesAtLeast(10_080), "More than one week(low)"),
    ]

    // MARK: - 2024 (published clusters)

    private static let rows2024: [BenchmarkRow] = [
        row(
            .r2024, .deploymentFrequency, .elite, .weeklyDeploymentDaysAtLeast(5),
            "On demand (multiple deploys per day)(elite)"),
        row(
            .r2024, .deploymentFrequency, .high, .weeklyDeploymentDaysAtLeast(1),
            "Between once per day and once per week(high)"),
        row(
            .r2024, .deploymentFrequency, .medium, .monthlyDeploymentDaysAtLeast(1),
            "Between once per week and once per month(medium)"),
        row(.r2024, .deploymentFrequency, .low, .otherwise, "Between once per month and once every six months(low)"),

        row(.r2024, .leadTimeForChanges, .elite, .minutesBelow(1440), "Less than one day(elite)"),
        row(.r2024, .leadTimeForChanges, .high, .minutesBelow(10_080), "Between one day and one week(high)"),
        row(.r2024, .leadTimeForChanges, .medium, .minutesBelow(43_200), "Between one week and one month(medium)"),
        row(.r2024, .leadTimeForChanges, .low, .minutesAtLeast(43_200), "Between one month and six months(low)"),

        row(.r2024, .changeFailureRate, .elite, nil, "5%(elite)"),
        row(.r2024, .changeFailureRate, .high, nil, "20%(high)"),
        row(.r2024, .changeFailureRate, .medium, nil, "10%(medium)", verified: false),
        row(.r2024, .changeFailureRate, .low, nil, "40%(low)", verified: false),

        row(.r2024, .failedDeploymentRecoveryTime, .elite, nil, "Less than one hour(elite)", verified: false),
        row(.r2024, .failedDeploymentRecoveryTime, .high, nil, "Less than one day(high)", verified: false),
        row(.r2024, .failedDeploymentRecoveryTime, .medium, nil, "Less than one day(medium)", verified: false),
        row(.r2024, .failedDeploymentRecoveryTime, .low, nil, "Between one week and one month(low)", verified: false),
    ]

    private static func row(
        _ report: MetricReport, _ metric: BenchmarkMetric, _ tier: Tier, _ bound: BenchmarkBound?, _ label: String,
        verified: Bool = true
    ) -> BenchmarkRow {
        let source =
            switch report {
            case .r2021: source2021
            case .r2023: source2023
            case .r2024: source2024
            case .r2025: "DORA report 2025"
            }
        return BenchmarkRow(
            report: report, metric: metric, tier: tier, bound: bound, label: label, source: source, verified: verified)
    }
}
