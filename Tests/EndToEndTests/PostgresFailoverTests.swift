import AsyncHTTPClient
import DoralakeCore
import DoralakeStore
import DoralakeTestSupport
import Foundation
import Testing

/// Two instances on one PostgreSQL database: the read barrier holds across them, and when one dies
/// the other derives what it left pending.
@Suite(
    "PostgreSQL: read barrier across instances and deriver fail-over",
    .enabled(
        if: TestDatabase.postgresURL != nil,
        "set DORALAKE_TEST_POSTGRES_URL=postgres://user:pass@127.0.0.1:5432/db (a role with CREATEDB) to run"))
struct PostgresFailoverTests {
    static let metricsPath = "/api/v1/projects/shop/metrics?from=2024-01-01&to=2024-12-31&series=none"

    @Test("a deployment answered by instance A is counted by metrics read from B at once; after SIGKILL of A, B derives what A left")
    func readBarrierAndFailover() async throws {
        try await HeavyTestGate.shared.run {
            try await LiveServer.withFreshPostgres { url, client in try await Self.run(url: url, client: client) }
        }
    }

    private static func run(url: String, client: HTTPClient) async throws {
        let a = try await ServerProcess.start(databaseURL: url, client: client)
        let b: ServerProcess
        do {
            b = try await ServerProcess.start(databaseURL: url, client: client)
        } catch {
            a.kill()
            throw error
        }
        defer {
            a.kill()
            b.terminate()
        }
        let created = try await LiveServer.send(
            client: client, baseURL: a.baseURL, .POST, "/api/rest/plugins/webhook/connections",
            token: LiveServer.adminToken, body: #"{"name":"failover"}"#)
        let connectionId = try #require(created.json["id"]?.int, "\(created.text)")
        let key = try #require(created.json["apiKey"]?["apiKey"]?.string)
        let shop = try await LiveServer.send(
            client: client, baseURL: a.baseURL, .POST, "/api/v1/projects", token: LiveServer.adminToken,
            body: #"{"name":"shop","connectionIds":[\#(connectionId)]}"#, contentType: "application/json")
        #expect(shop.status == 201, "\(shop.text)")

        @Sendable func post(_ server: ServerProcess, _ index: Int) async throws {
            let day = String(format: "2024-%02d-%02d", 1 + index / 28, 1 + index % 28)
            let reply = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .POST, "/api/rest/plugins/webhook/\(connectionId)/deployments",
                token: key,
                body: #"{"id":"d\#(index)","createdDate":"\#(day)T09:00:00Z","startedDate":"\#(day)T10:00:00Z","finishedDate":"\#(day)T10:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"\#(String(format: "%040x", index + 1))"}]}"#,
                contentType: "application/json")
            #expect(reply.status == 200, "\(reply.text)")
        }
        @Sendable func deployments(on server: ServerProcess) async throws -> Int64? {
            let reply = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .GET, metricsPath, token: LiveServer.adminToken)
            #expect(reply.status == 200, "\(reply.text)")
            return reply.data?["metrics"]?["deploymentFrequency"]?["details"]?["deployments"]?.int
        }

        // Written through A, read through B right after A's answer: counted every time.
        for index in 0..<20 {
            try await post(a, index)
            let counted = try await deployments(on: b)
            #expect(counted == Int64(index + 1), "after \(index + 1) writes through A, B's metrics count \(String(describing: counted))")
        }

        // A burst through A, then A is killed (possibly in the middle of a derivation round).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 20..<60 { group.addTask { try await post(a, index) } }
            try await group.waitForAll()
        }
        a.kill()
        // B derives whatever A left: the backlog empties and the metrics count every acknowledged write.
        let deadline = ContinuousClock.now + .seconds(30)
        var pending: Int64 = -1
        repeat {
            let health = try await LiveServer.send(client: client, baseURL: b.baseURL, .GET, "/health")
            pending = health.json["derivation"]?["pending"]?.int ?? -1
            if pending == 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect(pending == 0, "B's backlog after A's death: \(pending)")
        #expect(try await deployments(on: b) == 60)
        // And B keeps deriving its own writes.
        try await post(b, 60)
        #expect(try await deployments(on: b) == 61)
    }
}
