import DoralakeCore
import Foundation
import Logging
import SQLKit
import Testing

@testable import DoralakeStore

/// METRICS.md §2: after any sequence of writes, stored derived data equals a full recomputation.
@Suite("Derived data invariant")
struct DerivedDataInvariantTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let base: EpochMilliseconds = 1_714_521_600_000  // 2024-05-01T00:00:00Z

    static func event() -> EventDraft {
        EventDraft(
            receivedAt: base, method: "POST", path: "/x", route: "test", connectionId: nil, projectName: nil,
            principal: "admin", status: 200, message: "success", contentType: "", bodySize: 0, bodySha256: "", body: nil,
            bodyTruncated: false)
    }

    /// A random instant: anywhere in 20 days at millisecond resolution, or (coarse) on one of 72
    /// hours, so that equal finishes, creations at a finish and other ties are frequent.
    static func instant(coarse: Bool, using rng: inout SeededGenerator) -> EpochMilliseconds {
        coarse
            ? base + Int64.random(in: 0..<72, using: &rng) * 3_600_000
            : base + Int64.random(in: 0..<(20 * 86_400_000), using: &rng)
    }

    static func duration(coarse: Bool, upTo millis: Int64, using rng: inout SeededGenerator) -> Int64 {
        coarse
            ? Int64.random(in: 0...(millis / 3_600_000), using: &rng) * 3_600_000
            : Int64.random(in: 0..<millis, using: &rng)
    }

    static func randomDeployment(connection: Int64, coarse: Bool = false, using rng: inout SeededGenerator) -> Deployment {
        let started = instant(coarse: coarse, using: &rng)
        let finished = started + duration(coarse: coarse, upTo: 7_200_000, using: &rng)
        let result = ["SUCCESS", "SUCCESS", "SUCCESS", "FAILURE"].randomElement(using: &rng)!
        let environment = ["PRODUCTION", "PRODUCTION", "STAGING"].randomElement(using: &rng)!
        let repos =
            coarse
            ? [["https://github.com/acme/shop", "git@github.com:acme/shop.git", "HTTPS://GitHub.com/acme/shop/"].randomElement(using: &rng)!,
                "git@github.com:acme/web.git"]
            : ["https://github.com/acme/shop", "git@github.com:acme/web.git"]
        let commitCount = Int.random(in: 1...2, using: &rng)
        let commits = (0..<commitCount).map { index in
            let sha = (coarse && Bool.random(using: &rng) ? "S" : "s") + "\(Int.random(in: 0..<25, using: &rng))"
            let commitResult = Bool.random(using: &rng) ? result : "SUCCESS"
            return DeploymentCommit(
                repoUrl: repos[index], commitSha: sha, name: "c", displayTitle: "", result: commitResult,
                originalResult: commitResult, status: "DONE", originalStatus: "DONE", repoId: "", refName: "",
                commitMsg: "", createdDate: started, startedDate: started,
                finishedDate: finished - Int64(index) * 60_000 < started ? started : finished - Int64(index) * 60_000,
                includedCommitShas: Bool.random(using: &rng) ? ["s\(Int.random(in: 0..<25, using: &rng))"] : [])
        }
        let flag = Int.random(in: 0..<10, using: &rng)
        return Deployment(
            connectionId: connection, id: "d\(Int.random(in: 0..<30, using: &rng))", name: "n", displayTitle: "",
            result: result, originalResult: result, status: "DONE", originalStatus: "DONE", environment: environment,
            originalEnvironment: "", kind: flag == 0 ? "HOTFIX" : (flag == 1 ? "REGULAR" : nil),
            isRework: flag == 0 ? true : nil, createdDate: started, startedDate: started, finishedDate: finished,
            commits: commits)
    }

    static func randomIssue(connection: Int64, coarse: Bool = false, using rng: inout SeededGenerator) -> DoralakeCore.Issue {
        let created = instant(coarse: coarse, using: &rng)
        var issue = DoralakeCore.Issue(
            connectionId: connection, issueKey: "I\(Int.random(in: 0..<25, using: &rng))", title: "t",
            status: ["TODO", "DONE"].randomElement(using: &rng)!, createdDate: created)
        issue.type = ["INCIDENT", "INCIDENT", "BUG", "REQUIREMENT"].randomElement(using: &rng)!
        if issue.status == "DONE" {
            issue.resolutionDate = created + duration(coarse: coarse, upTo: 3 * 86_400_000, using: &rng)
            issue.leadTimeMinutes = DoralakeCore.Issue.leadTime(createdDate: created, resolutionDate: issue.resolutionDate)
        }
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: issue.causedByDeployment = false
        case 1:
            issue.deploymentId = "d\(Int.random(in: 0..<30, using: &rng))"
            issue.deploymentConnectionId = Bool.random(using: &rng) ? connection : nil
        default: break
        }
        return issue
    }

    static func randomPullRequest(connection: Int64, coarse: Bool = false, using rng: inout SeededGenerator) -> PullRequest {
        let created = instant(coarse: coarse, using: &rng)
        var pr = PullRequest(
            connectionId: connection, pullRequestKey: Int64.random(in: 1...25, using: &rng), externalId: "x",
            displayTitle: "t", createdDate: created)
        if Int.random(in: 0..<4, using: &rng) > 0 {
            pr.mergedDate = created + duration(coarse: coarse, upTo: 2 * 86_400_000, using: &rng)
            pr.status = "MERGED"
        }
        pr.mergeCommitSha =
            Bool.random(using: &rng) ? (coarse && Bool.random(using: &rng) ? "S" : "s") + "\(Int.random(in: 0..<25, using: &rng))" : ""
        pr.repoUrl =
            Bool.random(using: &rng)
            ? (coarse ? ["https://GitHub.com/acme/shop/", "git@github.com:acme/web.git", " "].randomElement(using: &rng)! : "https://GitHub.com/acme/shop/")
            : nil
        return pr
    }

    @Test(
        "a seeded random sequence of writes and deletes keeps stored derived data equal to a full recomputation",
        arguments: [(7, false), (2024, false), (11, true), (99, true)])
    func randomWrites(seed: UInt64, coarse: Bool) async throws {
        try await StoreTests.withStore { store in
            var rng = SeededGenerator(state: seed)
            var connections: [Int64] = []
            for name in ["c1", "c2", "c3"] {
                connections.append(try await store.createConnection(name: name, keyHash: "h-\(name)", expiredAt: nil).id)
            }
            _ = try await store.createProject(name: "p1", connectionIds: [connections[0], connections[1]])
            _ = try await store.createProject(name: "p2", connectionIds: [connections[1]])
            var checks = 0
            var exercised = (links: 0, attributions: 0, rework: 0)
            // PostgreSQL answers each of the many small statements over a socket: fewer steps there
            // keep the suite's time reasonable (the same sequence prefix, the same checks).
            let steps = if case .postgres = store.url { 400 } else { 1200 }
            for step in 1...steps {
                if step % 400 == 0 {
                    // Deleting a connection takes its data out of every scope; a new one replaces it.
                    let index = Int.random(in: 0..<connections.count, using: &rng)
                    _ = try await store.deleteConnection(id: connections[index])
                    connections[index] = try await store.createConnection(name: "c\(step)", keyHash: "h-\(step)", expiredAt: nil).id
                }
                let connection = connections.randomElement(using: &rng)!
                if step % 9 == 4 {
                    // Deletes (spec §10): derived data must follow them as it follows writes.
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: _ = try await store.deleteDeployment(connectionId: connection, id: "d\(Int.random(in: 0..<30, using: &rng))")
                    case 1: _ = try await store.deleteIssue(connectionId: connection, issueKey: "I\(Int.random(in: 0..<25, using: &rng))")
                    default: _ = try await store.deletePullRequest(connectionId: connection, pullRequestKey: Int64.random(in: 1...25, using: &rng))
                    }
                }
                switch Int.random(in: 0..<20, using: &rng) {
                case 0..<7:
                    _ = try await store.upsert(
                        Self.randomDeployment(connection: connection, coarse: coarse, using: &rng), event: Self.event())
                case 7..<12:
                    _ = try await store.upsert(
                        Self.randomIssue(connection: connection, coarse: coarse, using: &rng), event: Self.event())
                case 12..<13:
                    let key = "I\(Int.random(in: 0..<25, using: &rng))"
                    _ = try? await store.close(
                        issueKey: key, connectionId: connection,
                        request: IssueClose(
                            resolutionDate: coarse ? Self.instant(coarse: true, using: &rng) : Self.base + 25 * 86_400_000),
                        event: Self.event())
                case 13..<17:
                    _ = try await store.upsert(
                        Self.randomPullRequest(connection: connection, coarse: coarse, using: &rng), event: Self.event())
                case 17:
                    _ = try await store.attach(connectionId: connection, toProject: ["p1", "p2"].randomElement(using: &rng)!)
                case 18:
                    _ = try? await store.detach(connectionId: connection, fromProject: ["p1", "p2"].randomElement(using: &rng)!)
                default:
                    _ = try await store.upsert(
                        [Commit(connectionId: connection, repoUrl: "r", sha: "c\(step)", authoredDate: Self.base, additions: 3)],
                        event: Self.event())
                }
                if step % 50 == 0 {
                    let counts = try await store.read { db in
                        try await db.raw(
                            """
                            SELECT (SELECT COUNT(*) FROM project_incident_links WHERE reason = 'time') AS links,
                                (SELECT COUNT(*) FROM project_pr_attributions WHERE rule IS NOT NULL) AS attributions,
                                (SELECT COUNT(*) FROM project_rework WHERE reason = 'after_incident') AS rework
                            """
                        ).first()!
                    }
                    exercised.links += try counts.decode(column: "links", as: Int.self)
                    exercised.attributions += try counts.decode(column: "attributions", as: Int.self)
                    exercised.rework += try counts.decode(column: "rework", as: Int.self)
                    let problems = try await store.derivedDataMismatches()
                    #expect(problems.isEmpty, "after step \(step): \(problems.prefix(5))")
                    checks += 1
                }
            }
            #expect(checks == steps / 50)
            // The data set exercised the derived data: time links, attributions and rework were stored
            // at the checks (attach and detach are random, so a project may end with no connection).
            #expect(exercised.links > 0 && exercised.attributions > 0 && exercised.rework > 0, "\(exercised)")
            // Facts read for a range only give the same metrics as the whole history.
            for (fromDay, toDay) in [(0, 30), (3, 9), (12, 13), (40, 50)] {
                let range = MetricRange(
                    from: Self.base + Int64(fromDay) * 86_400_000, to: Self.base + Int64(toDay) * 86_400_000 - 1,
                    timeZone: TimeZone(identifier: "UTC")!)
                for project in ["p1", "p2", "all"] {
                    let whole =
                        project == "all"
                        ? try await store.metricInputsOfAllConnections()
                        : try #require(try await store.metricInputs(project: project))
                    let ranged =
                        project == "all"
                        ? try await store.metricInputsOfAllConnections(range: range.from...range.to)
                        : try #require(try await store.metricInputs(project: project, range: range.from...range.to))
                    for report in MetricReport.allCases {
                        #expect(
                            MetricDefinitions(inputs: ranged, range: range, report: report).compute()
                                == MetricDefinitions(inputs: whole, range: range, report: report).compute(),
                            "\(project) days \(fromDay)–\(toDay) report \(report.rawValue)")
                    }
                }
            }
        }
    }

    @Test("concurrent writes to one project, grouped into shared transactions, leave derived data consistent")
    func concurrentWrites() async throws {
        try await StoreTests.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil).id
            _ = try await store.createProject(name: "p", connectionIds: [connection])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<150 {
                    group.addTask {
                        var rng = SeededGenerator(state: UInt64(index))
                        switch index % 3 {
                        case 0: _ = try await store.upsert(Self.randomDeployment(connection: connection, using: &rng), event: Self.event())
                        case 1: _ = try await store.upsert(Self.randomIssue(connection: connection, using: &rng), event: Self.event())
                        default: _ = try await store.upsert(Self.randomPullRequest(connection: connection, using: &rng), event: Self.event())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let problems = try await store.derivedDataMismatches()
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            let statistics = store.writer.statistics
            #expect(statistics.transactions < statistics.jobs, "writes were grouped: \(statistics)")
        }
    }

    @Test("upgrading a version-2 database builds the production index and derived data once, at start-up")
    func upgradeFromVersionTwo() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("u.sqlite").path
        var logger = Logger(label: "u")
        logger.logLevel = .critical
        let first = try await Store.open(.sqlite(path: path), options: .testing, logger: logger)
        try await first.withRunningWriter {
            let connection = try await first.createConnection(name: "c", keyHash: "h", expiredAt: nil).id
            _ = try await first.createProject(name: "p", connectionIds: [connection])
            var rng = SeededGenerator(state: 5)
            for _ in 0..<60 {
                _ = try await first.upsert(Self.randomDeployment(connection: connection, using: &rng), event: Self.event())
                _ = try await first.upsert(Self.randomIssue(connection: connection, using: &rng), event: Self.event())
                _ = try await first.upsert(Self.randomPullRequest(connection: connection, using: &rng), event: Self.event())
            }
            // Turn the file back into what version 2 left: no index, no keys, no derived rows.
            try await first.write { db in
                for statement in [
                    "DROP TABLE production_row_shas", "DROP TABLE production_rows", "DROP TABLE production_deployments",
                    "DROP INDEX pull_requests_repo_key", "DROP INDEX pull_requests_merge_sha_key",
                    "ALTER TABLE pull_requests DROP COLUMN repo_key", "ALTER TABLE pull_requests DROP COLUMN merge_sha_key",
                    "DROP INDEX issues_type_created", "DROP INDEX issues_all_type_created", "DROP INDEX issues_deployment", "DROP INDEX project_rework_incident",
                    "DELETE FROM project_incident_links", "DELETE FROM project_pr_attributions", "DELETE FROM project_rework",
                    // Later migrations go too: the upgrade re-runs them after version 3.
                    "DROP TABLE IF EXISTS web_sessions",
                    "DROP INDEX IF EXISTS project_incident_links_issue", "DROP INDEX IF EXISTS project_pr_attributions_pull_request",
                    "DROP INDEX IF EXISTS pull_requests_connection_merged", "DROP INDEX IF EXISTS project_pr_attributions_deployed",
                    "DROP INDEX IF EXISTS cicd_deployments_flagged",
                    "DROP INDEX IF EXISTS issues_type_resolved",
                    "DROP TABLE IF EXISTS derivation_changes", "DROP TABLE IF EXISTS chain_rows",
                    "ALTER TABLE events DROP COLUMN item_statuses",
                    "CREATE INDEX cicd_deployment_commits_chain ON cicd_deployment_commits (connection_id, repo_url, environment, result, finished_date, started_date, id)",
                    "UPDATE cicd_deployment_commits SET prev_success_deployment_commit_id = ''",
                    "DELETE FROM schema_migrations WHERE version >= 3",
                ] {
                    try await db.raw(SQLQueryString(statement)).run()
                }
            }
        }
        let second = try await Store.open(.sqlite(path: path), options: .testing, logger: logger)
        try await second.withRunningWriter {
            let problems = try await second.derivedDataMismatches()
            #expect(problems.isEmpty, "\(problems)")
            let counts = try await second.read { db in
                try await db.raw(
                    """
                    SELECT (SELECT COUNT(*) FROM production_deployments) AS production,
                        (SELECT COUNT(*) FROM project_incident_links) AS links,
                        (SELECT COUNT(*) FROM settings WHERE name = 'derived.rebuildPending') AS pending
                    """
                ).first()!
            }
            #expect(try counts.decode(column: "production", as: Int.self) > 0)
            #expect(try counts.decode(column: "links", as: Int.self) > 0)
            #expect(try counts.decode(column: "pending", as: Int.self) == 0)
        }
    }
}
