import DoralakeCore
import DoralakeTestSupport
import Foundation
import Logging
import Testing

@testable import DoralakeStore

/// The batched derived-data reads that answer a page of a list (`/api/v1` lists, the web UI's
/// drill-downs): the same records as reading each item alone, in a fixed number of statements.
@Suite("Derived data: batched reads of a page")
struct DerivedDataBatchReadTests {
    static let base: EpochMilliseconds = 1_714_521_600_000  // 2024-05-01T00:00:00Z
    static let hour: Int64 = 3_600_000

    /// Runs `body` on a new store of `database`.
    static func withStore(on database: TestDatabase, _ body: @escaping @Sendable (Store) async throws -> Void)
        async throws
    {
        try await database.withFreshDatabase { url in
            var logger = Logger(label: "batch-read-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, options: .testing, logger: logger)
            try await store.withRunningWriter { try await body(store) }
        }
    }

    /// A successful production deployment of one commit, finished `finishedHour` hours after ``base``.
    static func deployment(
        _ connectionId: Int64, _ id: String, finishedHour: Int64, sha: String, kind: String? = nil, isRework: Bool? = nil
    ) -> Deployment {
        let finished = base + finishedHour * hour
        let started = finished - hour / 2
        return Deployment(
            connectionId: connectionId, id: id, name: "deploy", displayTitle: "", result: "SUCCESS",
            originalResult: "SUCCESS", status: "DONE", originalStatus: "DONE", environment: "PRODUCTION",
            originalEnvironment: "", kind: kind, isRework: isRework, createdDate: started, startedDate: started,
            finishedDate: finished,
            commits: [
                DeploymentCommit(
                    repoUrl: "https://github.com/acme/shop", commitSha: sha, name: "c", displayTitle: "",
                    result: "SUCCESS", originalResult: "SUCCESS", status: "DONE", originalStatus: "DONE", repoId: "",
                    refName: "", commitMsg: "", createdDate: started, startedDate: started, finishedDate: finished,
                    includedCommitShas: [])
            ])
    }

    /// An unresolved incident created `createdMinute` minutes after ``base``.
    static func incident(_ connectionId: Int64, _ key: String, createdMinute: Int64, deploymentId: String? = nil)
        -> DoralakeCore.Issue
    {
        var issue = DoralakeCore.Issue(
            connectionId: connectionId, issueKey: key, title: "outage", status: "TODO",
            createdDate: base + createdMinute * 60_000)
        issue.type = "INCIDENT"
        issue.deploymentId = deploymentId
        return issue
    }

    /// A pull request merged `mergedMinute` minutes after ``base`` with merge commit `sha`, or open when nil.
    static func pullRequest(_ connectionId: Int64, _ key: Int64, mergedMinute: Int64?, sha: String) -> PullRequest {
        var pullRequest = PullRequest(
            connectionId: connectionId, pullRequestKey: key, externalId: "x\(key)", displayTitle: "change",
            createdDate: base)
        if let mergedMinute {
            pullRequest.mergedDate = base + mergedMinute * 60_000
            pullRequest.status = "MERGED"
        }
        pullRequest.mergeCommitSha = sha
        return pullRequest
    }

    static func event() -> EventDraft {
        EventDraft(
            receivedAt: base, method: "POST", path: "/x", route: "test", connectionId: nil, projectName: nil,
            principal: "admin", status: 200, message: "success", contentType: "", bodySize: 0, bodySha256: "", body: nil,
            bodyTruncated: false)
    }

    /// The connections of ``storeExample(_:)``: `shared` is in projects `alpha` and `beta`, `second`
    /// in `alpha` only, `loose` in no project.
    struct Connections {
        var shared: Int64
        var second: Int64
        var loose: Int64
    }

    /// Stores a small history with every kind of derived datum:
    ///
    /// | deployment | finish | project `alpha` (shared + second) | project `beta` (shared) |
    /// |---|---|---|---|
    /// | shared/d1 | +1 h | INC-10, INC-2 (time); PRs 3, 5 | same |
    /// | second/e1 | +2 h | OPS-1 (time); PR 8; rework after INC-2 | – |
    /// | shared/d2 (HOTFIX) | +3 h | INC-30 (time), INC-7 (explicit); PR 12; rework flagged | same |
    /// | shared/d3 | +5 h | rework after INC-30 | same |
    /// | loose/x1 | +1 h | – (the all scope only: Z-1, PR 1) | – |
    ///
    /// Items are written out of key order, so that only the reads' `ORDER BY` puts them in order.
    static func storeExample(_ store: Store) async throws -> Connections {
        let shared = try await store.createConnection(name: "shared", keyHash: "h1", expiredAt: nil).id
        let second = try await store.createConnection(name: "second", keyHash: "h2", expiredAt: nil).id
        let loose = try await store.createConnection(name: "loose", keyHash: "h3", expiredAt: nil).id
        _ = try await store.createProject(name: "beta", connectionIds: [shared])
        _ = try await store.createProject(name: "alpha", connectionIds: [shared, second])
        for deployment in [
            deployment(shared, "d3", finishedHour: 5, sha: "ccc3"),
            deployment(shared, "d1", finishedHour: 1, sha: "aaa1"),
            deployment(shared, "d2", finishedHour: 3, sha: "bbb2", kind: "HOTFIX", isRework: true),
            deployment(second, "e1", finishedHour: 2, sha: "eee1"),
            deployment(loose, "x1", finishedHour: 1, sha: "xxx1"),
        ] {
            _ = try await store.upsert(deployment, event: event())
        }
        for issue in [
            incident(shared, "INC-2", createdMinute: 90),
            incident(shared, "INC-10", createdMinute: 105),
            incident(second, "OPS-1", createdMinute: 150),
            incident(shared, "INC-7", createdMinute: 360, deploymentId: "d2"),
            incident(shared, "INC-30", createdMinute: 240),
            incident(loose, "Z-1", createdMinute: 90),
        ] {
            _ = try await store.upsert(issue, event: event())
        }
        for pullRequest in [
            pullRequest(shared, 5, mergedMinute: 20, sha: "aaa1"),
            pullRequest(shared, 3, mergedMinute: 30, sha: "aaa1"),
            pullRequest(shared, 12, mergedMinute: 150, sha: "bbb2"),
            pullRequest(shared, 40, mergedMinute: nil, sha: ""),
            pullRequest(second, 8, mergedMinute: 60, sha: "eee1"),
            pullRequest(loose, 1, mergedMinute: 30, sha: "xxx1"),
        ] {
            _ = try await store.upsert(pullRequest, event: event())
        }
        return Connections(shared: shared, second: second, loose: loose)
    }

    @Test("a page's batched reads equal each item's reads and the hand-checked derived data", arguments: TestDatabase.available)
    func batchedReadsEqualPerItemReads(database: TestDatabase) async throws {
        try await Self.withStore(on: database) { store in
            // Given: two projects sharing a connection, a connection in no project, incidents linked by
            // time and explicitly, attributed pull requests and rework deployments.
            let c = try await Self.storeExample(store)
            let deployments = [
                DeploymentIdentity(connectionId: c.shared, id: "d3"), DeploymentIdentity(connectionId: c.loose, id: "x1"),
                DeploymentIdentity(connectionId: c.shared, id: "d1"), DeploymentIdentity(connectionId: c.second, id: "e1"),
                DeploymentIdentity(connectionId: c.shared, id: "d2"), DeploymentIdentity(connectionId: c.shared, id: "absent"),
                DeploymentIdentity(connectionId: c.shared, id: "d1"),
            ]
            let issues =
                ["INC-7", "INC-2", "INC-30", "INC-10", "absent"].map { IssueIdentity(connectionId: c.shared, issueKey: $0) }
                + [
                    IssueIdentity(connectionId: c.second, issueKey: "OPS-1"),
                    IssueIdentity(connectionId: c.loose, issueKey: "Z-1"),
                ]
            let pullRequests =
                [12, 5, 40, 3, 99].map { PullRequestIdentity(connectionId: c.shared, pullRequestKey: $0) }
                + [
                    PullRequestIdentity(connectionId: c.second, pullRequestKey: 8),
                    PullRequestIdentity(connectionId: c.loose, pullRequestKey: 1),
                ]

            // When: the page is read in one call per kind.
            let projects = try await store.deploymentProjects(of: deployments)
            let betaOnly = try await store.deploymentProjects(of: deployments, only: "beta")
            let links = try await store.links(of: issues)
            let attributions = try await store.pullRequestProjects(of: pullRequests)

            // Then: every item has exactly what the per-item statements of before and the public
            // single-item reads return for it.
            #expect(Set(projects.keys) == Set(deployments) && Set(betaOnly.keys) == Set(deployments))
            #expect(Set(links.keys) == Set(issues) && Set(attributions.keys) == Set(pullRequests))
            for deployment in deployments {
                let perItem = try await store.read {
                    try await PerItemDerivedReads(db: $0).deploymentProjects(
                        connectionId: deployment.connectionId, id: deployment.id)
                }
                let perItemBeta = try await store.read {
                    try await PerItemDerivedReads(db: $0).deploymentProjects(
                        connectionId: deployment.connectionId, id: deployment.id, only: "beta")
                }
                #expect(projects[deployment] == perItem, "\(deployment)")
                #expect(betaOnly[deployment] == perItemBeta, "\(deployment) in beta")
                #expect(
                    projects[deployment]
                        == (try await store.deploymentProjects(connectionId: deployment.connectionId, id: deployment.id)),
                    "\(deployment)")
            }
            for issue in issues {
                let perItem = try await store.read {
                    try await PerItemDerivedReads(db: $0).links(connectionId: issue.connectionId, issueKey: issue.issueKey)
                }
                #expect(links[issue] == perItem, "\(issue)")
                #expect(
                    links[issue] == (try await store.links(connectionId: issue.connectionId, issueKey: issue.issueKey)),
                    "\(issue)")
            }
            for pullRequest in pullRequests {
                let perItem = try await store.read {
                    try await PerItemDerivedReads(db: $0).pullRequestProjects(
                        connectionId: pullRequest.connectionId, pullRequestKey: pullRequest.pullRequestKey)
                }
                #expect(attributions[pullRequest] == perItem, "\(pullRequest)")
                #expect(
                    attributions[pullRequest]
                        == (try await store.pullRequestProjects(
                            connectionId: pullRequest.connectionId, pullRequestKey: pullRequest.pullRequestKey)),
                    "\(pullRequest)")
            }

            // And: the values checked by hand against the table of `storeExample`.
            func issueId(_ key: String, _ connection: Int64 = c.shared) -> String {
                DevLakeID.issue(connectionId: connection, issueKey: key)
            }
            func pullRequestId(_ key: Int64, _ connection: Int64 = c.shared) -> String {
                DevLakeID.pullRequest(connectionId: connection, pullRequestKey: key)
            }
            let d1 = try #require(projects[DeploymentIdentity(connectionId: c.shared, id: "d1")])
            #expect(d1.map(\.project) == ["alpha", "beta"])
            #expect(d1.allSatisfy { $0.incidentIds == [issueId("INC-10"), issueId("INC-2")] })
            #expect(d1.allSatisfy { $0.pullRequestIds == [pullRequestId(3), pullRequestId(5)] && $0.reworkReason == nil })
            let d2 = try #require(projects[DeploymentIdentity(connectionId: c.shared, id: "d2")])
            #expect(d2.map(\.incidentIds) == [[issueId("INC-30"), issueId("INC-7")], [issueId("INC-30"), issueId("INC-7")]])
            #expect(d2.map(\.reworkReason) == ["flagged", "flagged"] && d2.allSatisfy { $0.reworkIncidentId == nil })
            let d3 = try #require(projects[DeploymentIdentity(connectionId: c.shared, id: "d3")])
            #expect(d3.map(\.reworkReason) == ["after_incident", "after_incident"])
            #expect(d3.map(\.reworkIncidentId) == [issueId("INC-30"), issueId("INC-30")])
            #expect(
                projects[DeploymentIdentity(connectionId: c.second, id: "e1")]
                    == [
                        DeploymentProjectRecord(
                            project: "alpha", incidentIds: [issueId("OPS-1", c.second)],
                            pullRequestIds: [pullRequestId(8, c.second)], reworkReason: "after_incident",
                            reworkIncidentId: issueId("INC-2"))
                    ])
            #expect(projects[DeploymentIdentity(connectionId: c.loose, id: "x1")] == [])
            #expect(
                projects[DeploymentIdentity(connectionId: c.shared, id: "absent")]?.map(\.project) == ["alpha", "beta"])
            #expect(betaOnly[DeploymentIdentity(connectionId: c.shared, id: "d1")] == [d1[1]])
            #expect(betaOnly[DeploymentIdentity(connectionId: c.second, id: "e1")] == [])

            #expect(
                links[IssueIdentity(connectionId: c.shared, issueKey: "INC-7")]
                    == ["alpha", "beta"].map {
                        IncidentLinkRecord(project: $0, deploymentConnectionId: c.shared, deploymentId: "d2", reason: "explicit")
                    })
            #expect(links[IssueIdentity(connectionId: c.shared, issueKey: "INC-2")]?.map(\.deploymentId) == ["d1", "d1"])
            #expect(links[IssueIdentity(connectionId: c.second, issueKey: "OPS-1")]?.map(\.project) == ["alpha"])
            #expect(links[IssueIdentity(connectionId: c.loose, issueKey: "Z-1")] == [])
            #expect(links[IssueIdentity(connectionId: c.shared, issueKey: "absent")] == [])

            let twelve = try #require(attributions[PullRequestIdentity(connectionId: c.shared, pullRequestKey: 12)])
            #expect(twelve.map(\.project) == ["alpha", "beta"])
            #expect(
                twelve.allSatisfy {
                    $0.rule == "merge_sha" && $0.deploymentId == "d2" && $0.deployedDate == Self.base + 3 * Self.hour
                })
            #expect(attributions[PullRequestIdentity(connectionId: c.second, pullRequestKey: 8)]?.map(\.project) == ["alpha"])
            #expect(attributions[PullRequestIdentity(connectionId: c.loose, pullRequestKey: 1)] == [])
            #expect(attributions[PullRequestIdentity(connectionId: c.shared, pullRequestKey: 40)] == [])
            #expect(attributions[PullRequestIdentity(connectionId: c.shared, pullRequestKey: 99)] == [])
        }
    }

    /// The statements that each batched read (deployments, issues, pull requests) sends for these items.
    static func statementCounts(
        _ store: Store, deployments: [DeploymentIdentity], issues: [IssueIdentity], pullRequests: [PullRequestIdentity]
    ) async throws -> [Int] {
        try await store.read { db in
            let counted = (0..<3).map { _ in StatementCountingDatabase(base: db) }
            _ = try await DerivedDataRepository(db: counted[0]).deploymentProjects(of: deployments)
            _ = try await DerivedDataRepository(db: counted[1]).links(of: issues)
            _ = try await DerivedDataRepository(db: counted[2]).pullRequestProjects(of: pullRequests)
            return counted.map(\.count.value)
        }
    }

    @Test("a batched read's statements do not grow with the page, nor with its connections", arguments: TestDatabase.available)
    func statementsPerPage(database: TestDatabase) async throws {
        try await Self.withStore(on: database) { store in
            // Given: the example history, and pages of 1 and of 50 items (of one connection, and of three).
            let c = try await Self.storeExample(store)
            let connections = [c.shared, c.second, c.loose]
            for spread in [[c.shared], connections] {
                let deployments = (0..<50).map { DeploymentIdentity(connectionId: spread[$0 % spread.count], id: "d\($0)") }
                let issues = (0..<50).map { IssueIdentity(connectionId: spread[$0 % spread.count], issueKey: "INC-\($0)") }
                let pullRequests = (0..<50).map {
                    PullRequestIdentity(connectionId: spread[$0 % spread.count], pullRequestKey: Int64($0))
                }

                // When: each page is read.
                let one = try await Self.statementCounts(
                    store, deployments: Array(deployments.prefix(1)), issues: Array(issues.prefix(1)),
                    pullRequests: Array(pullRequests.prefix(1)))
                let fifty = try await Self.statementCounts(
                    store, deployments: deployments, issues: issues, pullRequests: pullRequests)

                // Then: four statements for deployments (projects, links, attributions, rework), one
                // for issues and one for pull requests, whatever the page.
                #expect(one == [4, 1, 1], "\(spread.count) connection(s)")
                #expect(fifty == [4, 1, 1], "\(spread.count) connection(s)")
            }

            // And: past the keys of one statement, one more statement per read of the derived rows.
            let many = (0..<(DerivedDataRepository.keysPerReadStatement + 1)).map {
                DeploymentIdentity(connectionId: connections[$0 % 3], id: "d\($0)")
            }
            let counts = try await Self.statementCounts(store, deployments: many, issues: [], pullRequests: [])
            #expect(counts == [1 + 3 * 2, 0, 0])
        }
    }

    @Test("reading past one statement's keys still answers every item", arguments: TestDatabase.available)
    func readsAcrossStatements(database: TestDatabase) async throws {
        try await Self.withStore(on: database) { store in
            // Given: the example history and a page longer than one statement's keys, the stored
            // items at its start, middle and end.
            let c = try await Self.storeExample(store)
            let filler = (0..<(2 * DerivedDataRepository.keysPerReadStatement)).map {
                DeploymentIdentity(connectionId: [c.shared, c.second][$0 % 2], id: "f\($0)")
            }
            let stored = [
                DeploymentIdentity(connectionId: c.shared, id: "d1"), DeploymentIdentity(connectionId: c.second, id: "e1"),
                DeploymentIdentity(connectionId: c.shared, id: "d2"),
            ]
            let page = [stored[0]] + filler.prefix(DerivedDataRepository.keysPerReadStatement) + [stored[1]]
                + filler.dropFirst(DerivedDataRepository.keysPerReadStatement) + [stored[2]]

            // When: the page is read at once, and its stored items alone.
            let all = try await store.deploymentProjects(of: page)
            let alone = try await store.deploymentProjects(of: stored)

            // Then: the stored items read the same either way, and the filler has empty projects.
            #expect(all.count == page.count)
            for deployment in stored { #expect(all[deployment] == alone[deployment], "\(deployment)") }
            #expect(all[stored[2]]?.first?.reworkReason == "flagged")
            #expect(filler.allSatisfy { all[$0]?.allSatisfy { $0.incidentIds.isEmpty && $0.reworkReason == nil } == true })
        }
    }
}
