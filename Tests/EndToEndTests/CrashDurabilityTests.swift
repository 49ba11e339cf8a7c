import AsyncHTTPClient
import DoralakeCore
import DoralakeTestSupport
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// An event answered 200 is committed: SIGKILL during load loses nothing that was acknowledged.
@Suite("Crash durability")
struct CrashDurabilityTests {
    @Test("killing the server with SIGKILL under load loses no acknowledged deployment")
    func sigkillLosesNothingAcknowledged() async throws {
        // A load test: one at a time (see HeavyTestGate).
        try await HeavyTestGate.shared.run { try await sigkillLosesNothingAcknowledgedBody() }
    }

    private func sigkillLosesNothingAcknowledgedBody() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("kill.sqlite").path
        let client = LiveServer.makeClient()
        do {
            try await run(database: database, client: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func run(database: String, client: HTTPClient) async throws {

        let first = try await ServerProcess.start(database: database, client: client)
        let created = try await LiveServer.send(
            client: client, baseURL: first.baseURL, .POST, "/api/rest/plugins/webhook/connections",
            token: LiveServer.adminToken, body: #"{"name":"kill-test"}"#)
        let connectionId = try #require(created.json["id"]?.int)
        let key = try #require(created.json["apiKey"]?["apiKey"]?.string)

        let state = LoadState()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for n in 0..<2000 {
                        let id = "k-\(worker)-\(n)"
                        state.attempts.add(1, ordering: .relaxed)
                        guard
                            let reply = try? await LiveServer.send(
                                client: client, baseURL: first.baseURL, .POST,
                                "/api/rest/plugins/webhook/\(connectionId)/deployments", token: key,
                                body: #"{"id":"\#(id)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"\#(id)"}]}"#)
                        else { return }  // the server is gone
                        if reply.status == 200 { state.acknowledge(id) }
                    }
                }
            }
            group.addTask {
                // Kill once a few hundred writes have been acknowledged (bounded wait).
                let deadline = ContinuousClock.now + .seconds(60)
                while state.acknowledgedCount < 400 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                first.kill()
            }
            try await group.waitForAll()
        }
        let acknowledgedIds = state.acknowledgedIds
        #expect(acknowledgedIds.count >= 400)
        #expect(state.attempts.load(ordering: .relaxed) > acknowledgedIds.count, "the kill interrupted in-flight requests")

        let second = try await ServerProcess.start(database: database, client: client)
        defer { second.terminate() }
        var stored = Set<String>()
        var cursor: String? = nil
        repeat {
            let page = try await LiveServer.send(
                client: client, baseURL: second.baseURL, .GET,
                "/api/v1/deployments?limit=1000" + (cursor.map { "&cursor=\($0)" } ?? ""), token: key)
            #expect(page.status == 200)
            for item in page.data?["items"]?.array ?? [] { if let id = item["id"]?.string { stored.insert(id) } }
            cursor = page.data?["nextCursor"]?.string
        } while cursor != nil
        let lost = acknowledgedIds.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(10))")
        #expect(stored.count >= acknowledgedIds.count)
    }
}

extension CrashDurabilityTests {
    @Test("SIGKILL with a derivation backlog: after restart the backlog drains, and the metrics equal those after `doralake recompute`")
    func sigkillWithBacklogDerivesOnRestart() async throws {
        try await HeavyTestGate.shared.run { try await sigkillWithBacklogBody() }
    }

    private func sigkillWithBacklogBody() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-backlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("backlog.sqlite").path
        let client = LiveServer.makeClient()
        do {
            try await killWithBacklog(database: database, client: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private static let metricsPath = "/api/v1/projects/shop/metrics?from=2024-05-01&to=2024-06-01&series=none"

    private func killWithBacklog(database: String, client: HTTPClient) async throws {
        // After each busy round the deriver pauses 5 s: a burst leaves most of its changes pending.
        let first = try await ServerProcess.start(
            databaseURL: "sqlite:\(database)", client: client, environment: ["DORALAKE_DERIVATION_PAUSE_MS": "5000"])
        let created = try await LiveServer.send(
            client: client, baseURL: first.baseURL, .POST, "/api/rest/plugins/webhook/connections",
            token: LiveServer.adminToken, body: #"{"name":"backlog"}"#)
        let connectionId = try #require(created.json["id"]?.int)
        let key = try #require(created.json["apiKey"]?["apiKey"]?.string)
        let project = try await LiveServer.send(
            client: client, baseURL: first.baseURL, .POST, "/api/v1/projects", token: LiveServer.adminToken,
            body: #"{"name":"shop","connectionIds":[\#(connectionId)]}"#, contentType: "application/json")
        #expect(project.status == 200 || project.status == 201, "\(project.text)")
        // Deployments on 30 days of May 2024, every fifth one failed; an incident after six of them.
        // The incidents go first: an incident's answer waits for its own derivation (its links), which
        // ends the deriver's pause. The first deployment's round then starts a 5 s pause, and the
        // other deployments stay pending.
        for day in stride(from: 1, through: 30, by: 5) {
            let date = String(format: "2024-05-%02d", day)
            let incident = try await LiveServer.send(
                client: client, baseURL: first.baseURL, .POST, "/api/rest/plugins/webhook/\(connectionId)/issues",
                token: key,
                body: #"{"issueKey":"INC-\#(day)","title":"outage","type":"INCIDENT","status":"DONE","createdDate":"\#(date)T12:00:00Z","resolutionDate":"\#(date)T15:00:00Z"}"#,
                contentType: "application/json")
            #expect(incident.status == 200, "\(incident.text)")
        }
        for day in 1...30 {
            if day == 2 {
                let deadline = ContinuousClock.now + .seconds(10)
                while try await Self.pending(client: client, baseURL: first.baseURL) > 0 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let date = String(format: "2024-05-%02d", day)
            let result = day % 5 == 0 ? "FAILURE" : "SUCCESS"
            let deployment = try await LiveServer.send(
                client: client, baseURL: first.baseURL, .POST, "/api/rest/plugins/webhook/\(connectionId)/deployments",
                token: key,
                body: #"{"id":"d\#(day)","result":"\#(result)","createdDate":"\#(date)T09:00:00Z","startedDate":"\#(date)T10:00:00Z","finishedDate":"\#(date)T10:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"\#(String(format: "%040x", day))","commitAuthoredDate":"\#(date)T08:00:00Z"}]}"#,
                contentType: "application/json")
            #expect(deployment.status == 200, "\(deployment.text)")
        }
        let pendingBefore = try await Self.pending(client: client, baseURL: first.baseURL)
        #expect(pendingBefore >= 5, "the burst left a derivation backlog (pending \(pendingBefore))")
        first.kill()

        let second = try await ServerProcess.start(database: database, client: client)
        let drainedBy = ContinuousClock.now + .seconds(30)
        var pending = try await Self.pending(client: client, baseURL: second.baseURL)
        while pending > 0 && ContinuousClock.now < drainedBy {
            try await Task.sleep(for: .milliseconds(50))
            pending = try await Self.pending(client: client, baseURL: second.baseURL)
        }
        #expect(pending == 0, "the backlog drains after the restart")
        let afterRestart = try await LiveServer.send(
            client: client, baseURL: second.baseURL, .GET, Self.metricsPath, token: LiveServer.adminToken)
        #expect(afterRestart.status == 200, "\(afterRestart.text)")
        second.terminate()

        let recompute = try await CommandLineTests.run(["recompute", "--database", "sqlite:\(database)"])
        #expect(recompute.status == 0, "\(recompute.error)")
        let third = try await ServerProcess.start(database: database, client: client)
        defer { third.terminate() }
        let afterRecompute = try await LiveServer.send(
            client: client, baseURL: third.baseURL, .GET, Self.metricsPath, token: LiveServer.adminToken)
        #expect(afterRecompute.status == 200)
        let derived = try #require(afterRestart.data)
        let recomputed = try #require(afterRecompute.data)
        #expect(derived.serialized() == recomputed.serialized(), "metrics after the restart differ from a recomputation")
        // Not trivially equal: 24 successful deployments, 6 of them followed by an incident.
        let metrics = try #require(derived["metrics"])
        #expect(metrics["changeFailureRate"]?["numerator"]?.int == 6, "\(derived.serialized().prefix(600))")
        #expect(metrics["changeFailureRate"]?["denominator"]?.int == 24)
    }

    private static func pending(client: HTTPClient, baseURL: String) async throws -> Int64 {
        let health = try await LiveServer.send(client: client, baseURL: baseURL, .GET, "/health")
        return try #require(health.json["derivation"]?["pending"]?.int, "no derivation backlog in /health: \(health.text)")
    }
}

/// What the load workers saw.
final class LoadState: Sendable {
    let attempts = Atomic<Int>(0)
    private let ids = Mutex<[String]>([])

    func acknowledge(_ id: String) { ids.withLock { $0.append(id) } }
    var acknowledgedCount: Int { ids.withLock { $0.count } }
    var acknowledgedIds: [String] { ids.withLock { $0 } }
}
