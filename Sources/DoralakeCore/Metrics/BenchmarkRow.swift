/// One cell of a DORA benchmark table (§8): the tier a report gives a metric, the threshold that
/// classifies into it, and the published description.
public struct BenchmarkRow: Sendable, Equatable {
    /// The report that publishes the cell.
    public let report: MetricReport
    /// The benchmarked metric.
    public let metric: BenchmarkMetric
    /// The tier the cell describes.
    public let tier: Tier
    /// The threshold that classifies a value into ``tier``; `nil` when the published value is
    /// for comparison only and no threshold follows from it (2024 CFR and FDRT).
    public let bound: BenchmarkBound?
    /// The description shown for the tier, ending in `(tier)`, e.g. `"On-demand(elite)"`.
    public let label: String
    /// Where the cell comes from.
    public let source: String
    /// `false` while the cell awaits checking against its report (⚠ in the specification).
    public let verified: Bool

    /// Creates a row.
    public init(
        report: MetricReport, metric: BenchmarkMetric, tier: Tier, bound: BenchmarkBound?, label: String,
        source: String, verified: Bool
    ) {
        self.report = report
        self.metric = metric
        self.tier = tier
        self.bound = bound
        self.label = label
        self.source = source
        self.verified = verified
    }
}

/// The threshold of a benchmark cell. Checks run from elite to low; the first match wins.
public enum BenchmarkBound: Sendable, Equatable {
    /// `W ≥ n`: the lower median of weekly deployment days.
    case weeklyDeploymentDaysAtLeast(Int)
    /// `M ≥ n`: the lower median of monthly deployment days.
    case monthlyDeploymentDaysAtLeast(Int)
    /// `S ≥ n`: the six-month deployment-day figure (2021).
    case sixMonthlyDeploymentDaysAtLeast(Int)
    /// `< n` minutes.
    case minutesBelow(Int)
    /// `≥ n` minutes.
    case minutesAtLeast(Int)
    /// A fraction of at most `percent` / 100, compared exactly (`failed · 100 ≤ percent · total`).
    case fractionAtMost(percent: Int)
    /// A fraction above `percent` / 100, compared exactly (`failed · 100 > percent · total`).
    case fractionAbove(percent: Int)
    /// Every value not matched by an earlier tier.
    case otherwise

    /// The threshold as the specification writes it: `"W ≥ 5"`, `"< 1440"`, `"≤ 0.05"`, `"otherwise"`.
    public var text: String {
        switch self {
        case .weeklyDeploymentDaysAtLeast(let n): return "W ≥ \(n)"
        case .monthlyDeploymentDaysAtLeast(let n): return "M ≥ \(n)"
        case .sixMonthlyDeploymentDaysAtLeast(let n): return "S ≥ \(n)"
        case .minutesBelow(let n): return "< \(n)"
        case .minutesAtLeast(let n): return "≥ \(n)"
        case .fractionAtMost(let percent): return "≤ \(Self.fractionText(percent))"
        case .fractionAbove(let percent): return "> \(Self.fractionText(percent))"
        case .otherwise: return "otherwise"
        }
    }

    /// `5` → `"0.05"`, `30` → `"0.30"`.
    private static func fractionText(_ percent: Int) -> String {
        let hundredths = percent % 100
        return "\(percent / 100).\(hundredths < 10 ? "0" : "")\(hundredths)"
    }
}

/// The share of respondents in one published performance cluster (2024 report, §8.2).
public struct BenchmarkClusterShare: Sendable, Equatable {
    /// The report that publishes the share.
    public let report: MetricReport
    /// The cluster.
    public let tier: Tier
    /// The share in percent.
    public let percent: Int
    /// `false` while the share awaits checking against its report.
    public let verified: Bool

    /// Creates a share.
    public init(report: MetricReport, tier: Tier, percent: Int, verified: Bool) {
        self.report = report
        self.tier = tier
        self.percent = percent
        self.verified = verified
    }
}
