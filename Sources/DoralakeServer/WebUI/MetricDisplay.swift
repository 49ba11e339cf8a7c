import DoralakeCore
import Foundation

/// How the UI prints metric results: names, values with units, tiers with their benchmark bands,
/// sample sizes and the reasons for missing data.
enum MetricDisplay {
    /// The dashboard's tiles for a report: the four keys (recovery time as that report defines
    /// it) plus rework rate.
    static func tileKeys(for report: MetricReport) -> [MetricKey] {
        [
            .deploymentFrequency, .leadTimeForChanges, .changeFailureRate,
            report == .r2021 ? .timeToRestoreService : .failedDeploymentRecoveryTime, .deploymentReworkRate,
        ]
    }

    /// The four DORA keys of a report (the overview's columns).
    static func fourKeys(for report: MetricReport) -> [MetricKey] { Array(tileKeys(for: report).prefix(4)) }

    /// Issue metrics shown under the tiles.
    static let issueKeys: [MetricKey] = [
        .requirementDeliveryRate, .requirementGranularity, .bugAge, .incidentAge, .bugCountPer1kLoc,
        .incidentCountPer1kLoc,
    ]

    static func name(_ key: MetricKey) -> String {
        switch key {
        case .deploymentFrequency: return "Deployment frequency"
        case .leadTimeForChanges: return "Lead time for changes"
        case .changeFailureRate: return "Change failure rate"
        case .failedDeploymentRecoveryTime: return "Failed deployment recovery time"
        case .timeToRestoreService: return "Time to restore service"
        case .deploymentReworkRate: return "Deployment rework rate"
        case .requirementDeliveryRate: return "Requirement delivery rate"
        case .requirementGranularity: return "Requirement granularity"
        case .bugAge: return "Bug age"
        case .incidentAge: return "Incident age"
        case .bugCountPer1kLoc: return "Bugs per 1k lines of code"
        case .incidentCountPer1kLoc: return "Incidents per 1k lines of code"
        }
    }

    /// A value in the metric's unit: ratios as percentages, other numbers with up to two decimals.
    static func value(_ value: Double, unit: String) -> String {
        if unit == "ratio" { return percent(value) }
        return plain(value)
    }

    /// The unit as printed after a value.
    static func unitText(_ unit: String) -> String { unit == "ratio" ? "" : unit }

    /// A number with up to two decimals and no trailing zeros.
    static func plain(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(format: "%.2f", rounded).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// Minutes also in hours or days, where that reads better (`1091 minutes ≈ 18.2 hours`).
    static func approximation(_ value: Double, unit: String) -> String? {
        guard unit == "minutes", value >= 60 else { return nil }
        if value < 2_880 { return String(format: "≈ %.1f hours", value / 60) }
        return String(format: "≈ %.1f days", value / 1_440)
    }

    /// The printed form of a series value.
    static func formatter(for unit: String) -> @Sendable (Double) -> String {
        let ratio: @Sendable (Double) -> String = { percent($0) }
        let number: @Sendable (Double) -> String = { plain($0) }
        return unit == "ratio" ? ratio : number
    }

    /// The benchmark band of the result's tier in its report, without the `(tier)` suffix, e.g.
    /// `Less than one day`.
    static func band(of result: MetricResult, report: MetricReport) -> String? {
        guard let tier = result.tier, let metric = BenchmarkMetric(rawValue: result.key.rawValue) else { return nil }
        guard let row = Benchmarks.rows(for: report, metric: metric).first(where: { $0.tier == tier }) else { return nil }
        let suffix = "(\(tier.rawValue))"
        return row.label.hasSuffix(suffix) ? String(row.label.dropLast(suffix.count)) : row.label
    }

    /// The sample behind the value: `n = 4`, or `1 of 4` for ratios.
    static func sample(of result: MetricResult) -> String? {
        if let numerator = result.numerator, let denominator = result.denominator {
            return "n = \(denominator) (\(numerator) of \(denominator))"
        }
        if let n = result.n { return "n = \(n)" }
        return nil
    }

    /// Why a metric has no value, in words.
    static func reason(_ reason: String?) -> String {
        switch reason {
        case "no_deployments": return "No production deployments yet."
        case "no_deployments_in_range": return "No production deployments in this range."
        case "no_incidents": return "No incidents posted yet."
        case "no_attributed_pull_requests": return "No pull requests attributed to a deployment in this range."
        case "no_recovered_failures": return "No failed deployment was recovered in this range."
        case "no_resolved_incidents": return "No incident was resolved in this range."
        case "no_rework_signals": return "No incidents or rework flags posted yet."
        case "no_requirements": return "No requirements posted yet."
        case "no_estimated_requirements": return "No requirement with story points in this range."
        case "no_resolved_bugs": return "No bug was resolved in this range."
        case "no_lines_of_code": return "No commits or pull requests with line counts in this range."
        case let other?: return "Not enough data (\(other.replacingOccurrences(of: "_", with: " ")))."
        case nil: return "Not enough data."
        }
    }

    /// A CSS class for a tier badge.
    static func tierClass(_ tier: Tier?) -> String { "tier tier-\(tier?.rawValue ?? "none")" }
}
