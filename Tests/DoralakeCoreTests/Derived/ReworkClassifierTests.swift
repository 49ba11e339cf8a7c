import DoralakeCore
import Testing

@Suite("Rework classification (METRICS §5.3, §6.6)")
struct ReworkClassifierTests {
    typealias F = DerivedFixture
    typealias Reason = ReworkClassification.Reason

    /// The §6.6 example (project `ops`, June 2024); starts are 10 minutes before finish.
    static func opsDeployments(eKind: String? = nil) -> [Deployment] {
        func deployment(_ id: String, _ finish: String, result: String = "SUCCESS", kind: String? = nil, isRework: Bool? = nil) -> Deployment {
            let finished = F.at2024(finish)
            return F.single(id: id, sha: id, result: result, started: finished - 600_000, finished: finished, kind: kind, isRework: isRework)
        }
        return [
            deployment("A", "06-03 10:00", kind: "REGULAR"),
            deployment("B", "06-04 09:00", isRework: true),
            deployment("C", "06-05 16:00"),
            deployment("D", "06-05 17:30"),
            deployment("E", "06-06 11:00", kind: eKind),
            deployment("F", "06-06 12:00", result: "FAILURE"),
        ]
    }

    static let opsIncidents = [
        F.incident(key: "J", created: F.at2024("06-05 12:00"), resolved: F.at2024("06-05 18:00")),
        F.incident(key: "K", created: F.at2024("06-06 10:00")),
    ]

    static func classify(_ deployments: [Deployment], _ incidents: [DoralakeCore.Issue] = opsIncidents) -> [ReworkClassification] {
        ReworkClassifier.classify(productionDeployments: ProductionDeployment.productionDeployments(of: deployments), incidents: incidents)
    }

    static func record(_ id: String, _ reason: Reason, _ incident: String?) -> ReworkClassification {
        ReworkClassification(
            deployment: DeploymentIdentity(connectionId: 1, id: id), reason: reason,
            incident: incident.map { IssueIdentity(connectionId: 1, issueKey: $0) })
    }

    @Test("§6.6: B is flagged, C answers J, E answers the unresolved K (3 of 5)")
    func example() {
        // Given the ops deployments and incidents J and K
        // When classified
        let rework = Self.classify(Self.opsDeployments())
        // Then B, C, E are rework with their reasons
        #expect(rework == [Self.record("B", .flagged, nil), Self.record("C", .afterIncident, "J"), Self.record("E", .afterIncident, "K")])
        #expect(ProductionDeployment.productionDeployments(of: Self.opsDeployments()).count == 5)
    }

    @Test("§6.6 variant: E posted with kind REGULAR is vetoed and nothing replaces it (2 of 5)")
    func vetoedKeepsTheSlot() {
        let rework = Self.classify(Self.opsDeployments(eKind: "REGULAR"))
        #expect(rework == [Self.record("B", .flagged, nil), Self.record("C", .afterIncident, "J")])
    }

    @Test("isRework: false vetoes like kind REGULAR")
    func isReworkFalseVetoes() {
        var deployments = Self.opsDeployments()
        deployments[2].isRework = false  // C
        #expect(Self.classify(deployments).map(\.deployment.id) == ["B", "E"])
    }

    @Test("HOTFIX and ROLLBACK kinds are flagged")
    func kindsAreFlagged() {
        let hotfix = F.single(id: "h", sha: "1", started: 0, finished: 60_000, kind: "HOTFIX")
        let rollback = F.single(id: "r", sha: "2", started: 0, finished: 120_000, kind: "ROLLBACK")
        #expect(Self.classify([hotfix, rollback], []).map(\.reason) == [.flagged, .flagged])
    }

    @Test("A deployment finishing exactly at creation does not answer; one finishing exactly at resolution does")
    func boundaries() {
        let atCreation = F.single(id: "x", sha: "1", started: 0, finished: F.at2024("06-05 12:00"))
        let atResolution = F.single(id: "y", sha: "2", started: 0, finished: F.at2024("06-05 18:00"))
        #expect(Self.classify([atCreation, atResolution], [Self.opsIncidents[0]]) == [Self.record("y", .afterIncident, "J")])
    }

    @Test("The first deployment after a resolved incident does not count when it finished after the resolution")
    func afterResolutionIsNotRework() {
        let late = F.single(id: "late", sha: "1", started: 0, finished: F.at2024("06-05 18:01"))
        #expect(Self.classify([late], [Self.opsIncidents[0]]).isEmpty)
    }

    @Test("Incidents not caused by a deployment still make the next deployment rework")
    func notCausedStillCounts() {
        let incident = F.incident(key: "N", created: F.at2024("06-05 12:00"), causedByDeployment: false)
        let fix = F.single(id: "fix", sha: "1", started: 0, finished: F.at2024("06-05 13:00"))
        #expect(Self.classify([fix], [incident]) == [Self.record("fix", .afterIncident, "N")])
    }

    @Test("Equal finishes: the earlier start takes the slot")
    func firstOrdersByStart() {
        let early = F.single(id: "z", sha: "1", started: F.at2024("06-05 12:10"), finished: F.at2024("06-05 13:00"))
        let late = F.single(id: "a", sha: "2", started: F.at2024("06-05 12:20"), finished: F.at2024("06-05 13:00"))
        #expect(Self.classify([late, early], [Self.opsIncidents[0]]).map(\.deployment.id) == ["z"])
    }

    @Test("A deployment answering several incidents records the earliest created one")
    func severalIncidentsRecordEarliest() {
        let first = F.incident(key: "2nd", created: F.at2024("06-05 12:30"))
        let second = F.incident(key: "1st", created: F.at2024("06-05 12:00"))
        let fix = F.single(id: "fix", sha: "1", started: 0, finished: F.at2024("06-05 13:00"))
        #expect(Self.classify([fix], [first, second]) == [Self.record("fix", .afterIncident, "1st")])
    }
}
