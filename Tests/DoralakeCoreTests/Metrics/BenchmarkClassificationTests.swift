import DoralakeCore
import Testing

/// Spec §6.1–§6.6 and §8: tiers, labels and tier notes per report.
struct BenchmarkClassificationTests {
    struct Frequency: Sendable, CustomTestStringConvertible {
        var weekly: Int
        var monthly: Int
        var sixMonthly: Int
        var report: MetricReport
        var tier: Tier?
        var label: String
        var testDescription: String { "W=\(weekly) M=\(monthly) S=\(sixMonthly) \(report.rawValue) → \(label)" }
    }

    static let frequencies: [Frequency] = [
        // §6.1 example 1
        Frequency(
            weekly: 1, monthly: 5, sixMonthly: 5, report: .r2023, tier: .high,
            label: "1 deployment days per week(high)"),
        Frequency(
            weekly: 1, monthly: 5, sixMonthly: 5, report: .r2021, tier: .high,
            label: "5 deployment days per month(high)"),
        // §6.1 example 2
        Frequency(
            weekly: 0, monthly: 0, sixMonthly: 4, report: .r2021, tier: .medium,
            label: "4 deployment days per six months(medium)"),
        Frequency(
            weekly: 0, monthly: 0, sixMonthly: 4, report: .r2023, tier: .low,
            label: "0 deployment days per month(low)"),
        // every branch
        Frequency(
            weekly: 5, monthly: 21, sixMonthly: 120, report: .r2023, tier: .elite,
            label: "5 deployment days per week(elite)"),
        Frequency(
            weekly: 5, monthly: 21, sixMonthly: 120, report: .r2021, tier: .elite,
            label: "5 deployment days per week(elite)"),
        Frequency(
            weekly: 4, monthly: 17, sixMonthly: 100, report: .r2023, tier: .high,
            label: "4 deployment days per week(high)"),
        Frequency(
            weekly: 0, monthly: 1, sixMonthly: 6, report: .r2023, tier: .medium,
            label: "1 deployment days per month(medium)"),
        Frequency(
            weekly: 0, monthly: 0, sixMonthly: 0, report: .r2021, tier: .low,
            label: "0 deployment days per six months(low)"),
        Frequency(
            weekly: 0, monthly: 0, sixMonthly: 0, report: .r2023, tier: .low,
            label: "0 deployment days per month(low)"),
        // 2024 uses the 2023 rules
        Frequency(
            weekly: 1, monthly: 5, sixMonthly: 5, report: .r2024, tier: .high,
            label: "1 deployment days per week(high)"),
        Frequency(
            weekly: 0, monthly: 2, sixMonthly: 9, report: .r2024, tier: .medium,
            label: "2 deployment days per month(medium)"),
        // 2025: no tier; the figure the default report would show
        Frequency(weekly: 1, monthly: 5, sixMonthly: 5, report: .r2025, tier: nil, label: "1 deployment days per week"),
        Frequency(
            weekly: 0, monthly: 0, sixMonthly: 1, report: .r2025, tier: nil, label: "0 deployment days per month"),
    ]

    @Test(
        "deployment frequency checks tiers top to bottom and labels the matching figure (§6.1)",
        arguments: frequencies)
    func deploymentFrequency(_ example: Frequency) {
        let result = Benchmarks.classifyDeploymentFrequency(
            weekly: example.weekly, monthly: example.monthly, sixMonthly: example.sixMonthly, report: example.report)
        #expect(result.tier == example.tier)
        #expect(result.label == example.label)
        #expect(result.tierNote == (example.report == .r2025 ? TierNote.report2025 : nil))
    }

    @Test(
        "deployment frequency's value is the figure in its label",
        arguments: [
            (MetricReport.r2023, DeploymentFrequencyFigure(period: .week, value: 1)),
            (.r2021, DeploymentFrequencyFigure(period: .month, value: 5)),
        ])
    func deploymentFrequencyFigure(_ report: MetricReport, _ figure: DeploymentFrequencyFigure) {
        #expect(Benchmarks.deploymentFrequencyFigure(weekly: 1, monthly: 5, sixMonthly: 5, report: report) == figure)
    }

    struct Duration: Sendable, CustomTestStringConvertible {
        var minutes: Double
        var report: MetricReport
        var tier: Tier?
        var label: String
        var testDescription: String { "\(minutes) min \(report.rawValue) → \(label)" }
    }

    static let leadTimes: [Duration] = [
        Duration(minutes: 1091, report: .r2023, tier: .elite, label: "18.2(elite)"),
        Duration(minutes: 1091, report: .r2021, tier: .high, label: "18.2(high)"),
        Duration(minutes: 1091, report: .r2024, tier: .elite, label: "18.2(elite)"),
        Duration(minutes: 70, report: .r2023, tier: .elite, label: "1.2(elite)"),
        Duration(minutes: 1439, report: .r2023, tier: .elite, label: "24.0(elite)"),
        Duration(minutes: 1440, report: .r2023, tier: .high, label: "24.0(high)"),
        Duration(minutes: 10079, report: .r2023, tier: .high, label: "168.0(high)"),
        Duration(minutes: 10080, report: .r2023, tier: .medium, label: "168.0(medium)"),
        Duration(minutes: 43199, report: .r2023, tier: .medium, label: "720.0(medium)"),
        Duration(minutes: 43200, report: .r2023, tier: .low, label: "720.0(low)"),
        Duration(minutes: 59, report: .r2021, tier: .elite, label: "1.0(elite)"),
        Duration(minutes: 60, report: .r2021, tier: .high, label: "1.0(high)"),
        Duration(minutes: 259_199, report: .r2021, tier: .medium, label: "4320.0(medium)"),
        Duration(minutes: 259_200, report: .r2021, tier: .low, label: "4320.0(low)"),
        Duration(minutes: 1091, report: .r2025, tier: nil, label: "18.2"),
    ]

    @Test("lead time is labelled in hours and tiered in minutes (§6.2)", arguments: leadTimes)
    func leadTime(_ example: Duration) {
        let result = Benchmarks.classifyLeadTime(minutes: example.minutes, report: example.report)
        let note = example.report == .r2025 ? TierNote.report2025 : nil
        #expect(result == TierResult(tier: example.tier, label: example.label, tierNote: note))
    }

    static let recoveryTimes: [Duration] = [
        Duration(minutes: 345, report: .r2023, tier: .high, label: "5.8(high)"),
        Duration(minutes: 59, report: .r2023, tier: .elite, label: "1.0(elite)"),
        Duration(minutes: 60, report: .r2023, tier: .high, label: "1.0(high)"),
        Duration(minutes: 1440, report: .r2023, tier: .medium, label: "24.0(medium)"),
        Duration(minutes: 10079, report: .r2023, tier: .medium, label: "168.0(medium)"),
        Duration(minutes: 10080, report: .r2023, tier: .low, label: "168.0(low)"),
    ]

    @Test("failed deployment recovery time uses the 2023 tiers (§6.4)", arguments: recoveryTimes)
    func recoveryTime(_ example: Duration) {
        #expect(
            Benchmarks.classifyRecoveryTime(minutes: example.minutes, report: example.report)
                == TierResult(tier: example.tier, label: example.label, tierNote: nil))
    }

    @Test(
        "failed deployment recovery time has no tier outside 2023 (§6.4, §8.2, §8.3)",
        arguments: [
            (MetricReport.r2021, TierNote.failedDeploymentRecoveryTime2021),
            (.r2024, TierNote.failedDeploymentRecoveryTime2024),
            (.r2025, TierNote.report2025),
        ])
    func recoveryTimeWithoutTier(_ report: MetricReport, _ note: String) {
        #expect(
            Benchmarks.classifyRecoveryTime(minutes: 345, report: report)
                == TierResult(tier: nil, label: "5.8", tierNote: note))
    }

    @Test(
        "time to restore service is tiered by report 2021 only (§6.5)",
        arguments: [
            (MetricReport.r2021, TierResult(tier: .high, label: "1.3(high)", tierNote: nil)),
            (.r2023, TierResult(tier: nil, label: "1.3", tierNote: TierNote.timeToRestoreServiceAfter2021)),
            (.r2024, TierResult(tier: nil, label: "1.3", tierNote: TierNote.timeToRestoreServiceAfter2021)),
            (.r2025, TierResult(tier: nil, label: "1.3", tierNote: TierNote.report2025)),
        ])
    func timeToRestoreService(_ report: MetricReport, _ expected: TierResult) {
        #expect(Benchmarks.classifyTimeToRestoreService(minutes: 75, report: report) == expected)
    }

    struct FailureRate: Sendable, CustomTestStringConvertible {
        var failed: Int
        var total: Int
        var report: MetricReport
        var tier: Tier?
        var label: String
        var testDescription: String { "\(failed)/\(total) \(report.rawValue) → \(label)" }
    }

    static let failureRates: [FailureRate] = [
        // §6.3 examples
        FailureRate(failed: 1, total: 4, report: .r2023, tier: .low, label: "25.0%(low)"),
        FailureRate(failed: 1, total: 4, report: .r2021, tier: .medium, label: "25.0%(medium)"),
        FailureRate(failed: 0, total: 1, report: .r2023, tier: .elite, label: "0.0%(elite)"),
        FailureRate(failed: 1, total: 1, report: .r2023, tier: .low, label: "100.0%(low)"),
        // exact thresholds
        FailureRate(failed: 1, total: 20, report: .r2023, tier: .elite, label: "5.0%(elite)"),
        FailureRate(failed: 2, total: 20, report: .r2023, tier: .high, label: "10.0%(high)"),
        FailureRate(failed: 3, total: 20, report: .r2023, tier: .medium, label: "15.0%(medium)"),
        FailureRate(failed: 4, total: 20, report: .r2023, tier: .low, label: "20.0%(low)"),
        FailureRate(failed: 3, total: 20, report: .r2021, tier: .elite, label: "15.0%(elite)"),
        FailureRate(failed: 4, total: 20, report: .r2021, tier: .high, label: "20.0%(high)"),
        FailureRate(failed: 6, total: 20, report: .r2021, tier: .medium, label: "30.0%(medium)"),
        FailureRate(failed: 7, total: 20, report: .r2021, tier: .low, label: "35.0%(low)"),
        // 0.050001 rounds to 0.0500 at four decimals (DevLake: elite); the exact fraction is above 5 %.
        FailureRate(failed: 50_001, total: 1_000_000, report: .r2023, tier: .high, label: "5.0%(high)"),
    ]

    @Test("change failure rate compares the exact fraction (§6.3)", arguments: failureRates)
    func changeFailureRate(_ example: FailureRate) {
        #expect(
            Benchmarks.classifyChangeFailureRate(failed: example.failed, total: example.total, report: example.report)
                == TierResult(tier: example.tier, label: example.label, tierNote: nil))
    }

    @Test(
        "change failure rate has no tier in reports 2024 and 2025 (§8.2, §8.3)",
        arguments: [
            (MetricReport.r2024, TierNote.changeFailureRate2024), (.r2025, TierNote.report2025),
        ])
    func changeFailureRateWithoutTier(_ report: MetricReport, _ note: String) {
        #expect(
            Benchmarks.classifyChangeFailureRate(failed: 1, total: 4, report: report)
                == TierResult(tier: nil, label: "25.0%", tierNote: note))
    }

    @Test("change failure rate without deployments is N/A, not 0 %")
    func changeFailureRateWithoutDeployments() {
        #expect(
            Benchmarks.classifyChangeFailureRate(failed: 0, total: 0, report: .r2023)
                == TierResult(tier: nil, label: NotAvailableLabel.deployments, tierNote: nil))
    }

    @Test(
        "rework rate has no tier in any report (§6.6)", arguments: [(3, 5, "60.0%"), (2, 5, "40.0%"), (0, 4, "0.0%")])
    func reworkRate(_ reworked: Int, _ total: Int, _ label: String) {
        #expect(
            Benchmarks.classifyReworkRate(reworked: reworked, total: total)
                == TierResult(tier: nil, label: label, tierNote: "No published tiers for deployment rework rate."))
    }

    @Test("rework rate without deployments is N/A")
    func reworkRateWithoutDeployments() {
        #expect(Benchmarks.classifyReworkRate(reworked: 0, total: 0).label == NotAvailableLabel.deploymentReworkRate)
    }

    @Test("the 2025 note is the one the specification gives (§8.3)")
    func report2025Note() {
        #expect(
            TierNote.report2025
                == "The 2025 DORA report defines archetypes, not performance tiers; "
                + "Doralake does not derive tiers for it."
        )
    }

    @Test(
        "N/A labels are DevLake's texts (§6.1–§6.6)",
        arguments: [
            (NotAvailableLabel.deploymentFrequency, "N/A. Please check if you have collected deployments."),
            (
                NotAvailableLabel.leadTimeForChanges,
                "N/A. Please check if you have collected deployments/pull_requests."
            ),
            (
                NotAvailableLabel.failedDeploymentRecoveryTime,
                "N/A. Please check if you have collected deployments or incidents."
            ),
            (NotAvailableLabel.timeToRestoreService, "N/A. Please check if you have collected incidents."),
            (NotAvailableLabel.deploymentReworkRate, "N/A. Please check if you have collected deployments."),
        ])
    func notAvailableLabels(_ label: String, _ expected: String) {
        #expect(label == expected)
    }

    @Test(
        "change failure rate's N/A label names what is missing (§6.3)",
        arguments: [
            (false, true, "N/A. Please check if you have collected deployments." as String?),
            (true, false, "N/A. Please check if you have collected incidents."),
            (false, false, "N/A. Please check if you have collected deployments/incidents."),
            (true, true, nil),
        ])
    func changeFailureRateNotAvailable(_ deployments: Bool, _ incidents: Bool, _ expected: String?) {
        #expect(
            NotAvailableLabel.changeFailureRate(hasDeploymentsInRange: deployments, hasIncidents: incidents) == expected
        )
    }
}
