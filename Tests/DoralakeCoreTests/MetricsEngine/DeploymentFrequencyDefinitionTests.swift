import DoralakeCore
import Foundation
import Testing

/// METRICS.md §6.1 through `MetricDefinitions.compute`: deployment days, W / M / S, labels per report,
/// insufficient data and the monthly series.
@Suite("MetricsEngine: deployment frequency (METRICS §6.1)")
struct MetricsEngineDeploymentFrequencyTests {
    typealias F = DerivedFixture
    typealias M = MetricsFixture

    /// A one-row deployment on the shop repo finishing at `finish` (started ten minutes earlier).
    static func deployment(
        _ id: String, _ finish: String, result: String = "SUCCESS", environment: String = "PRODUCTION"
    ) -> Deployment {
        let finished = F.utc(finish)
        return F.single(
            id: id, sha: "sha-\(id)", result: result, environment: environment, started: finished - 600_000,
            finished: finished)
    }

    /// Example 1: six production deployments in March 2024, plus a FAILURE on Mar 13 and a STAGING on Mar 19.
    static let example1 = [
        deployment("m1", "2024-03-01 10:00"), deployment("m2", "2024-03-01 15:00"),
        deployment("m3", "2024-03-05 12:00"), deployment("m4", "2024-03-06 12:00"),
        deployment("m5", "2024-03-07 12:00"), deployment("m6", "2024-03-12 12:00"),
        deployment("f13", "2024-03-13 12:00", result: "FAILURE"),
        deployment("s19", "2024-03-19 12:00", environment: "STAGING"),
    ]

    @Test(
        "example 1: value, tier and label per report",
        arguments: [
            (MetricReport.r2023, 1.0, Tier.high, "1 deployment days per week(high)"),
            (.r2024, 1.0, .high, "1 deployment days per week(high)"),
            (.r2021, 5.0, .high, "5 deployment days per month(high)"),
        ])
    func example1Labels(_ report: MetricReport, _ value: Double, _ tier: Tier, _ label: String) throws {
        // Given the deployments of example 1 and the range March 2024 (UTC)
        let inputs = M.inputs(deployments: Self.example1)
        // When deployment frequency is computed for the report
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-03-01", "2024-03-31"), report: report)
        // Then the figure, tier and label are those of the example
        #expect(result.status == .ok)
        #expect(result.value == value)
        #expect(result.tier == tier)
        #expect(result.label == label)
        #expect(result.tierNote == nil)
    }

    @Test("example 1: n counts production deployments; FAILURE and STAGING are not counted")
    func example1Counts() throws {
        // Given example 1 (six production deployments on five days, one FAILURE, one STAGING)
        let inputs = M.inputs(deployments: Self.example1)
        // When deployment frequency is computed for March 2024
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-03-01", "2024-03-31"))
        // Then n = 6 and the details count 5 deployment days, 6 deployments, W = 1, M = 5
        #expect(result.n == 6)
        #expect(M.number(result.details["deployments"]) == 6)
        #expect(M.number(result.details["deploymentDays"]) == 5)
        #expect(M.number(result.details["weekly"]) == 1)
        #expect(M.number(result.details["monthly"]) == 5)
    }

    @Test("example 1: p50/p75/p90/mean describe the week values [1, 3, 1, 0, 0]")
    func example1WeekSummary() throws {
        // Given example 1
        let inputs = M.inputs(deployments: Self.example1)
        // When deployment frequency is computed for March 2024
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-03-01", "2024-03-31"))
        // Then the summary is p50 1, p75 1, p90 1, mean 1.0 over the five (partial) weeks
        let summary = try #require(result.summary)
        #expect(summary.p50 == 1)
        #expect(summary.p75 == 1)
        #expect(summary.p90 == 1)
        #expect(summary.mean == 1.0)
        #expect(summary.n == 5)
    }

    /// Example 2's deployment days (noon UTC).
    static let example2 = ["2023-11-02", "2023-12-05", "2024-01-09", "2024-03-20"].map {
        deployment("e2-\($0)", "\($0) 12:00")
    }

    @Test(
        "example 2 (six months): S = UpperMedian [0, 4] = 4 for 2021, M = 0 for 2023",
        arguments: [
            (MetricReport.r2021, 4.0, Tier.medium, "4 deployment days per six months(medium)"),
            (.r2023, 0.0, .low, "0 deployment days per month(low)"),
        ])
    func example2(_ report: MetricReport, _ value: Double, _ tier: Tier, _ label: String) throws {
        // Given deployment days 2023-11-02, 2023-12-05, 2024-01-09, 2024-03-20
        let inputs = M.inputs(deployments: Self.example2)
        // When deployment frequency is computed for 2023-04-01 … 2024-03-31
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2023-04-01", "2024-03-31"), report: report)
        // Then the six-month (2021) or monthly (2023) figure is reported
        #expect(result.status == .ok)
        #expect(result.value == value)
        #expect(result.tier == tier)
        #expect(result.label == label)
        #expect(M.number(result.details["sixMonthly"]) == 4)
        #expect(M.number(result.details["monthly"]) == 0)
        #expect(M.number(result.details["weekly"]) == 0)
    }

    @Test("example 2: two equal windows of 2 days give S = 2 (medium), not N/A")
    func example2EqualWindows() throws {
        // Given two deployment days in Apr–Sep 2023 and two in Oct 2023–Mar 2024
        let days = ["2023-05-10", "2023-06-10", "2023-11-02", "2024-01-09"].map { Self.deployment("w-\($0)", "\($0) 12:00") }
        // When the 2021 deployment frequency is computed for 2023-04-01 … 2024-03-31
        let result = M.compute(
            .deploymentFrequency, M.inputs(deployments: days), try M.range("2023-04-01", "2024-03-31"), report: .r2021)
        // Then S = UpperMedian [2, 2] = 2, medium
        #expect(result.status == .ok)
        #expect(result.value == 2)
        #expect(result.tier == .medium)
        #expect(result.label == "2 deployment days per six months(medium)")
    }

    @Test(
        "example 3 (one deployment in six months): 2021 medium by S = 1, 2023 low by M = 0",
        arguments: [
            (MetricReport.r2021, 1.0, Tier.medium, "1 deployment days per six months(medium)"),
            (.r2023, 0.0, .low, "0 deployment days per month(low)"),
        ])
    func example3(_ report: MetricReport, _ value: Double, _ tier: Tier, _ label: String) throws {
        // Given one production deployment on 2024-02-14
        let inputs = M.inputs(deployments: [Self.deployment("only", "2024-02-14 12:00")])
        // When deployment frequency is computed for 2024-01-01 … 2024-06-30
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-01-01", "2024-06-30"), report: report)
        // Then the label is that of the example (DevLake would show N/A)
        #expect(result.status == .ok)
        #expect(result.value == value)
        #expect(result.tier == tier)
        #expect(result.label == label)
        #expect(result.n == 1)
    }

    @Test("example 3: twenty-six week buckets, W = 0")
    func example3Weeks() throws {
        // Given one production deployment on 2024-02-14
        let inputs = M.inputs(deployments: [Self.deployment("only", "2024-02-14 12:00")])
        // When deployment frequency is computed for 2024-01-01 … 2024-06-30
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-01-01", "2024-06-30"))
        // Then the week summary has 26 weeks with median 0, and M = 0, S = 1
        let summary = try #require(result.summary)
        #expect(summary.n == 26)
        #expect(summary.p50 == 0)
        #expect(M.number(result.details["weekly"]) == 0)
        #expect(M.number(result.details["monthly"]) == 0)
        #expect(M.number(result.details["sixMonthly"]) == 1)
    }

    @Test("no production deployment at all: insufficient data with the N/A label")
    func noProductionDeployment() throws {
        // Given a project whose only deployments are a FAILURE and a STAGING one
        let inputs = M.inputs(deployments: [
            Self.deployment("f", "2024-03-13 12:00", result: "FAILURE"),
            Self.deployment("s", "2024-03-19 12:00", environment: "STAGING"),
        ])
        // When deployment frequency is computed
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-03-01", "2024-03-31"))
        // Then the data is insufficient, labelled as DevLake does, with no value and no tier
        #expect(result.status == .insufficientData)
        #expect(result.label == "N/A. Please check if you have collected deployments.")
        #expect(result.value == nil)
        #expect(result.tier == nil)
        #expect(result.reason != nil)
    }

    @Test(
        "deployments but none in range: low, not N/A",
        arguments: [
            (MetricReport.r2023, "0 deployment days per month(low)"),
            (.r2021, "0 deployment days per six months(low)"),
        ])
    func noneInRange(_ report: MetricReport, _ label: String) throws {
        // Given one production deployment in February 2024
        let inputs = M.inputs(deployments: [Self.deployment("feb", "2024-02-14 12:00")])
        // When deployment frequency is computed for March 2024
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-03-01", "2024-03-31"), report: report)
        // Then the result is ok and low, with n = 0
        #expect(result.status == .ok)
        #expect(result.tier == .low)
        #expect(result.value == 0)
        #expect(result.label == label)
        #expect(result.n == 0)
    }

    @Test("series: production deployments (not deployment days) per month, 0 for empty months")
    func seriesCountsDeployments() throws {
        // Given two deployments on 10 Feb, none in March and one on 2 April (plus a FAILURE in March)
        let inputs = M.inputs(deployments: [
            Self.deployment("a", "2024-02-10 10:00"), Self.deployment("b", "2024-02-10 15:00"),
            Self.deployment("f", "2024-03-05 10:00", result: "FAILURE"),
            Self.deployment("c", "2024-04-02 10:00"),
        ])
        // When deployment frequency is computed for February–April 2024
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-02-01", "2024-04-30"))
        // Then the series has one entry per month with the number of deployments
        #expect(M.months(result) == ["24/02", "24/03", "24/04"])
        #expect(result.series.map(\.month.isoLabel) == ["2024-02", "2024-03", "2024-04"])
        #expect(M.values(result) == [2, 0, 1])
    }

    @Test("example 1 series: one entry for March 2024 with 6 deployments")
    func example1Series() throws {
        // Given example 1
        let inputs = M.inputs(deployments: Self.example1)
        // When deployment frequency is computed for March 2024
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-03-01", "2024-03-31"))
        // Then the series counts the six deployments (five deployment days)
        #expect(M.months(result) == ["24/03"])
        #expect(M.values(result) == [6])
    }

    @Test(
        "tz moves a deployment at 2024-03-31T22:30Z from March (UTC) to April (Europe/Berlin) in the series",
        arguments: [("UTC", [1.0, 0.0]), ("Europe/Berlin", [0.0, 1.0])])
    func zoneMovesMonth(_ tz: String, _ series: [Double]) throws {
        // Given one production deployment finishing 2024-03-31T22:30Z (00:30 on 1 April in Berlin)
        let inputs = M.inputs(deployments: [Self.deployment("edge", "2024-03-31 22:30")])
        // When deployment frequency is computed for March–April 2024 in the zone
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-03-01", "2024-04-30", tz: tz))
        // Then the deployment is counted in the month of its local finish
        #expect(M.months(result) == ["24/03", "24/04"])
        #expect(M.values(result) == series.map { Optional($0) })
    }

    @Test(
        "tz moves a deployment at 2024-03-03T23:30Z from Sunday 3 March (UTC) to Monday 4 March (Berlin)",
        arguments: [
            ("UTC", 0.0, 1.0, Tier.medium, "1 deployment days per month(medium)", 2.0),
            ("Europe/Berlin", 1.0, 1.0, .high, "1 deployment days per week(high)", 2.0),
        ])
    func zoneMovesDay(
        _ tz: String, _ weekly: Double, _ monthly: Double, _ tier: Tier, _ label: String, _ days: Double
    ) throws {
        // Given production deployments on Wed 28 Feb noon and at 2024-03-03T23:30Z
        let inputs = M.inputs(deployments: [
            Self.deployment("wed", "2024-02-28 12:00"), Self.deployment("late", "2024-03-03 23:30"),
        ])
        // When deployment frequency is computed for the two weeks 26 Feb … 10 Mar in the zone
        let result = M.compute(.deploymentFrequency, inputs, try M.range("2024-02-26", "2024-03-10", tz: tz))
        // Then in UTC both days fall in the first week (weeks [2, 0], W = 0, medium by M = 1),
        // in Berlin the late one falls on Monday 4 March (weeks [1, 1], W = 1, high)
        #expect(M.number(result.details["weekly"]) == weekly)
        #expect(M.number(result.details["monthly"]) == monthly)
        #expect(M.number(result.details["deploymentDays"]) == days)
        #expect(result.tier == tier)
        #expect(result.label == label)
    }
}
