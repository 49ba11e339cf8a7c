import DoralakeCore
import Testing

@Suite("Full recomputation of a project's derived data (METRICS §2)")
struct ProjectDerivationTests {
    typealias F = DerivedFixture

    static func shop(
        deployments: [Deployment] = ShopExample.deployments, incidents: [DoralakeCore.Issue] = ShopExample.incidents,
        pullRequests: [PullRequest] = ShopExample.pullRequests
    ) -> ProjectDerivation {
        ProjectDerivation.recompute(connectionIds: ShopExample.connections, deployments: deployments, incidents: incidents, pullRequests: pullRequests)
    }

    @Test("Recomputing §6.0 gives the chain, links, attributions and rework of the spec's examples")
    func shopExample() {
        // Given the §6.0 data set / When recomputed
        let derivation = Self.shop()
        // Then every piece matches the worked examples
        #expect(derivation.previousSuccessIds.count == 6)
        #expect(derivation.previousSuccessIds[ShopExample.rowId(ShopExample.d2)] == ShopExample.rowId(ShopExample.d1))
        #expect(derivation.incidentLinks.map(\.reason) == [.time, .time, .time, .noPriorDeployment, .notCausedByDeployment])
        #expect(derivation.pullRequests.map { $0.attribution?.rule } == [.mergeSha, .includedSha, .time, nil, .mergeSha])
        #expect(derivation.pullRequests.filter { $0.attribution != nil }.map(\.times.cycleTime).sorted() == [70, 1091, 1400, 1590])
        // No production deployment finishes inside any incident's (created, resolved] window
        #expect(derivation.rework.isEmpty)
    }

    @Test("Recomputation does not depend on input order")
    func orderIndependent() {
        let shuffled = Self.shop(
            deployments: ShopExample.deployments.reversed(), incidents: ShopExample.incidents.reversed(),
            pullRequests: ShopExample.pullRequests.reversed())
        #expect(shuffled == Self.shop())
    }

    @Test("Entities on other connections, non-incident issues and unmerged PRs do not change the result")
    func ignoresForeignEntities() {
        let foreignDeployment = F.single(connection: 2, id: "deploy-100", sha: "ccc333", started: F.at2024("05-02 10:00"), finished: F.at2024("05-02 14:59"))
        let foreignIncident = F.incident(connection: 2, key: "I9", created: F.at2024("05-02 15:00"))
        var bug = F.incident(key: "BUG-1", created: F.at2024("05-02 15:00"))
        bug.type = "BUG"
        let foreignPullRequest = F.pullRequest(connection: 2, key: 1, created: F.at2024("05-01 08:00"), merged: F.at2024("05-01 09:00"), sha: "aaa111")
        let noisy = Self.shop(
            deployments: ShopExample.deployments + [foreignDeployment], incidents: ShopExample.incidents + [foreignIncident, bug],
            pullRequests: ShopExample.pullRequests + [foreignPullRequest])
        #expect(noisy == Self.shop())
    }

    @Test("Writing a deployment before I4 changes I4's link on recomputation")
    func newDeploymentRelinks() {
        let d0 = F.single(id: "deploy-099", sha: "000000", started: F.at2024("04-28 20:00"), finished: F.at2024("04-28 21:00"))
        let derivation = Self.shop(deployments: ShopExample.deployments + [d0])
        let i4 = derivation.incidentLinks.first { $0.incident.issueKey == "I4" }
        #expect(i4?.reason == .time)
        #expect(i4?.deployment == DeploymentIdentity(d0))
        // and D0 becomes the head of the production chain
        #expect(derivation.previousSuccessIds[ShopExample.rowId(ShopExample.d1)] == ShopExample.rowId(d0))
    }

    @Test("The all scope (every connection) links across connections")
    func allScopeSpansConnections() {
        let other = F.single(connection: 2, id: "x", sha: "1", started: F.at2024("05-02 14:40"), finished: F.at2024("05-02 14:50"))
        let derivation = ProjectDerivation.recompute(
            connectionIds: [1, 2], deployments: ShopExample.deployments + [other], incidents: ShopExample.incidents, pullRequests: [])
        #expect(derivation.incidentLinks.first?.deployment == DeploymentIdentity(other))
    }
}
