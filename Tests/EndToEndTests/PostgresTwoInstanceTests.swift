import AsyncHTTPClient
import DoralakeCore
import DoralakeStore
import DoralakeTestSupport
import Foundation
import Logging
import NIOHTTP1
import Synchronization
import Testing

/// Two `doralake serve` processes sharing one PostgreSQL database: both migrate at start-up, take
/// concurrent writes for the same ids, and leave one row per id and consistent derived data.
@Suite(
    "PostgreSQL: two instances",
    .enabled(
        if: TestDatabase.postgresURL != nil,
        "set DORALAKE_TEST_POSTGRES_URL=postgres://user:pass@127.0.0.1:5432/db (a role with CREATEDB) to run"))
struct PostgresTwoInstanceTests {
    static let deploymentCount = 60
    static let incidentCount = 20
    static let pullRequestCount = 30
    static let projectRouteCount = 10

    @Test("two servers on one database migrate together and store overlapping writes exactly once")
    func twoInstancesShareOneDatabase() async throws {
        // A load test: one at a time (see HeavyTestGate).
        try await HeavyTestGate.shared.run { try await twoInstancesShareOneDatabaseBody() }
    }

    private func twoInstancesShareOneDatabaseBody() async throws {
        try await LiveServer.withFreshPostgres { url, client in try await Self.run(url: url, client: client) }
    }

    private static func run(url: String, client: HTTPClient) async throws {
        // Given two servers started at the same time on one fresh database (both migrate it).
        let servers = try await startTogether(count: 2, url: url, client: client)
        let (a, b) = (servers[0], servers[1])
        let retries: Int
        do {
            retries = try await exercise(a: a, b: b, client: client)
        } catch {
            for server in servers { server.kill() }
            print("instance A output:\n\(a.output)\ninstance B output:\n\(b.output)")
            throw error
        }
        for (name, server) in zip(["A", "B"], servers) {
            let stopped = await server.stop(gracePeriod: .seconds(15))
            #expect(stopped, "instance \(name) did not shut down within 15 s of SIGTERM")
        }
        // Lines are `<time> <level> <label>: …`; neither instance logged an error, except the 503s of
        // an overloaded moment ("storage unavailable"), which the senders retried (counted in the log).
        let retried = retries > 0
        let lines = [a.output, b.output].joined(separator: "\n").split(separator: "\n").map(String.init)
        let errors = lines.filter { line in
            let level = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            guard level == "error" || level == "critical" else { return false }
            return !(retried && line.contains("storage unavailable"))
        }
        #expect(errors.count == 0, "server errors:\n\(errors.prefix(20).joined(separator: "\n"))")

        // Then the derived data equals a full recomputation.
        var logger = Logger(label: "e2e-postgres")
        logger.logLevel = .critical
        let store = try await Store.open(.postgres(url: url), options: .testing, logger: logger)
        let mismatches = try await store.withRunningWriter { try await store.derivedDataMismatches() }
        #expect(mismatches.count == 0, "derived data mismatches: \(mismatches.prefix(20))")
    }

    /// Starts `count` servers concurrently; kills the ones that started if any fails.
    private static func startTogether(count: Int, url: String, client: HTTPClient) async throws -> [ServerProcess] {
        let results = await withTaskGroup(of: (Int, Result<ServerProcess, any Error>).self) { group in
            for index in 0..<count {
                group.addTask {
                    do { return (index, .success(try await ServerProcess.start(databaseURL: url, client: client))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            return await group.reduce(into: [(Int, Result<ServerProcess, any Error>)]()) { $0.append($1) }
        }.sorted { $0.0 < $1.0 }.map(\.1)
        let started = results.compactMap { try? $0.get() }
        if started.count < count {
            for server in started { server.kill() }
            let failures = results.compactMap { result -> String? in
                if case .failure(let error) = result { return "\(error)" }
                return nil
            }
            throw E2EError("not every server started: \(failures)")
        }
        return started
    }

    /// - Returns: how many attempts were answered 503 or timed out and were sent again.
    private static func exercise(a: ServerProcess, b: ServerProcess, client: HTTPClient) async throws -> Int {
        let admin = LiveServer.adminToken
        let created = try await LiveServer.send(
            client: client, baseURL: a.baseURL, .POST, "/api/rest/plugins/webhook/connections", token: admin,
            body: #"{"name":"shared-ci"}"#)
        let connectionId = try #require(created.json["id"]?.int, "\(created.text)")
        let key = try #require(created.json["apiKey"]?["apiKey"]?.string)
        let shop = try await LiveServer.send(
            client: client, baseURL: a.baseURL, .POST, "/api/v1/projects", token: admin,
            body: #"{"name":"shop","connectionIds":[\#(connectionId)]}"#)
        #expect(shop.status == 201, "\(shop.text)")
        // The project the project route writes to: it exists, its `train_deployments` connection does not yet.
        let train = try await LiveServer.send(
            client: client, baseURL: b.baseURL, .POST, "/api/v1/projects", token: admin,
            body: #"{"name":"train","connectionIds":[\#(connectionId)]}"#)
        #expect(train.status == 201, "\(train.text)")

        // When both instances take overlapping writes at the same time.
        let base = "/api/rest/plugins/webhook/connections/\(connectionId)"
        let log = ReplyLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<deploymentCount {
                group.addTask {
                    async let first = send(a, base + "/deployments", key, deployment(index, variant: 0), client, log)
                    async let second = send(b, base + "/deployments", key, deployment(index, variant: 1), client, log)
                    _ = try await (first, second)
                }
            }
            for index in 0..<incidentCount {
                group.addTask {
                    async let first = send(a, base + "/issues", key, incident(index, variant: 0), client, log)
                    async let second = send(b, base + "/issues", key, incident(index, variant: 1), client, log)
                    _ = try await (first, second)
                    async let closeA = send(a, base + "/issue/INC-\(index)/close", key, nil, client, log)
                    async let closeB = send(b, base + "/issue/INC-\(index)/close", key, nil, client, log)
                    _ = try await (closeA, closeB)
                }
            }
            for index in 0..<pullRequestCount {
                group.addTask {
                    async let first = send(a, base + "/pull_requests", key, pullRequest(index, variant: 0), client, log)
                    async let second = send(b, base + "/pull_requests", key, pullRequest(index, variant: 1), client, log)
                    _ = try await (first, second)
                }
            }
            for index in 0..<projectRouteCount {
                group.addTask {
                    let path = "/api/rest/plugins/webhook/projects/train/deployments"
                    async let first = send(a, path, admin, projectDeployment(index, variant: 0), client, log)
                    async let second = send(b, path, admin, projectDeployment(index, variant: 1), client, log)
                    _ = try await (first, second)
                }
            }
            try await group.waitForAll()
        }

        // Then every answer is 200 and the project route created its connection once.
        let replies = log.entries
        let expectedReplies = 2 * (deploymentCount + 2 * incidentCount + pullRequestCount + projectRouteCount)
        #expect(replies.count == expectedReplies)
        let failed = replies.filter { $0.status != 200 }
        #expect(failed.count == 0, "\(failed.count) answers were not 200: \(failed.prefix(10).map { "\($0.path) → \($0.status) \($0.text)" })")
        let created1 = replies.filter { $0.path.contains("/projects/train/") && $0.connectionCreated == true }
        // Exactly once; when attempts were retried, the creating one may have committed after it was
        // answered 503, so its retry says false (the connection count below still must be one).
        if log.retryCount == 0 {
            #expect(created1.count == 1, "connectionCreated was true in \(created1.count) answers")
        } else {
            #expect(created1.count <= 1, "connectionCreated was true in \(created1.count) answers")
            print("postgres two instances: \(log.retryCount) attempts answered 503 or timed out and were sent again")
        }

        for server in [a, b] {
            let connections = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .GET, "/api/rest/plugins/webhook/connections", token: admin)
            let names = connections.json.array?.compactMap { $0["name"]?.string } ?? []
            #expect(names.sorted() == ["shared-ci", "train_deployments"], "connections: \(connections.text)")
            let trainConnections = connections.json.array?.filter { $0["name"]?.string == "train_deployments" } ?? []
            let trainId = try #require(trainConnections.first?["id"]?.int)

            let deployments = try await list("deployments", key: "id", connectionId: connectionId, server, client)
            #expect(deployments.count == deploymentCount)
            #expect(Set(deployments) == Set((0..<deploymentCount).map { "d-\($0)" }))
            let trainDeployments = try await list("deployments", key: "id", connectionId: trainId, server, client)
            #expect(trainDeployments.count == projectRouteCount)
            #expect(Set(trainDeployments) == Set((0..<projectRouteCount).map { "t-\($0)" }))
            let issues = try await list("issues", key: "issueKey", connectionId: connectionId, server, client)
            #expect(issues.count == incidentCount)
            #expect(Set(issues) == Set((0..<incidentCount).map { "INC-\($0)" }))
            let open = try await list("issues", key: "issueKey", connectionId: connectionId, server, client, extra: "&status=TODO")
            #expect(open.isEmpty, "issues still open after both closes: \(open)")
            let pullRequests = try await list("pull_requests", key: "pullRequestKey", connectionId: connectionId, server, client)
            #expect(pullRequests.count == pullRequestCount)
            #expect(Set(pullRequests) == Set((1...pullRequestCount).map { String($0) }))

            let project = try await LiveServer.send(client: client, baseURL: server.baseURL, .GET, "/api/v1/projects/train", token: admin)
            let members = project.data?["connectionIds"]?.array?.compactMap(\.int) ?? []
            #expect(members.sorted() == [connectionId, trainId].sorted(), "project train: \(project.text)")
        }
        return log.retryCount
    }

    // MARK: - Requests

    @discardableResult
    private static func send(
        _ server: ServerProcess, _ path: String, _ token: String, _ body: String?, _ client: HTTPClient, _ log: ReplyLog
    ) async throws -> Int {
        // On a busy machine (CI runs every suite at once on two cores) the database may be too slow
        // for a moment: 503 is the documented answer then, and a sender retries. A retried write is
        // an idempotent upsert, so the exactly-once checks below still hold; what must never happen
        // is a 200 for a write that is not stored, or an error other than 503.
        let started = ContinuousClock.now
        while true {
            do {
                let reply = try await LiveServer.send(client: client, baseURL: server.baseURL, .POST, path, token: token, body: body)
                if reply.status == 503 && ContinuousClock.now < started + .seconds(120) {
                    log.retried()
                    try await Task.sleep(for: .milliseconds(200))
                    continue
                }
                let created: Bool? = if case .bool(let value)? = reply.data?["connectionCreated"] { value } else { nil }
                log.append(.init(path: path, status: reply.status, text: reply.text, connectionCreated: created))
                return reply.status
            } catch let error as HTTPClientError where error == .deadlineExceeded && ContinuousClock.now < started + .seconds(120) {
                log.retried()
            }
        }
    }

    /// Every `key` value of a list route for one connection, following the cursor.
    private static func list(
        _ kind: String, key: String, connectionId: Int64, _ server: ServerProcess, _ client: HTTPClient, extra: String = ""
    ) async throws -> [String] {
        var values: [String] = []
        var cursor: String? = nil
        repeat {
            let page = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .GET,
                "/api/v1/\(kind)?limit=1000&connectionId=\(connectionId)\(extra)" + (cursor.map { "&cursor=\($0)" } ?? ""),
                token: LiveServer.adminToken)
            #expect(page.status == 200, "\(page.text)")
            for item in page.data?["items"]?.array ?? [] {
                switch item[key] {
                case .string(let text)?: values.append(text)
                case .number(let text)?: values.append(text)
                default: Testing.Issue.record("item without \(key): \(item)")
                }
            }
            cursor = page.data?["nextCursor"]?.string
        } while cursor != nil
        return values
    }

    // MARK: - Bodies

    /// `2024-05-01T00:00:00Z` plus `hours` and `minutes`.
    private static func time(hours: Int, minutes: Int = 0) -> String {
        let base: TimeInterval = 1_714_521_600  // 2024-05-01T00:00:00Z
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: base + TimeInterval(hours * 3600 + minutes * 60)))
    }

    /// Deployment `d-index`; the two variants differ in finish time, result and commit.
    private static func deployment(_ index: Int, variant: Int) -> String {
        let result = variant == 1 && index % 7 == 0 ? "FAILURE" : "SUCCESS"
        return #"{"id":"d-\#(index)","startedDate":"\#(time(hours: 2 * index))","finishedDate":"\#(time(hours: 2 * index, minutes: 20 + 15 * variant))","result":"\#(result)","environment":"PRODUCTION","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"sha-\#(index)-\#(variant)","includedCommitShas":["inc-\#(index)"]}]}"#
    }

    /// Incident `INC-index`, created between deployments; the variants differ in title and creation time.
    private static func incident(_ index: Int, variant: Int) -> String {
        #"{"issueKey":"INC-\#(index)","title":"outage \#(index) seen by \#(variant)","type":"INCIDENT","status":"TODO","createdDate":"\#(time(hours: 6 * index + 1, minutes: 10 * variant))"}"#
    }

    /// Pull request `index + 1`, merged by a deployment commit of either variant.
    private static func pullRequest(_ index: Int, variant: Int) -> String {
        let key = index + 1
        return #"{"id":"pr-\#(key)","pullRequestKey":\#(key),"displayTitle":"change \#(key) v\#(variant)","url":"https://github.com/acme/shop/pull/\#(key)","createdDate":"\#(time(hours: 2 * index - 5))","mergedDate":"\#(time(hours: 2 * index - 1, minutes: 5 * variant))","mergeCommitSha":"sha-\#(index)-\#(1 - variant)","status":"MERGED"}"#
    }

    /// Deployment `t-index` through the project route; the variants differ in finish time.
    private static func projectDeployment(_ index: Int, variant: Int) -> String {
        #"{"id":"t-\#(index)","startedDate":"\#(time(hours: 12 * index + 1))","finishedDate":"\#(time(hours: 12 * index + 1, minutes: 10 + variant))","environment":"PRODUCTION","deploymentCommits":[{"repoUrl":"https://github.com/acme/train","commitSha":"train-\#(index)"}]}"#
    }
}

/// The answers the concurrent writers received.
final class ReplyLog: Sendable {
    struct Entry: Sendable {
        var path: String
        var status: Int
        var text: String
        var connectionCreated: Bool?
    }

    private let value = Mutex<[Entry]>([])
    private let retries = Mutex(0)
    func append(_ entry: Entry) { value.withLock { $0.append(entry) } }
    var entries: [Entry] { value.withLock { $0 } }
    /// Counts a 503 or timed-out attempt that was sent again.
    func retried() { retries.withLock { $0 += 1 } }
    var retryCount: Int { retries.withLock { $0 } }
}
