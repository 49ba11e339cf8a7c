import DoralakeCore
import Testing

@Suite("Incident → deployment links (METRICS §5.1)")
struct IncidentLinkerTests {
    typealias F = DerivedFixture
    typealias Reason = IncidentLink.Reason

    private static let linker = IncidentLinker(connectionIds: ShopExample.connections, deployments: ShopExample.deployments)
    private static let d2 = DeploymentIdentity(ShopExample.d2)

    @Test(
        "The §6.0 incidents link as the spec's examples say",
        arguments: [
            // I1 (created 05-02 15:00) → D2 (finished 14:30)
            ("I1", Reason.time, d2),
            // I2 (19:00) → D2: F1 finished later (18:00) but is FAILURE
            ("I2", .time, d2),
            // I3 (05-03 10:10) → D2: D3 finished at exactly 10:10, not strictly before
            ("I3", .time, d2),
            // I4 (04-28) → nothing deployed before
            ("I4", .noPriorDeployment, nil),
            // I5 → causedByDeployment: false
            ("I5", .notCausedByDeployment, nil),
        ] as [(String, Reason, DeploymentIdentity?)])
    func examples(key: String, reason: Reason, deployment: DeploymentIdentity?) throws {
        // Given an incident of the §6.0 data set
        let incident = try #require(ShopExample.incidents.first { $0.issueKey == key })
        // When it is linked
        let link = Self.linker.link(incident)
        // Then reason and deployment are as specified
        #expect(link.reason == reason)
        #expect(link.deployment == deployment)
        #expect(link.incident == IssueIdentity(connectionId: 1, issueKey: key))
    }

    @Test(
        "Equal finishes: latest start wins, then greatest connection id, then greatest id",
        arguments: [
            // (start of X, start of Y, id of Y, expected)
            ("09:00", "09:30", "b", DeploymentIdentity(connectionId: 2, id: "b")),  // Y started later
            ("09:00", "09:00", "b", DeploymentIdentity(connectionId: 2, id: "b")),  // equal starts: greater connection
            ("09:30", "09:00", "b", DeploymentIdentity(connectionId: 1, id: "a")),  // X started later
        ])
    func ties(startX: String, startY: String, idY: String, expected: DeploymentIdentity) {
        // Given X (conn 1, "a") and Y (conn 2, "b") both finishing at 10:00
        let x = F.single(connection: 1, id: "a", sha: "1", started: F.at2024("06-01 " + startX), finished: F.at2024("06-01 10:00"))
        let y = F.single(connection: 2, id: idY, sha: "2", started: F.at2024("06-01 " + startY), finished: F.at2024("06-01 10:00"))
        let linker = IncidentLinker(connectionIds: [1, 2], deployments: [x, y])
        // When an incident created at 10:05 is linked
        let link = linker.link(F.incident(key: "T", created: F.at2024("06-01 10:05")))
        // Then the tie-break picks as specified
        #expect(link == IncidentLink(incident: IssueIdentity(connectionId: 1, issueKey: "T"), reason: .time, deployment: expected))
    }

    @Test("Equal finish, start and connection: the greatest id in byte order wins")
    func tieOnIdUsesByteOrder() {
        let a = F.single(id: "Z", sha: "1", started: 0, finished: 60_000)
        let b = F.single(id: "a", sha: "2", started: 0, finished: 60_000)
        let link = IncidentLinker(connectionIds: [1], deployments: [b, a]).link(F.incident(key: "T", created: 120_000))
        #expect(link.deployment == DeploymentIdentity(connectionId: 1, id: "a"))
    }

    @Test("The time rule compares the deployment's finish, not each row's")
    func timeRuleUsesDeploymentFinish() {
        // Given a two-repo deployment whose rows finish at 10:00 and 11:00, and an older one at 09:00
        let older = F.single(id: "old", sha: "0", started: F.at2024("06-01 08:50"), finished: F.at2024("06-01 09:00"))
        let multi = F.deployment(
            id: "multi",
            rows: [
                F.row(repo: "https://g/r1", sha: "1", started: F.at2024("06-01 09:50"), finished: F.at2024("06-01 10:00")),
                F.row(repo: "https://g/r2", sha: "2", started: F.at2024("06-01 09:55"), finished: F.at2024("06-01 11:00")),
            ])
        // When an incident created at 10:30, between the two rows, is linked
        let link = IncidentLinker(connectionIds: [1], deployments: [older, multi]).link(F.incident(key: "T", created: F.at2024("06-01 10:30")))
        // Then it links to the older deployment (multi finished at 11:00)
        #expect(link.deployment == DeploymentIdentity(connectionId: 1, id: "old"))
    }

    @Test("There is no maximum gap: an incident months later links to the last deployment")
    func noMaximumGap() {
        let link = Self.linker.link(F.incident(key: "late", created: F.utc("2024-12-01 00:00")))
        #expect(link.deployment == DeploymentIdentity(ShopExample.d4))
    }

    @Test("An explicit deploymentId links to that deployment even when it is not a production deployment")
    func explicitLinkToNonProduction() {
        let incident = F.incident(key: "E", created: F.at2024("05-02 19:00"), deploymentId: "deploy-102")
        let link = Self.linker.link(incident)
        #expect(link.reason == .explicit)
        #expect(link.deployment == DeploymentIdentity(ShopExample.f1))
    }

    @Test("An explicit link to an unknown deployment is unresolved, with no time fallback")
    func explicitUnresolved() {
        let incident = F.incident(key: "E", created: F.at2024("05-02 19:00"), deploymentId: "deploy-999")
        #expect(Self.linker.link(incident) == IncidentLink(incident: IssueIdentity(incident), reason: .explicitUnresolved, deployment: nil))
    }

    @Test("An explicit link resolves only on a connection of the project")
    func explicitResolvesOnlyInProject() {
        // Given deployment deploy-100 also exists on connection 9, outside the project
        let foreign = F.single(connection: 9, id: "x", sha: "1", started: 0, finished: 1)
        let linker = IncidentLinker(connectionIds: [1], deployments: ShopExample.deployments + [foreign])
        let toForeign = F.incident(key: "E", created: F.at2024("05-02 19:00"), deploymentId: "x", deploymentConnectionId: 9)
        let toOwn = F.incident(connection: 1, key: "F", created: F.at2024("05-02 19:00"), deploymentId: "deploy-100")
        #expect(linker.link(toForeign).reason == .explicitUnresolved)
        #expect(linker.link(toOwn).deployment == DeploymentIdentity(ShopExample.d1))
    }

    @Test("deploymentConnectionId selects the deployment's connection")
    func explicitUsesDeploymentConnection() {
        let other = F.single(connection: 2, id: "deploy-100", sha: "1", started: 0, finished: 1)
        let linker = IncidentLinker(connectionIds: [1, 2], deployments: ShopExample.deployments + [other])
        let incident = F.incident(key: "E", created: F.at2024("05-02 19:00"), deploymentId: "deploy-100", deploymentConnectionId: 2)
        #expect(linker.link(incident).deployment == DeploymentIdentity(connectionId: 2, id: "deploy-100"))
    }

    @Test("An empty deploymentId is not an explicit link: the time rule applies")
    func emptyDeploymentIdUsesTimeRule() {
        let incident = F.incident(key: "E", created: F.at2024("05-02 19:00"), deploymentId: "")
        #expect(Self.linker.link(incident) == IncidentLink(incident: IssueIdentity(incident), reason: .time, deployment: Self.d2))
    }

    @Test("causedByDeployment: false wins over an explicit deploymentId")
    func notCausedWinsOverExplicit() {
        let incident = F.incident(key: "E", created: F.at2024("05-02 19:00"), causedByDeployment: false, deploymentId: "deploy-101")
        #expect(Self.linker.link(incident).reason == .notCausedByDeployment)
    }

    @Test("links(for:) yields one record per incident of the project, skipping other issues")
    func linksSkipsNonIncidentsAndOtherConnections() {
        var bug = F.incident(key: "B", created: F.at2024("05-02 19:00"))
        bug.type = "BUG"
        let elsewhere = F.incident(connection: 7, key: "X", created: F.at2024("05-02 19:00"))
        let links = Self.linker.links(for: ShopExample.incidents + [bug, elsewhere])
        #expect(links.map(\.incident.issueKey) == ["I1", "I2", "I3", "I4", "I5"])
    }
}
