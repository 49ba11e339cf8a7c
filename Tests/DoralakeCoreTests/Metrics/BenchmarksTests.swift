import DoralakeCore
import Testing

/// Spec §8: the benchmark rows shipped as data.
struct BenchmarksTests {
    struct Group: Sendable, CustomTestStringConvertible {
        var report: MetricReport
        var metric: BenchmarkMetric
        var bounds: [String]
        var labels: [String]
        var testDescription: String { "\(metric.rawValue) \(report.rawValue)" }
    }

    static let devLakeGroups: [Group] = [
        Group(
            report: .r2021, metric: .deploymentFrequency, bounds: ["W ≥ 5", "M ≥ 1", "S ≥ 1", "otherwise"],
            labels: [
                "On-demand(elite)", "Between once per day and once per month(high)",
                "Between once per month and once every 6 months(medium)", "Fewer than once per six months(low)",
            ]),
        Group(
            report: .r2023, metric: .deploymentFrequency, bounds: ["W ≥ 5", "W ≥ 1", "M ≥ 1", "otherwise"],
            labels: [
                "On-demand(elite)", "Between once per day and once per week(high)",
                "Between once per week and once per month(medium)", "Fewer than once per month(low)",
            ]),
        Group(
            report: .r2021, metric: .leadTimeForChanges, bounds: ["< 60", "< 10080", "< 259200", "≥ 259200"],
            labels: [
                "Less than one hour(elite)", "Less than one week(high)", "Between one week and six months(medium)",
                "More than six months(low)",
            ]),
        Group(
            report: .r2023, metric: .leadTimeForChanges, bounds: ["< 1440", "< 10080", "< 43200", "≥ 43200"],
            labels: [
                "Less than one day(elite)", "Between one day and one week(high)",
                "Between one week and one month(medium)", "More than one month(low)",
            ]),
        Group(
            report: .r2021, metric: .changeFailureRate, bounds: ["≤ 0.15", "≤ 0.20", "≤ 0.30", "> 0.30"],
            labels: ["0-15%(elite)", "16%-20%(high)", "21%-30%(medium)", "> 30%(low)"]),
        Group(
            report: .r2023, metric: .changeFailureRate, bounds: ["≤ 0.05", "≤ 0.10", "≤ 0.15", "> 0.15"],
            labels: ["0-5%(elite)", "5%-10%(high)", "10%-15%(medium)", "> 15%(low)"]),
        Group(
            report: .r2021, metric: .timeToRestoreService, bounds: ["< 60", "< 1440", "< 10080", "≥ 10080"],
            labels: [
                "Less than one hour(elite)", "Less than one day(high)", "Between one day and one week(medium)",
                "More than one week(low)",
            ]),
        Group(
            report: .r2023, metric: .failedDeploymentRecoveryTime, bounds: ["< 60", "< 1440", "< 10080", "≥ 10080"],
            labels: [
                "Less than one hour(elite)", "Less than one day(high)", "Between one day and one week(medium)",
                "More than one week(low)",
            ]),
    ]

    @Test("2021 and 2023 rows are DevLake's thresholds and descriptions (§8.1)", arguments: devLakeGroups)
    func devLakeRows(_ group: Group) {
        let rows = Benchmarks.rows(for: group.report, metric: group.metric)
        #expect(rows.map(\.tier) == [.elite, .high, .medium, .low])
        #expect(rows.map { $0.bound?.text } == group.bounds)
        #expect(rows.map(\.label) == group.labels)
        #expect(rows.allSatisfy { $0.verified })
    }

    @Test(
        "every report and metric has either no rows or one row per tier, elite first", arguments: MetricReport.allCases)
    func rowGroupsAreComplete(_ report: MetricReport) {
        for metric in BenchmarkMetric.allCases {
            let tiers = Benchmarks.rows(for: report, metric: metric).map(\.tier)
            #expect(tiers.isEmpty || tiers == [.elite, .high, .medium, .low], "\(metric.rawValue)")
        }
    }

    @Test(
        "2024 deployment frequency and lead time classify with the 2023 thresholds (§8.2)",
        arguments: [
            BenchmarkMetric.deploymentFrequency, .leadTimeForChanges,
        ])
    func report2024ReusesThresholds(_ metric: BenchmarkMetric) {
        #expect(
            Benchmarks.rows(for: .r2024, metric: metric).map(\.bound)
                == Benchmarks.rows(for: .r2023, metric: metric).map(\.bound))
    }

    @Test(
        "2024 change failure rate and recovery time carry published values without thresholds",
        arguments: [
            (BenchmarkMetric.changeFailureRate, ["5%(elite)", "20%(high)", "10%(medium)", "40%(low)"]),
            (
                .failedDeploymentRecoveryTime,
                [
                    "Less than one hour(elite)", "Less than one day(high)", "Less than one day(medium)",
                    "Between one week and one month(low)",
                ]
            ),
        ])
    func report2024PublishedValues(_ metric: BenchmarkMetric, _ labels: [String]) {
        let rows = Benchmarks.rows(for: .r2024, metric: metric)
        #expect(rows.map(\.label) == labels)
        #expect(rows.allSatisfy { $0.bound == nil })
    }

    @Test("only the 2024 cells marked ⚠ are unverified")
    func unverifiedCells() {
        let unverified = Benchmarks.rows.filter { !$0.verified }.map { "\($0.metric.rawValue) \($0.tier.rawValue)" }
        #expect(
            unverified == [
                "changeFailureRate medium", "changeFailureRate low", "failedDeploymentRecoveryTime elite",
                "failedDeploymentRecoveryTime high", "failedDeploymentRecoveryTime medium",
                "failedDeploymentRecoveryTime low",
            ])
        #expect(Benchmarks.rows.filter { !$0.verified }.allSatisfy { $0.report == .r2024 })
        #expect(Benchmarks.clusterShares.map(\.percent) == [19, 22, 35, 25])
    }

    @Test("report 2025 and the rework rate have no rows")
    func untieredRows() {
        #expect(Benchmarks.rows.allSatisfy { $0.report != .r2025 && $0.metric != .deploymentReworkRate })
    }

    @Test("a metric has a tier note exactly when its report has no thresholds for it", arguments: MetricReport.allCases)
    func notesMatchData(_ report: MetricReport) {
        for metric in BenchmarkMetric.allCases {
            let rows = Benchmarks.rows(for: report, metric: metric)
            let classifies = !rows.isEmpty && rows.allSatisfy { $0.bound != nil }
            #expect((TierNote.note(for: metric, report: report) == nil) == classifies, "\(metric.rawValue)")
        }
    }

    @Test("rows name their source")
    func sources() {
        #expect(Benchmarks.rows.allSatisfy { !$0.source.isEmpty })
        #expect(
            Benchmarks.rows(for: .r2024, metric: .changeFailureRate).allSatisfy { $0.source == Benchmarks.source2024 })
    }

    @Test(
        "the report parameter defaults to 2023 and accepts the four reports",
        arguments: [
            (String?.none, MetricReport.r2023), ("", .r2023), ("2021", .r2021), ("2023", .r2023), ("2024", .r2024),
            ("2025", .r2025),
        ])
    func reportParameter(_ text: String?, _ expected: MetricReport) throws {
        #expect(try MetricReport.parse(text) == expected)
    }

    @Test("an unknown report is rejected naming the parameter", arguments: ["2022", "latest", "2023 "])
    func unknownReport(_ text: String) {
        #expect(throws: MetricParameterError(parameter: "report", message: "must be one of 2021, 2023, 2024 or 2025")) {
            try MetricReport.parse(text)
        }
    }
}
