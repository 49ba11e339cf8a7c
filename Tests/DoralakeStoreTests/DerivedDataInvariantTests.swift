import DoralakeCore
import Foundation
import Logging
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

    static func randomDeployment(connection: Int64, using rng: inout SeededGenerator) -> Deployment {
        let started = base + Int64.random(in: 0..<(20 * 86_400_000), using: &rng)
        let finished = started + Int64.random(in: 0..<7_200_000, using: &rng)
        let result = ["SUCCESS", "SUCCESS", "SUCCESS", "FAILURE"].randomElement(using: &rng)!
        let environment = ["PRODUCTION", "PRODUCTION", "STAGING"].randomElement(using: &rng)!
        let repos = ["https://github.com/acme/shop", "git@github.com:acme/web.git"]
        let commitCount = Int.random(in: 1...2, using: &rng)
        let commits = (0..<commitCount).map { index in
            let sha = "s\(Int.random(in: 0..<25, using: &rng))"
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

    static func randomIssue(connection: Int64, using rng: inout SeededGenerator) -> DoralakeCore.Issue {
        let created = base + Int64.random(in: 0..<(20 * 86_400_000), using: &rng)
        var issue = DoralakeCore.Issue(
            connectionId: connection, issueKey: "I\(Int.random(in: 0..<25, using: &rng))", title: "t",
            status: ["TODO", "DONE"].randomElement(using: &rng)!, createdDate: created)
        issue.type = ["INCIDENT", "INCIDENT", "BUG", "REQUIREMENT"].randomElement(using: &rng)!
        if issue.status == "DONE" {
            issue.resolutionDate = created + Int64.random(in: 0..<(3 * 86_400_000), using: &rng)
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

    static func randomPullRequest(connection: Int64, using rng: inout SeededGenerator) -> PullRequest {
        let created = base + Int64.random(in: 0..<(20 * 86_400_000), using: &rng)
        var pr = PullRequest(
            connectionId: connection, pullRequestKey: Int64.random(in: 1...25, using: &rng), externalId: "x",
            displayTitle: "t", createdDate: created)
        if Int.random(in: 0..<4, using: &rng) > 0 {
            pr.mergedDate = created + Int64.random(in: 0..<(2 * 86_400_000), using: &rng)
            pr.status = "MERGED"
        }
        pr.mergeCommitSha = Bool.random(using: &rng) ? "s\(Int.random(in: 0..<25, using: &rng))" : ""
        pr.repoUrl = Bool.random(using: &rng) ? "https://GitHub.com/acme/shop/" : nil
        return pr
    }

    @Test("a seeded random sequence of writes keeps stored derived data equal to a full recomputation", arguments: [7, 2024])
    func randomWrites(seed: UInt64) async throws {
        try await StoreTests.withStore { store in
            var rng = SeededGenerator(state: seed)
            var connections: [Int64] = []
            for name in ["c1", "c2", "c3"] {
                connections.append(try await store.createConnection(name: name, keyHash: "h-\(name)", expiredAt: nil).id)
            }
            _ = try await store.createProject(name: "p1", connectionIds: [connections[0], connections[1]])
            _ = try await store.createProject(name: "p2", connectionIds: [connections[1]])
            var checks = 0
            for step in 1...1200 {
                let connection = connections.randomElement(using: &rng)!
                switch Int.random(in: 0..<20, using: &rng) {
                case 0..<7:
                    _ = try await store.upsert(Self.randomDeployment(connection: connection, using: &rng), event: Self.event())
                case 7..<12:
                    _ = try await store.upsert(Self.randomIssue(connection: connection, using: &rng), event: Self.event())
                case 12..<13:
                    let key = "I\(Int.random(in: 0..<25, using: &rng))"
                    _ = try? await store.close(
                        issueKey: key, connectionId: connection,
                        request: IssueClose(resolutionDate: Self.base + 25 * 86_400_000), event: Self.event())
                case 13..<17:
                    _ = try await store.upsert(Self.randomPullRequest(connection: connection, using: &rng), event: Self.event())
                case 17:
                    _ = try await store.attach(connectionId: connection, toProject: ["p1", "p2"].randomElement(using: &rng)!)
                case 18:
                    _ = try? await store.detach(connectionId: connection, fromProject: ["p1", "p2"].randomElement(using: &rng)!)
                default:
                    _ = try await store.upsert(
                        [Commit(connectionId: connection, repoUrl: "r", sha: "c\(step)", authoredDate: Self.base, additions: 3)],
                        event: Self.event())
                }
                if step % 100 == 0 {
                    let problems = try await store.derivedDataMismatches()
                    #expect(problems.isEmpty, "after step \(step): \(problems.prefix(5))")
                    checks += 1
                }
            }
            #expect(checks == 12)
            // The data set exercised the derived data: links and attributions exist.
            let inputs = try #require(try await store.metricInputs(project: "p1"))
            #expect(!inputs.incidents.isEmpty)
            #expect(inputs.incidents.contains { $0.linkedDeployment != nil })
            // Facts read for a range only give the same metrics as the whole history.
            for (fromDay, toDay) in [(0, 30), (3, 9), (12, 13), (40, 50)] {
                let range = MetricRange(
                    from: Self.base + Int64(fromDay) * 86_400_000, to: Self.base + Int64(toDay) * 86_400_000 - 1,
                    timeZone: TimeZone(identifier: "UTC")!)
                for project in ["p1", "p2"] {
                    let whole = try #require(try await store.metricInputs(project: project))
                    let ranged = try #require(try await store.metricInputs(project: project, range: range.from...range.to))
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
}
