import DoralakeCore
import Foundation
import Testing

/// Rules of METRICS.md §6.3–§6.5 stated next to the worked examples: exact CFR thresholds, FDRT's
/// exclusions, MTTR's stored lead time. Built from facts directly (no derivation).
@Suite("MetricsEngine: rule edges (METRICS §6.3–§6.5)")
struct MetricsEngineRuleEdgeTests {
    typealias F = DerivedFixture
    typealias M = MetricsFixture

    /// `total` production deployments in May 2024 (one per day), the first `failed` with a linked incident.
    static func cfrInputs(failed: Int, total: Int) -> MetricInputs {
        let deployments = (0..<total).map { index in
            let finish = F.at2024("05-01 12:00") + EpochMilliseconds(index) * 86_400_000
            return MetricInputs.Deployment(
                identity: DeploymentIdentity(connectionId: 1, id: "d\(index)"), start: finish - 600_000, finish: finish)
        }
        let incidents = (0..<failed).map { index in
            MetricInputs.Incident(
                identity: IssueIdentity(connectionId: 1, issueKey: "i\(index)"),
                createdDate: deployments[index].finish + 60_000, resolutionDate: nil, leadTimeMinutes: nil,
                status: "TODO", linkedDeployment: deployments[index].identity)
        }
        // One unlinked incident so that "never received an incident" does not apply when failed = 0.
        let unlinked = MetricInputs.Incident(
            identity: IssueIdentity(connectionId: 1, issueKey: "unlinked"), createdDate: F.at2024("04-01 00:00"),
            resolutionDate: nil, leadTimeMinutes: nil, status: "TODO", linkedDeployment: nil)
        return MetricInputs(deployments: deployments, incidents: incidents + [unlinked])
    }

    @Test(
        "CFR is classified with the exact fraction at the thresholds",
        arguments: [
            (MetricReport.r2023, 1, 20, Tier.elite, "5.0%(elite)"),
            (.r2023, 2, 20, .high, "10.0%(high)"),
            (.r2023, 3, 20, .medium, "15.0%(medium)"),
            (.r2023, 4, 20, .low, "20.0%(low)"),
            (.r2023, 1, 16, .high, "6.3%(high)"),
            (.r2023, 1, 7, .medium, "14.3%(medium)"),
            (.r2021, 3, 20, .elite, "15.0%(elite)"),
            (.r2021, 4, 20, .high, "20.0%(high)"),
            (.r2021, 6, 20, .medium, "30.0%(medium)"),
            (.r2021, 7, 20, .low, "35.0%(low)"),
        ])
    func cfrThresholds(_ report: MetricReport, _ failed: Int, _ total: Int, _ tier: Tier, _ label: String) throws {
        // Given `total` deployments in May, `failed` of them with a linked incident
        let inputs = Self.cfrInputs(failed: failed, total: total)
        // When change failure rate is computed for May 2024
        let result = M.compute(.changeFailureRate, inputs, try M.may2024(), report: report)
        // Then the tier follows the exact fraction and the label rounds half away from zero
        #expect(result.numerator == failed)
        #expect(result.denominator == total)
        #expect(result.tier == tier)
        #expect(result.label == label)
    }

    @Test("FDRT: a negative time (explicit link to a later deployment) is excluded and counted")
    func fdrtNegative() throws {
        // Given D2 and D3 of §6.0, I1 (linked to D2 by time) and an incident explicitly linked to D3
        // (finished 05-03 10:10) that was resolved on 05-02 at 12:00
        let explicit = F.incident(
            key: "X", created: F.at2024("05-02 11:00"), resolved: F.at2024("05-02 12:00"), deploymentId: "deploy-103")
        let inputs = M.inputs(
            deployments: [ShopExample.d2, ShopExample.d3],
            issues: [
                F.incident(key: "I1", created: F.at2024("05-02 15:00"), resolved: F.at2024("05-02 16:10")), explicit,
            ])
        // When failed deployment recovery time is computed for May 2024
        let result = M.compute(.failedDeploymentRecoveryTime, inputs, try M.may2024())
        // Then only I1's 100 minutes enter and the negative one is counted in details
        #expect(result.value == 100)
        #expect(result.n == 1)
        #expect(M.number(result.details["excludedNegative"]) == 1)
    }

    @Test("FDRT: an incident resolved after the range does not enter")
    func fdrtResolutionOutsideRange() throws {
        // Given D2 and I1 resolved on 1 June
        let inputs = M.inputs(
            deployments: [ShopExample.d2],
            issues: [F.incident(key: "I1", created: F.at2024("05-02 15:00"), resolved: F.at2024("06-01 00:00"))])
        // When failed deployment recovery time is computed for May 2024
        let result = M.compute(.failedDeploymentRecoveryTime, inputs, try M.may2024())
        // Then the sample is empty
        #expect(result.status == .insufficientData)
        #expect(result.value == nil)
    }

    @Test("MTTR: the leadTimeMinutes sent is used, not the span of the dates")
    func mttrSentLeadTime() throws {
        // Given an incident created 05-02 15:00, resolved 16:10 (70 min) but sent with leadTimeMinutes 10
        var incident = F.incident(key: "I1", created: F.at2024("05-02 15:00"), resolved: F.at2024("05-02 16:10"))
        incident.leadTimeMinutes = 10
        let inputs = M.inputs(issues: [incident])
        // When time to restore service is computed for May 2024 (report 2021)
        let result = M.compute(.timeToRestoreService, inputs, try M.may2024(), report: .r2021)
        // Then the sample is [10]: elite
        #expect(result.value == 10)
        #expect(result.tier == .elite)
        #expect(result.label == "0.2(elite)")
    }
}
