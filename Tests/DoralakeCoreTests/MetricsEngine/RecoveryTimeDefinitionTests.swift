import DoralakeCore
import Foundation
import Testing

/// METRICS.md §6.4 (failed deployment recovery time) and §6.5 (time to restore service) through
/// `MetricDefinitions.compute`.
@Suite("MetricsEngine: recovery times (METRICS §6.4, §6.5)")
struct MetricsEngineRecoveryTimeTests {
    typealias F = DerivedFixture
    typealias M = MetricsFixture

    // MARK: §6.4 FDRT

    @Test("§6.4 §6.0: sample [100, 345, 1210], value 345, 5.8(high) for 2023")
    func fdrtExample() throws {
        // Given the §6.0 data set (I1, I2, I3 linked to D2; I4 unlinked; I5 not caused by a deployment)
        // When failed deployment recovery time is computed for May 2024 (report 2023)
        let result = M.compute(.failedDeploymentRecoveryTime, M.shopInputs, try M.may2024())
        // Then the lower median 345 is high
        #expect(result.status == .ok)
        #expect(result.value == 345)
        #expect(result.tier == .high)
        #expect(result.label == "5.8(high)")
        #expect(result.unit == "minutes")
    }

    @Test("§6.4 §6.0: n 3, p50 345, p75 345, p90 345, mean 551.67")
    func fdrtSummary() throws {
        // Given the §6.0 data set
        // When failed deployment recovery time is computed for May 2024
        let result = M.compute(.failedDeploymentRecoveryTime, M.shopInputs, try M.may2024())
        // Then the sample is described as in the example
        let summary = try #require(result.summary)
        #expect(result.n == 3)
        #expect(summary.n == 3)
        #expect(summary.p50 == 345)
        #expect(summary.p75 == 345)
        #expect(summary.p90 == 345)
        #expect(M.close(summary.mean, 551.67, tolerance: 0.01))
    }

    @Test("§6.4: a resolution at 16:10:59 still gives 100 minutes (truncation)")
    func fdrtTruncation() throws {
        // Given D2 (finished 05-02 14:30) and I1 created 15:00, resolved 16:10:59
        let inputs = M.inputs(
            deployments: [ShopExample.d2],
            issues: [
                F.incident(key: "I1", created: F.at2024("05-02 15:00"), resolved: F.utc("2024-05-02 16:10:59"))
            ])
        // When failed deployment recovery time is computed for May 2024
        let result = M.compute(.failedDeploymentRecoveryTime, inputs, try M.may2024())
        // Then the recovery time is truncated to 100 minutes
        #expect(result.value == 100)
        #expect(result.n == 1)
    }

    @Test(
        "§6.4: no tier for reports 2021, 2024 and 2025",
        arguments: [MetricReport.r2021, .r2024, .r2025])
    func fdrtNoTier(_ report: MetricReport) throws {
        // Given the §6.0 data set
        // When failed deployment recovery time is computed under a report without FDRT tiers
        let result = M.compute(.failedDeploymentRecoveryTime, M.shopInputs, try M.may2024(), report: report)
        // Then the value stands, the tier is null and a note explains it
        #expect(result.value == 345)
        #expect(result.tier == nil)
        #expect(result.tierNote != nil)
        #expect(result.label == "5.8")
    }

    @Test("§6.4: n = 0 → insufficient data with the deployments-or-incidents N/A label")
    func fdrtEmpty() throws {
        // Given the §6.0 data set without incidents
        let inputs = M.inputs(deployments: ShopExample.deployments, pullRequests: ShopExample.pullRequests)
        // When failed deployment recovery time is computed for May 2024
        let result = M.compute(.failedDeploymentRecoveryTime, inputs, try M.may2024())
        // Then there is no value and the N/A label
        #expect(result.status == .insufficientData)
        #expect(result.value == nil)
        #expect(result.tier == nil)
        #expect(result.label == "N/A. Please check if you have collected deployments or incidents.")
    }

    @Test("§6.4: the series is the lower median per month of the deployment's finish")
    func fdrtSeries() throws {
        // Given the §6.0 data set
        // When failed deployment recovery time is computed for April–May 2024
        let result = M.compute(.failedDeploymentRecoveryTime, M.shopInputs, try M.range("2024-04-01", "2024-05-31"))
        // Then April has no value and May has 345 over 3 incidents
        #expect(M.months(result) == ["24/04", "24/05"])
        #expect(M.values(result) == [nil, 345])
        #expect(result.series.map(\.n) == [0, 3])
    }

    // MARK: §6.5 MTTR

    @Test("§6.5 §6.0: sample [30, 70, 75, 360, 3240], value 75, 1.3(high) for 2021")
    func mttrExample() throws {
        // Given the §6.0 data set (all five incidents resolved in May, I5 included)
        // When time to restore service is computed for May 2024 under report 2021
        let result = M.compute(.timeToRestoreService, M.shopInputs, try M.may2024(), report: .r2021)
        // Then the lower median 75 (1.25 h rounds half away from zero) is high
        #expect(result.status == .ok)
        #expect(result.value == 75)
        #expect(result.tier == .high)
        #expect(result.label == "1.3(high)")
        #expect(result.tierNote == nil)
    }

    @Test("§6.5 §6.0: n 5, p75 360, p90 360, mean 755")
    func mttrSummary() throws {
        // Given the §6.0 data set
        // When time to restore service is computed for May 2024
        let result = M.compute(.timeToRestoreService, M.shopInputs, try M.may2024(), report: .r2021)
        // Then the sample is described as in the example
        #expect(result.n == 5)
        #expect(result.summary == SampleSummary(n: 5, p50: 75, p75: 360, p90: 360, mean: 755))
    }

    @Test(
        "§6.5: only report 2021 tiers MTTR; other reports give tier null",
        arguments: [MetricReport.r2023, .r2024, .r2025])
    func mttrNoTier(_ report: MetricReport) throws {
        // Given the §6.0 data set
        // When time to restore service is computed under a report that tiers FDRT instead
        let result = M.compute(.timeToRestoreService, M.shopInputs, try M.may2024(), report: report)
        // Then the value stands, the tier is null and a note explains it
        #expect(result.value == 75)
        #expect(result.tier == nil)
        #expect(result.tierNote != nil)
        #expect(result.label == "1.3")
    }

    @Test("§6.5: n = 0 → insufficient data with the incidents N/A label")
    func mttrEmpty() throws {
        // Given the §6.0 data set, whose incidents were all resolved in May
        // When time to restore service is computed for June 2024
        let result = M.compute(.timeToRestoreService, M.shopInputs, try M.range("2024-06-01", "2024-06-30"))
        // Then there is no value and the N/A label
        #expect(result.status == .insufficientData)
        #expect(result.value == nil)
        #expect(result.label == "N/A. Please check if you have collected incidents.")
    }

    @Test("§6.5: the series is the lower median per month of resolution, within the range")
    func mttrSeries() throws {
        // Given the §6.0 data set
        // When time to restore service is computed for April–May 2024
        let result = M.compute(.timeToRestoreService, M.shopInputs, try M.range("2024-04-01", "2024-05-31"))
        // Then April (no resolution) has no value and May has 75 over 5 incidents
        #expect(M.months(result) == ["24/04", "24/05"])
        #expect(M.values(result) == [nil, 75])
        #expect(result.series.map(\.n) == [0, 5])
    }
}
