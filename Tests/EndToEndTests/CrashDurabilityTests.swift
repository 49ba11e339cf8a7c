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

/// What the load workers saw.
final class LoadState: Sendable {
    let attempts = Atomic<Int>(0)
    private let ids = Mutex<[String]>([])

    func acknowledge(_ id: String) { ids.withLock { $0.append(id) } }
    var acknowledgedCount: Int { ids.withLock { $0.count } }
    var acknowledgedIds: [String] { ids.withLock { $0 } }
}
