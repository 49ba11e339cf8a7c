import DoralakeCore
import Foundation
import Testing

/// METRICS.md §6.6 (deployment rework rate) through `MetricDefinitions.compute`, with rework
/// classified by the derived-data recomputation (§5.3).
@Suite("MetricsEngine: deployment rework rate (METRICS §6.6)")
struct MetricsEngineReworkRateTests {
    typealias F = DerivedFixture
    typealias M = MetricsFixture

    /// A one-row deployment of project `ops` finishing at `06-dd hh:mm` 2024 (started ten minutes earlier).
    static func deployment(
        _ id: String, _ finish: String, result: String = "SUCCESS", kind: String? = nil, isRework: Bool? = nil
    ) -> Deployment {
        let finished = F.at2024(finish)
        return F.single(
            id: id, sha: "sha-\(id)", result: result, started: finished - 600_000, finished: finished, kind: kind,
            isRework: isRework)
    }

    /// The `ops` example: A (REGULAR), B (isRework), C, D, E (kind as given), F (FAILURE); incidents J and K.
    static func ops(kindOfE: String? = nil) -> MetricInputs {
        M.inputs(
            deployments: [
                deployment("A", "06-03 10:00", kind: "REGULAR"), deployment("B", "06-04 09:00", isRework: true),
                deployment("C", "06-05 16:00"), deployment("D", "06-05 17:30"),
                deployment("E", "06-06 11:00", kind: kindOfE), deployment("F", "06-06 12:00", result: "FAILURE"),
            ],
            issues: [
                F.incident(key: "J", created: F.at2024("06-05 12:00"), resolved: F.at2024("06-05 18:00")),
                F.incident(key: "K", created: F.at2024("06-06 10:00")),
            ])
    }

    static func june() throws -> MetricRange { try M.range("2024-06-01", "2024-06-30") }

    @Test("ops example: B flagged, C and E after an incident → 3 / 5 = 0.6")
    func opsExample() throws {
        // Given the ops deployments and incidents of June 2024
        // When deployment rework rate is computed for June 2024
        let result = M.compute(.deploymentReworkRate, Self.ops(), try Self.june())
        // Then 3 of the 5 production deployments are rework
        #expect(result.status == .ok)
        #expect(result.value == 0.6)
        #expect(result.numerator == 3)
        #expect(result.denominator == 5)
        #expect(result.label == "60.0%")
        #expect(result.tier == nil)
        #expect(result.tierNote == "No published tiers for deployment rework rate.")
    }

    @Test("ops example: details count rework by reason (flagged 1, after_incident 2)")
    func opsByReason() throws {
        // Given the ops example
        // When deployment rework rate is computed for June 2024
        let result = M.compute(.deploymentReworkRate, Self.ops(), try Self.june())
        // Then B is flagged, C and E are after_incident
        let byReason = try #require(result.details["byReason"])
        #expect(M.number(byReason["flagged"]) == 1)
        #expect(M.number(byReason["after_incident"]) == 2)
    }

    @Test("ops example: E posted with kind REGULAR is vetoed and nothing replaces it → 2 / 5 = 0.4")
    func opsVeto() throws {
        // Given the ops example with E posted as kind REGULAR
        // When deployment rework rate is computed for June 2024
        let result = M.compute(.deploymentReworkRate, Self.ops(kindOfE: "REGULAR"), try Self.june())
        // Then only B and C are rework
        #expect(result.status == .ok)
        #expect(result.value == 0.4)
        #expect(result.numerator == 2)
        #expect(result.denominator == 5)
        #expect(result.label == "40.0%")
    }

    @Test("no production deployment in range → insufficient data with the deployments N/A label")
    func noDeploymentsInRange() throws {
        // Given the ops example (all in June)
        // When deployment rework rate is computed for July 2024
        let result = M.compute(.deploymentReworkRate, Self.ops(), try M.range("2024-07-01", "2024-07-31"))
        // Then there is no value
        #expect(result.status == .insufficientData)
        #expect(result.value == nil)
        #expect(result.label == "N/A. Please check if you have collected deployments.")
    }

    @Test("no incident and no rework flag ever → insufficient data, reason no_rework_signals, not 0%")
    func noReworkSignals() throws {
        // Given production deployments without isRework or kind and no incident
        let inputs = M.inputs(deployments: [Self.deployment("C", "06-05 16:00"), Self.deployment("D", "06-05 17:30")])
        // When deployment rework rate is computed for June 2024
        let result = M.compute(.deploymentReworkRate, inputs, try Self.june())
        // Then there is nothing to detect rework from
        #expect(result.status == .insufficientData)
        #expect(result.reason == "no_rework_signals")
        #expect(result.value == nil)
    }

    @Test("§9: the §6.0 data set has 0 rework of 4 deployments, 0.0% without tier")
    func shopExample() throws {
        // Given the §6.0 data set (no deployment follows an incident before its resolution)
        // When deployment rework rate is computed for May 2024
        let result = M.compute(.deploymentReworkRate, M.shopInputs, try M.may2024())
        // Then the rate is 0 of 4
        #expect(result.status == .ok)
        #expect(result.value == 0)
        #expect(result.numerator == 0)
        #expect(result.denominator == 4)
        #expect(result.label == "0.0%")
        #expect(result.tier == nil)
        #expect(result.tierNote == "No published tiers for deployment rework rate.")
    }

    @Test("the series is per month of finish")
    func series() throws {
        // Given the ops example
        // When deployment rework rate is computed for May–June 2024
        let result = M.compute(.deploymentReworkRate, Self.ops(), try M.range("2024-05-01", "2024-06-30"))
        // Then May (no deployment) has no value and June has 0.6
        #expect(M.months(result) == ["24/05", "24/06"])
        #expect(M.values(result) == [nil, 0.6])
    }
}
