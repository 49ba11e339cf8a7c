import DoralakeCore
import Foundation
import Testing

/// METRICS.md §6.3 through `MetricDefinitions.compute`.
@Suite("MetricsEngine: change failure rate (METRICS §6.3)")
struct MetricsEngineChangeFailureRateTests {
    typealias F = DerivedFixture
    typealias M = MetricsFixture

    @Test(
        "§6.0: 1 of 4 deployments failed, label and tier per report",
        arguments: [
            (MetricReport.r2023, Tier.low, "25.0%(low)"),
            (.r2021, .medium, "25.0%(medium)"),
        ])
    func example(_ report: MetricReport, _ tier: Tier, _ label: String) throws {
        // Given the §6.0 data set (I1, I2, I3 link to D2; I4 and I5 link to nothing)
        // When change failure rate is computed for May 2024
        let result = M.compute(.changeFailureRate, M.shopInputs, try M.may2024(), report: report)
        // Then CFR = 1 / 4
        #expect(result.status == .ok)
        #expect(result.value == 0.25)
        #expect(result.numerator == 1)
        #expect(result.denominator == 4)
        #expect(result.tier == tier)
        #expect(result.label == label)
    }

    @Test("§6.0: incidentsPerDeployment = 3 linked incidents / 4 deployments = 0.75")
    func incidentsPerDeployment() throws {
        // Given the §6.0 data set
        // When change failure rate is computed for May 2024
        let result = M.compute(.changeFailureRate, M.shopInputs, try M.may2024())
        // Then the detail counts every linked incident
        #expect(M.number(result.details["incidentsPerDeployment"]) == 0.75)
    }

    @Test("§9: the series is per month of deployment finish; months without deployments have no value")
    func series() throws {
        // Given the §6.0 data set (no production deployment in April)
        // When change failure rate is computed for April–May 2024
        let result = M.compute(.changeFailureRate, M.shopInputs, try M.range("2024-04-01", "2024-05-31"))
        // Then April has no value and May has 0.25
        #expect(M.months(result) == ["24/04", "24/05"])
        #expect(M.values(result) == [nil, 0.25])
    }

    static let single = F.single(
        id: "one", sha: "abc", started: F.at2024("05-10 09:50"), finished: F.at2024("05-10 10:00"))

    @Test("small case: one deployment, incidents exist but none linked → 0.0%(elite)")
    func noneLinked() throws {
        // Given one deployment on 05-10 and an incident created before it (no prior deployment)
        let inputs = M.inputs(
            deployments: [Self.single],
            issues: [F.incident(key: "early", created: F.at2024("05-01 10:00"), resolved: F.at2024("05-01 11:00"))])
        // When change failure rate is computed for May 2024
        let result = M.compute(.changeFailureRate, inputs, try M.may2024())
        // Then CFR = 0 of 1, elite
        #expect(result.status == .ok)
        #expect(result.value == 0)
        #expect(result.numerator == 0)
        #expect(result.denominator == 1)
        #expect(result.tier == .elite)
        #expect(result.label == "0.0%(elite)")
    }

    @Test("small case: the same deployment with one linked incident → 100.0%(low)")
    func allLinked() throws {
        // Given one deployment on 05-10 10:00 and an incident created at 11:00 (time rule)
        let inputs = M.inputs(
            deployments: [Self.single],
            issues: [F.incident(key: "after", created: F.at2024("05-10 11:00"), resolved: F.at2024("05-10 12:00"))])
        // When change failure rate is computed for May 2024
        let result = M.compute(.changeFailureRate, inputs, try M.may2024())
        // Then CFR = 1 of 1, low
        #expect(result.status == .ok)
        #expect(result.value == 1)
        #expect(result.numerator == 1)
        #expect(result.denominator == 1)
        #expect(result.tier == .low)
        #expect(result.label == "100.0%(low)")
    }

    @Test(
        "insufficient data: the N/A label names what is missing",
        arguments: [
            ("incidents but no deployment in range", true, "2024-06-01", "N/A. Please check if you have collected deployments."),
            ("deployments in range but never an incident", false, "2024-05-01", "N/A. Please check if you have collected incidents."),
            ("neither", false, "2024-06-01", "N/A. Please check if you have collected deployments/incidents."),
        ])
    func insufficient(_ name: String, _ withIncidents: Bool, _ from: String, _ label: String) throws {
        // Given the §6.0 deployments, with or without its incidents
        let inputs = M.inputs(
            deployments: ShopExample.deployments, issues: withIncidents ? ShopExample.incidents : [],
            pullRequests: ShopExample.pullRequests)
        // When change failure rate is computed for May (deployments in range) or June (none) 2024
        let to = from == "2024-06-01" ? "2024-06-30" : "2024-05-31"
        let result = M.compute(.changeFailureRate, inputs, try M.range(from, to))
        // Then the rate is absent, not 0%, with the matching label
        #expect(result.status == .insufficientData, "\(name)")
        #expect(result.value == nil, "\(name)")
        #expect(result.tier == nil, "\(name)")
        #expect(result.label == label, "\(name)")
    }

    @Test("report 2024: no tier, a tierNote, the value stands")
    func report2024() throws {
        // Given the §6.0 data set
        // When change failure rate is computed for May 2024 under report 2024
        let result = M.compute(.changeFailureRate, M.shopInputs, try M.may2024(), report: .r2024)
        // Then the published clusters give no tier; a note says why
        #expect(result.status == .ok)
        #expect(result.value == 0.25)
        #expect(result.tier == nil)
        #expect(result.tierNote != nil)
        #expect(result.label == "25.0%")
    }

    @Test("report 2025: no tier, with the archetypes tierNote")
    func report2025() throws {
        // Given the §6.0 data set
        // When change failure rate is computed for May 2024 under report 2025
        let result = M.compute(.changeFailureRate, M.shopInputs, try M.may2024(), report: .r2025)
        // Then the tier is null with §8.3's note
        #expect(result.value == 0.25)
        #expect(result.tier == nil)
        #expect(
            result.tierNote
                == "The 2025 DORA report defines archetypes, not performance tiers; Doralake does not derive tiers for it.")
        #expect(result.label == "25.0%")
    }
}
