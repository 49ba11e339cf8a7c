import DoralakeCore
import Testing

@Suite("Pull request → deployment attribution and PR times (METRICS §5.2, §6.2)")
struct PullRequestAttributorTests {
    typealias F = DerivedFixture
    typealias Rule = PullRequestAttribution.Rule

    private static let attributor = PullRequestAttributor(connectionIds: ShopExample.connections, deployments: ShopExample.deployments)

    private static func derivation(_ key: Int64) throws -> PullRequestDerivation {
        let pullRequest = try #require(ShopExample.pullRequests.first { $0.pullRequestKey == key })
        return try #require(attributor.derivation(for: pullRequest))
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        let key: Int64
        let rule: Rule?
        let deployment: Deployment?
        let createdToMerged: Int64
        let deployTime: Int64?
        let cycleTime: Int64
        var testDescription: String { "PR\(key)" }
    }

    @Test(
        "The §6.2 table: rule, deployment and times of PR1–PR6",
        arguments: [
            // PR1: merge_sha → D1 (first deployment of its chain; DevLake would skip it)
            Expected(key: 1, rule: .mergeSha, deployment: ShopExample.d1, createdToMerged: 1320, deployTime: 80, cycleTime: 1400),
            // PR2: included_sha → D2
            Expected(key: 2, rule: .includedSha, deployment: ShopExample.d2, createdToMerged: 1290, deployTime: 300, cycleTime: 1590),
            // PR3: time → D3 (F1 failed, S1 staging skipped); ceil(45.5) = 46, ceil(1044.5) = 1045
            Expected(key: 3, rule: .time, deployment: ShopExample.d3, createdToMerged: 46, deployTime: 1045, cycleTime: 1091),
            // PR4: no later deployment; cycle = created→merged only (not in the LTC sample)
            Expected(key: 4, rule: nil, deployment: nil, createdToMerged: 60, deployTime: nil, cycleTime: 60),
            // PR6: merge_sha → D3 (S1 has the same sha but is staging)
            Expected(key: 6, rule: .mergeSha, deployment: ShopExample.d3, createdToMerged: 30, deployTime: 40, cycleTime: 70),
        ])
    func exampleTable(expected: Expected) throws {
        // Given a merged PR of the §6.0 data set
        // When it is attributed
        let derivation = try Self.derivation(expected.key)
        // Then rule, deployment, deployed date and times are those of the table
        #expect(derivation.attribution?.rule == expected.rule)
        #expect(derivation.attribution?.deployment == expected.deployment.map(DeploymentIdentity.init))
        #expect(derivation.attribution?.rowId == expected.deployment.map(ShopExample.rowId))
        #expect(derivation.attribution?.deployedDate == expected.deployment?.finishedDate)
        #expect(derivation.times.createdToMerged == expected.createdToMerged)
        #expect(derivation.times.deployTime == expected.deployTime)
        #expect(derivation.times.cycleTime == expected.cycleTime)
    }

    @Test("Coding, pickup and review times are absent for webhook data")
    func webhookTimesAbsent() throws {
        let times = try Self.derivation(1).times
        #expect(times.codingTime == nil && times.pickupTime == nil && times.reviewTime == nil)
    }

    @Test("PR5 is not merged and has no derivation")
    func unmergedIsIneligible() throws {
        let pr5 = try #require(ShopExample.pullRequests.first { $0.pullRequestKey == 5 })
        #expect(Self.attributor.derivation(for: pr5) == nil)
        #expect(Self.attributor.derivations(for: ShopExample.pullRequests).map(\.pullRequest.pullRequestKey) == [1, 2, 3, 4, 6])
    }

    @Test("A later redeploy of the same sha keeps PR1 on D1 (earliest start)")
    func redeployKeepsEarliest() throws {
        let d5 = F.single(id: "deploy-105", sha: "aaa111", started: F.at2024("05-05 09:00"), finished: F.at2024("05-05 09:10"))
        let attributor = PullRequestAttributor(connectionIds: [1], deployments: [d5] + ShopExample.deployments)
        let attribution = try #require(attributor.attribution(for: ShopExample.pullRequests[0]))
        #expect(attribution.deployment == DeploymentIdentity(ShopExample.d1))
    }

    @Test("Equal starts within a rule: the smallest row id in byte order wins")
    func equalStartsSmallestRowId() throws {
        // Row ids are webhook:1:{id}:…; "A" sorts before "a" in byte order
        let lower = F.single(id: "a", sha: "abc", started: 0, finished: 60_000)
        let upper = F.single(id: "A", sha: "abc", started: 0, finished: 120_000)
        let attributor = PullRequestAttributor(connectionIds: [1], deployments: [lower, upper])
        let pr = F.pullRequest(key: 1, created: -120_000, merged: -60_000, sha: "abc")
        #expect(try #require(attributor.attribution(for: pr)).deployment.id == "A")
    }

    @Test("merge_sha compares case-insensitively")
    func mergeShaIgnoresCase() throws {
        let pr = F.pullRequest(key: 9, created: F.at2024("04-30 10:00"), merged: F.at2024("05-01 08:00"), sha: "AAA111")
        #expect(try #require(Self.attributor.attribution(for: pr)).rule == .mergeSha)
    }

    @Test("merge_sha wins over an earlier included_sha match")
    func ruleOrderBeatsStartOrder() throws {
        // Given the sha included in an early deployment and deployed as commitSha by a later one
        let early = F.single(id: "early", sha: "x", started: 0, finished: 60_000, included: ["abc"])
        let late = F.single(id: "late", sha: "abc", started: 600_000, finished: 660_000)
        let attributor = PullRequestAttributor(connectionIds: [1], deployments: [early, late])
        let pr = F.pullRequest(key: 1, created: -120_000, merged: -60_000, sha: "abc")
        // Then rule 1 yields and wins
        let attribution = try #require(attributor.attribution(for: pr))
        #expect(attribution.rule == .mergeSha && attribution.deployment.id == "late")
    }

    @Test("The time rule compares normalized repos and accepts a start equal to the merge")
    func timeRuleNormalizesRepoAndIncludesEquality() throws {
        let deployment = F.deployment(
            id: "d", rows: [F.row(repo: "git@GitHub.com:acme/shop.git", sha: "zzz", started: F.at2024("05-01 08:00"), finished: F.at2024("05-01 08:05"))])
        let attributor = PullRequestAttributor(connectionIds: [1], deployments: [deployment])
        let pr = F.pullRequest(key: 1, created: F.at2024("05-01 07:00"), merged: F.at2024("05-01 08:00"), sha: "nomatch", repoUrl: "https://github.com/acme/shop/")
        #expect(try #require(attributor.attribution(for: pr)).rule == .time)
    }

    @Test("Without a repo the time rule is skipped; with an empty sha rules 1–2 are skipped")
    func skippedRules() {
        let deployment = F.single(id: "d", sha: "", started: F.at2024("05-01 09:00"), finished: F.at2024("05-01 09:05"))
        let attributor = PullRequestAttributor(connectionIds: [1], deployments: [deployment])
        let noRepo = F.pullRequest(key: 1, created: F.at2024("05-01 07:00"), merged: F.at2024("05-01 08:00"), sha: "", repoUrl: nil)
        var emptySha = noRepo
        emptySha.repoUrl = DerivedFixture.shopRepo
        #expect(attributor.attribution(for: noRepo) == nil)
        #expect(attributor.attribution(for: emptySha)?.rule == .time)
    }

    @Test("Rows of deployments on other connections are not candidates")
    func otherConnectionsAreIgnored() {
        let foreign = F.single(connection: 2, id: "d", sha: "abc", started: 0, finished: 60_000)
        let pr = F.pullRequest(key: 1, created: -120_000, merged: -60_000, sha: "abc")
        #expect(PullRequestAttributor(connectionIds: [1], deployments: [foreign]).attribution(for: pr) == nil)
    }

    @Test("An attribution to a deployment that finished before the merge is kept with deployTime absent")
    func negativeDeployTimeKeepsAttribution() throws {
        let deployment = F.single(id: "d", sha: "abc", started: F.at2024("05-01 07:00"), finished: F.at2024("05-01 07:30"))
        let pr = F.pullRequest(key: 1, created: F.at2024("05-01 06:00"), merged: F.at2024("05-01 08:00"), sha: "abc")
        let derivation = try #require(PullRequestAttributor(connectionIds: [1], deployments: [deployment]).derivation(for: pr))
        #expect(derivation.attribution?.deployment.id == "d")
        #expect(derivation.times.deployTime == nil)
        #expect(derivation.times.cycleTime == 120)
    }

    @Test(
        "span is the ceiling of minutes; negative results are absent, ceil(-0.5) = 0 is kept",
        arguments: [
            (Int64(0), Int64?(0)),
            (Int64(1), Int64?(1)),
            (Int64(60_000), Int64?(1)),
            (Int64(60_001), Int64?(2)),
            (Int64(2_730_000), Int64?(46)),  // 45.5 min
            (Int64(-30_000), Int64?(0)),  // deploy 30 s before the merge
            (Int64(-60_000), Int64?.none),
            (Int64(-90_000), Int64?.none),
        ])
    func span(millis: Int64, minutes: Int64?) {
        #expect(PullRequestAttributor.span(from: 1_000_000, to: 1_000_000 + millis) == minutes)
    }

    @Test("span is absent when either end is absent")
    func spanAbsentEnds() {
        #expect(PullRequestAttributor.span(from: nil, to: 5) == nil)
        #expect(PullRequestAttributor.span(from: 5, to: nil) == nil)
    }
}
