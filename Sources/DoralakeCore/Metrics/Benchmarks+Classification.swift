extension Benchmarks {
    /// Classifies deployment frequency (§6.1) by the report's rows, top to bottom.
    ///
    /// The label is the figure of the matching tier plus `(tier)`: 2023/2024
    /// `"1 deployment days per week(high)"`, `"0 deployment days per month(low)"`; 2021
    /// `"5 deployment days per month(high)"`, `"4 deployment days per six months(medium)"`.
    /// For 2025 the tier is `nil`, the note is ``TierNote/report2025`` and the label shows the figure
    /// the default report (2023) would show, without a suffix.
    ///
    /// - Parameters:
    ///   - weekly: `W`, the lower median of weekly deployment days.
    ///   - monthly: `M`, the lower median of monthly deployment days.
    ///   - sixMonthly: `S`, the six-month figure.
    ///   - report: The selected report.
    /// - Returns: The tier, label and note.
    public static func classifyDeploymentFrequency(
        weekly: Int, monthly: Int, sixMonthly: Int, report: MetricReport
    ) -> TierResult {
        let figure = deploymentFrequencyFigure(weekly: weekly, monthly: monthly, sixMonthly: sixMonthly, report: report)
        let (tier, note) = classify(.deploymentFrequency, report: report) { bound in
            bound.matches(weekly: weekly, monthly: monthly, sixMonthly: sixMonthly)
        }
        return TierResult(tier: tier, label: figure.text + suffix(tier), tierNote: note)
    }

    /// The figure a deployment-frequency label shows (§6.1): the figure of the first matching tier;
    /// the low tier shows the figure of the tier above it. A report without tiers uses the default
    /// report's choice.
    ///
    /// - Parameters:
    ///   - weekly: `W`.
    ///   - monthly: `M`.
    ///   - sixMonthly: `S`.
    ///   - report: The selected report.
    /// - Returns: The period and value; the value is the metric's `value`.
    public static func deploymentFrequencyFigure(
        weekly: Int, monthly: Int, sixMonthly: Int, report: MetricReport
    ) -> DeploymentFrequencyFigure {
        var tiers = rows(for: report, metric: .deploymentFrequency)
        if !tiers.contains(where: { $0.bound != nil }) {
            tiers = rows(for: .default, metric: .deploymentFrequency)
        }
        var figure = DeploymentFrequencyFigure(period: .month, value: monthly)
        for row in tiers {
            guard let bound = row.bound else { continue }
            switch bound {
            case .weeklyDeploymentDaysAtLeast: figure = DeploymentFrequencyFigure(period: .week, value: weekly)
            case .monthlyDeploymentDaysAtLeast: figure = DeploymentFrequencyFigure(period: .month, value: monthly)
            case .sixMonthlyDeploymentDaysAtLeast:
                figure = DeploymentFrequencyFigure(period: .sixMonths, value: sixMonthly)
            default: break
            }
            if bound.matches(weekly: weekly, monthly: monthly, sixMonthly: sixMonthly) { break }
        }
        return figure
    }

    /// Classifies lead time for changes (§6.2). Label `"<hours, one decimal>(tier)"`:
    /// 1091 min → `"18.2(elite)"` (2023), `"18.2(high)"` (2021).
    ///
    /// - Parameters:
    ///   - minutes: The lower median of the cycle times, in minutes.
    ///   - report: The selected report; 2024 uses the 2023 thresholds, 2025 has no tiers.
    /// - Returns: The tier, label and note.
    public static func classifyLeadTime(minutes: Double, report: MetricReport) -> TierResult {
        classifyDuration(.leadTimeForChanges, minutes: minutes, report: report)
    }

    /// Classifies failed deployment recovery time (§6.4) with the 2023 thresholds. Reports 2021
    /// (no such metric), 2024 (unordered clusters) and 2025 give no tier. Label as lead time:
    /// 345 min → `"5.8(high)"`.
    ///
    /// - Parameters:
    ///   - minutes: The lower median of the recovery times, in minutes.
    ///   - report: The selected report.
    /// - Returns: The tier, label and note.
    public static func classifyRecoveryTime(minutes: Double, report: MetricReport) -> TierResult {
        classifyDuration(.failedDeploymentRecoveryTime, minutes: minutes, report: report)
    }

    /// Classifies time to restore service (§6.5); only report 2021 has tiers. Label as lead time:
    /// 75 min → `"1.3(high)"`.
    ///
    /// - Parameters:
    ///   - minutes: The lower median of the incidents' lead times, in minutes.
    ///   - report: The selected report.
    /// - Returns: The tier, label and note.
    public static func classifyTimeToRestoreService(minutes: Double, report: MetricReport) -> TierResult {
        classifyDuration(.timeToRestoreService, minutes: minutes, report: report)
    }

    /// Classifies change failure rate (§6.3) with the exact fraction (`failed · 100 ≤ 5 · total`,
    /// no rounding first). Label `"<percent, one decimal>%(tier)"`: 1 of 4 → `"25.0%(low)"` (2023).
    /// Reports 2024 and 2025 give no tier.
    ///
    /// - Parameters:
    ///   - failed: Production deployments in range with a linked incident.
    ///   - total: Production deployments in range; when not positive the result is the N/A label
    ///     ``NotAvailableLabel/deployments`` without a tier.
    ///   - report: The selected report.
    /// - Returns: The tier, label and note.
    public static func classifyChangeFailureRate(failed: Int, total: Int, report: MetricReport) -> TierResult {
        guard total > 0 else { return TierResult(tier: nil, label: NotAvailableLabel.deployments, tierNote: nil) }
        let (tier, note) = classify(.changeFailureRate, report: report) { bound in
            switch bound {
            case .fractionAtMost(let percent): return failed * 100 <= percent * total
            case .fractionAbove(let percent): return failed * 100 > percent * total
            case .otherwise: return true
            default: return false
            }
        }
        return TierResult(
            tier: tier, label: LabelNumber.percent(numerator: failed, denominator: total) + "%" + suffix(tier),
            tierNote: note)
    }

    /// Labels deployment rework rate (§6.6), which no report tiers: 3 of 5 → `"60.0%"` with
    /// ``TierNote/deploymentReworkRate``.
    ///
    /// - Parameters:
    ///   - reworked: Rework deployments in range.
    ///   - total: Production deployments in range; when not positive the result is the N/A label
    ///     ``NotAvailableLabel/deploymentReworkRate``.
    /// - Returns: No tier, the label and the note.
    public static func classifyReworkRate(reworked: Int, total: Int) -> TierResult {
        guard total > 0 else {
            return TierResult(tier: nil, label: NotAvailableLabel.deploymentReworkRate, tierNote: nil)
        }
        return TierResult(
            tier: nil, label: LabelNumber.percent(numerator: reworked, denominator: total) + "%",
            tierNote: TierNote.deploymentReworkRate)
    }

    // MARK: - Private

    private static func classifyDuration(_ metric: BenchmarkMetric, minutes: Double, report: MetricReport) -> TierResult
    {
        let (tier, note) = classify(metric, report: report) { bound in
            switch bound {
            case .minutesBelow(let limit): return minutes < Double(limit)
            case .minutesAtLeast(let limit): return minutes >= Double(limit)
            case .otherwise: return true
            default: return false
            }
        }
        return TierResult(tier: tier, label: LabelNumber.hours(minutes: minutes) + suffix(tier), tierNote: note)
    }

    /// The first row of `report` for `metric` whose bound matches, or the note that explains why
    /// the metric has no tier under `report`.
    private static func classify(
        _ metric: BenchmarkMetric, report: MetricReport, matches: (BenchmarkBound) -> Bool
    ) -> (tier: Tier?, note: String?) {
        if let note = TierNote.note(for: metric, report: report) { return (nil, note) }
        for row in rows(for: report, metric: metric) {
            guard let bound = row.bound else { break }
            if matches(bound) { return (row.tier, nil) }
        }
        return (nil, nil)
    }

    private static func suffix(_ tier: Tier?) -> String {
        tier.map { "(\($0.rawValue))" } ?? ""
    }
}

extension BenchmarkBound {
    /// Whether the deployment-frequency figures satisfy this bound; `false` for other metrics' bounds.
    fileprivate func matches(weekly: Int, monthly: Int, sixMonthly: Int) -> Bool {
        switch self {
        case .weeklyDeploymentDaysAtLeast(let n): weekly >= n
        case .monthlyDeploymentDaysAtLeast(let n): monthly >= n
        case .sixMonthlyDeploymentDaysAtLeast(let n): sixMonthly >= n
        case .otherwise: true
        default: false
        }
    }
}
