import DoralakeCore
import Foundation
import Testing

/// METRICS.md §7.1–§7.4 through `MetricDefinitions.compute`, with issues decoded from webhook bodies
/// (so that values "sent as" lowercase are canonical, as stored).
@Suite("MetricsEngine: requirement and age metrics (METRICS §7.1–§7.4)")
struct MetricsEngineIssueMetricTests {
    typealias M = MetricsFixture

    /// §7.1's requirements: R1–R4 and R6 created in May (R6 at the last millisecond), R5 in April.
    static func requirements(r6Created: String = "2024-05-31T23:59:59.999Z") throws -> [DoralakeCore.Issue] {
        [
            try M.issue("R1", type: "REQUIREMENT", status: "DONE", created: "2024-05-02T10:00:00Z", storyPoint: "3"),
            try M.issue("R2", type: "REQUIREMENT", status: "IN_PROGRESS", created: "2024-05-06T10:00:00Z", storyPoint: "5"),
            try M.issue("R3", type: "requirement", status: "done", created: "2024-05-10T10:00:00Z", storyPoint: "0"),
            try M.issue("R4", type: "REQUIREMENT", status: "TODO", created: "2024-05-20T10:00:00Z"),
            try M.issue("R6", type: "REQUIREMENT", status: "TODO", created: r6Created, storyPoint: "8"),
            try M.issue("R5", type: "REQUIREMENT", status: "DONE", created: "2024-04-28T10:00:00Z", storyPoint: "2"),
        ]
    }

    /// §7.3's bugs B1–B6.
    static func bugs() throws -> [DoralakeCore.Issue] {
        [
            try M.issue("B1", type: "BUG", status: "DONE", created: "2024-05-01T09:00:00Z", resolved: "2024-05-03T09:00:00Z"),
            try M.issue("B2", type: "BUG", status: "DONE", created: "2024-04-20T00:00:00Z", resolved: "2024-05-10T12:00:00Z"),
            try M.issue(
                "B3", type: "BUG", status: "DONE", created: "2024-05-06T08:00:00Z", resolved: "2024-05-06T20:00:00Z",
                leadTimeMinutes: 600),
            try M.issue(
                "B4", type: "BUG", status: "IN_PROGRESS", created: "2024-05-11T08:00:00Z", resolved: "2024-05-12T08:00:00Z"),
            try M.issue("B5", type: "BUG", status: "DONE", created: "2024-05-15T08:00:00Z"),
            try M.issue("B6", type: "BUG", status: "DONE", created: "2024-05-25T08:00:00Z", resolved: "2024-06-02T08:00:00Z"),
        ]
    }

    // MARK: §7.1

    @Test("§7.1: 2 DONE of 5 requirements created in May (R6 at 23:59:59.999 inside) = 0.4")
    func deliveryRate() throws {
        // Given R1–R6 (R3 sent as requirement/done, R5 created in April)
        let inputs = M.inputs(issues: try Self.requirements())
        // When requirement delivery rate is computed for May 2024 (to = 2024-05-31T23:59:59.999Z)
        let result = M.compute(.requirementDeliveryRate, inputs, try M.may2024())
        // Then R1 and R3 are done out of R1, R2, R3, R4, R6
        #expect(result.status == .ok)
        #expect(result.value == 0.4)
        #expect(result.numerator == 2)
        #expect(result.denominator == 5)
        #expect(result.tier == nil)
    }

    @Test("§7.1: a requirement created one millisecond after the end is outside")
    func deliveryRateEnd() throws {
        // Given R6 created at 2024-06-01T00:00:00.000Z instead
        let inputs = M.inputs(issues: try Self.requirements(r6Created: "2024-06-01T00:00:00.000Z"))
        // When requirement delivery rate is computed for May 2024
        let result = M.compute(.requirementDeliveryRate, inputs, try M.may2024())
        // Then 2 of 4 are done
        #expect(result.value == 0.5)
        #expect(result.denominator == 4)
    }

    @Test("§7.1: no requirement created in range → insufficient, no_requirements")
    func deliveryRateEmpty() throws {
        // Given the requirements of May
        let inputs = M.inputs(issues: try Self.requirements())
        // When requirement delivery rate is computed for July 2024
        let result = M.compute(.requirementDeliveryRate, inputs, try M.range("2024-07-01", "2024-07-31"))
        // Then the denominator is 0: insufficient
        #expect(result.status == .insufficientData)
        #expect(result.reason == "no_requirements")
        #expect(result.value == nil)
    }

    // MARK: §7.2

    @Test("§7.2: story points [3, 5, 8] (0 and absent excluded): value 5.33, n 3, p50/p75/p90 5")
    func granularity() throws {
        // Given R1 3, R2 5, R3 0, R4 none, R6 8 (and R5 in April)
        let inputs = M.inputs(issues: try Self.requirements())
        // When requirement granularity is computed for May 2024
        let result = M.compute(.requirementGranularity, inputs, try M.may2024())
        // Then the mean of [3, 5, 8] is reported
        #expect(result.status == .ok)
        #expect(M.close(result.value, 5.33))
        #expect(result.n == 3)
        let summary = try #require(result.summary)
        #expect(summary.p50 == 5)
        #expect(summary.p75 == 5)
        #expect(summary.p90 == 5)
        #expect(result.tier == nil)
    }

    @Test("§7.2: n = 0 → insufficient")
    func granularityEmpty() throws {
        // Given only requirements without story points (R3 with 0, R4 with none)
        let inputs = M.inputs(issues: try Self.requirements().filter { ["R3", "R4"].contains($0.issueKey) })
        // When requirement granularity is computed for May 2024
        let result = M.compute(.requirementGranularity, inputs, try M.may2024())
        // Then the data is insufficient, not 0
        #expect(result.status == .insufficientData)
        #expect(result.value == nil)
    }

    // MARK: §7.3

    @Test("§7.3: sample [600, 2880, 29520]: mean 7.64 days, p50 2.00 days, n 3")
    func bugAge() throws {
        // Given B1–B6 (B3 sent with leadTimeMinutes 600, B4 IN_PROGRESS, B5 unresolved, B6 resolved in June)
        let inputs = M.inputs(issues: try Self.bugs())
        // When bug age is computed for May 2024
        let result = M.compute(.bugAge, inputs, try M.may2024())
        // Then the mean 11000 minutes is 7.64 days and the lower median 2880 minutes is 2.00 days
        #expect(result.status == .ok)
        #expect(result.unit == "days")
        #expect(M.close(result.value, 7.64))
        #expect(result.n == 3)
        let summary = try #require(result.summary)
        #expect(summary.p50 == 2.0)
        #expect(M.close(summary.mean, 11_000.0 / 1440, tolerance: 1e-9))
        #expect(result.label.hasPrefix("7.64"))
        #expect(result.tier == nil)
    }

    @Test("§7.3: no DONE bug resolved in range → insufficient")
    func bugAgeEmpty() throws {
        // Given B1–B6
        let inputs = M.inputs(issues: try Self.bugs())
        // When bug age is computed for July 2024
        let result = M.compute(.bugAge, inputs, try M.range("2024-07-01", "2024-07-31"))
        // Then the data is insufficient
        #expect(result.status == .insufficientData)
        #expect(result.value == nil)
    }

    @Test("§7.3: the first, partial month of the range counts (series per month of resolution)")
    func bugAgeSeries() throws {
        // Given B1–B6
        let inputs = M.inputs(issues: try Self.bugs())
        // When bug age is computed from 2024-05-02 to 2024-06-30
        let result = M.compute(.bugAge, inputs, try M.range("2024-05-02", "2024-06-30"))
        // Then May holds B1, B2, B3 (mean 7.64 days) and June holds B6 (8 days)
        #expect(M.months(result) == ["24/05", "24/06"])
        #expect(M.close(result.series[0].value, 7.64))
        #expect(M.close(result.series[1].value, 8.0, tolerance: 1e-9))
        #expect(result.series.map(\.n) == [3, 1])
    }

    // MARK: §7.4

    @Test("§7.4 §6.0: incident sample [30, 70, 75, 360, 3240]: mean 0.52 days, p50 0.05 days")
    func incidentAge() throws {
        // Given the §6.0 incidents, all closed in May (I5 not caused by a deployment, included)
        // When incident age is computed for May 2024
        let result = M.compute(.incidentAge, M.shopInputs, try M.may2024())
        // Then the mean 755 minutes is 0.52 days and the lower median 75 minutes is 0.05 days
        #expect(result.status == .ok)
        #expect(result.n == 5)
        #expect(M.close(result.value, 0.52))
        let summary = try #require(result.summary)
        #expect(M.close(summary.p50, 0.05))
        #expect(M.close(summary.p50, 75.0 / 1440, tolerance: 1e-12))
        #expect(result.label.hasPrefix("0.52"))
    }
}
