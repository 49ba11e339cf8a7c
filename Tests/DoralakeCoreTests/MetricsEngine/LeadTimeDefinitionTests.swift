import DoralakeCore
import Foundation
import Testing

/// METRICS.md §6.2 (and the §9 JSON example) through `MetricDefinitions.compute`, with the §6.0 data
/// set run through the derived-data recomputation.
@Suite("MetricsEngine: lead time for changes (METRICS §6.2)")
struct MetricsEngineLeadTimeTests {
    typealias M = MetricsFixture

    @Test(
        "§6.0: value 1091 with the label and tier of each report",
        arguments: [
            (MetricReport.r2023, Tier.elite, "18.2(elite)"),
            (.r2024, .elite, "18.2(elite)"),
            (.r2021, .high, "18.2(high)"),
        ])
    func exampleLabels(_ report: MetricReport, _ tier: Tier, _ label: String) throws {
        // Given the §6.0 data set
        // When lead time for changes is computed for May 2024
        let result = M.compute(.leadTimeForChanges, M.shopInputs, try M.may2024(), report: report)
        // Then the value is the lower median 1091 of [70, 1091, 1400, 1590]
        #expect(result.status == .ok)
        #expect(result.value == 1091)
        #expect(result.tier == tier)
        #expect(result.label == label)
        #expect(result.tierNote == nil)
        #expect(result.unit == "minutes")
    }

    @Test("§6.0: n 4, p50 1091, p75 1400, p90 1400, mean 1037.75")
    func exampleSummary() throws {
        // Given the §6.0 data set (PR4 unattributed, PR5 not merged)
        // When lead time for changes is computed for May 2024
        let result = M.compute(.leadTimeForChanges, M.shopInputs, try M.may2024())
        // Then the sample of cycle times is described as in the example
        #expect(result.n == 4)
        #expect(result.summary == SampleSummary(n: 4, p50: 1091, p75: 1400, p90: 1400, mean: 1037.75))
    }

    @Test("§6.0: byRule counts merge_sha 2, included_sha 1, time 1")
    func exampleByRule() throws {
        // Given the §6.0 data set
        // When lead time for changes is computed for May 2024
        let result = M.compute(.leadTimeForChanges, M.shopInputs, try M.may2024())
        // Then PR1 and PR6 count as merge_sha, PR2 as included_sha and PR3 as time
        let byRule = try #require(result.details["byRule"])
        #expect(M.number(byRule["merge_sha"]) == 2)
        #expect(M.number(byRule["included_sha"]) == 1)
        #expect(M.number(byRule["time"]) == 1)
    }

    @Test("§9: createdToMerged p50 46 mean 671.5, deployTime p50 80 mean 366.25")
    func exampleTimeDetails() throws {
        // Given the §6.0 data set (createdToMerged [30, 46, 1290, 1320], deployTime [40, 80, 300, 1045])
        // When lead time for changes is computed for May 2024
        let result = M.compute(.leadTimeForChanges, M.shopInputs, try M.may2024())
        // Then the details carry the lower medians and means of both samples
        let createdToMerged = try #require(result.details["createdToMerged"])
        let deployTime = try #require(result.details["deployTime"])
        #expect(M.number(createdToMerged["p50"]) == 46)
        #expect(M.number(createdToMerged["mean"]) == 671.5)
        #expect(M.number(deployTime["p50"]) == 80)
        #expect(M.number(deployTime["mean"]) == 366.25)
    }

    @Test("§9: the series is the lower median per month of deployedDate")
    func exampleSeries() throws {
        // Given the §6.0 data set
        // When lead time for changes is computed for May 2024
        let result = M.compute(.leadTimeForChanges, M.shopInputs, try M.may2024())
        // Then the single month 24/05 has value 1091 over n = 4
        #expect(M.months(result) == ["24/05"])
        #expect(result.series.map(\.month.isoLabel) == ["2024-05"])
        #expect(M.values(result) == [1091])
        #expect(result.series.map(\.n) == [4])
    }

    @Test("n = 0: insufficient data with the deployments/pull_requests N/A label")
    func emptySample() throws {
        // Given the §6.0 data set, whose attributed PRs were all deployed in May
        // When lead time for changes is computed for June 2024
        let result = M.compute(.leadTimeForChanges, M.shopInputs, try M.range("2024-06-01", "2024-06-30"))
        // Then there is no value, no tier and the N/A label
        #expect(result.status == .insufficientData)
        #expect(result.label == "N/A. Please check if you have collected deployments/pull_requests.")
        #expect(result.value == nil)
        #expect(result.tier == nil)
        #expect(result.reason != nil)
    }

    @Test("report 2025: no tier, with the archetypes tierNote")
    func report2025() throws {
        // Given the §6.0 data set
        // When lead time for changes is computed for May 2024 under report 2025
        let result = M.compute(.leadTimeForChanges, M.shopInputs, try M.may2024(), report: .r2025)
        // Then the value stands but the tier is null with §8.3's note
        #expect(result.value == 1091)
        #expect(result.tier == nil)
        #expect(
            result.tierNote
                == "The 2025 DORA report defines archetypes, not performance tiers; Doralake does not derive tiers for it.")
    }
}
