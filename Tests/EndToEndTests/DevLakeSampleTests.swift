import AsyncHTTPClient
import DoralakeCore
import DoralakeTestSupport
import Testing

/// DevLake's documented samples and common CI shapes, over real HTTP on loopback against a real SQLite file.
@Suite("DevLake samples end to end")
struct DevLakeSampleTests {
    /// DevLake's two-repo deployment sample, byte for byte (spec §5.5).
    static let deploymentSample = """
        {
          "id": "required-id",
          "createdDate": "2020-01-01T11:00:00+00:00",
          "startedDate": "2020-01-01T12:00:00+00:00",
          "finishedDate": "2020-01-02T13:00:00+00:00",
          "environment": "PRODUCTION", "result": "FAILURE",
          "displayTitle": "optional-custom-deploy-display-title", "name": "optional-deployment-name",
          "deploymentCommits": [
            {"repoUrl": "required-repo-url", "refName": "optional-release-v0.17",
             "startedDate": "2020-01-01T11:00:00+00:00", "finishedDate": "2020-01-02T11:00:00+00:00",
             "commitSha": "c1", "commitMsg": "optional-msg-1", "displayTitle": "title-1"},
            {"repoUrl": "repo-2", "refName": "optional-release-v0.17",
             "startedDate": "2020-01-01T11:00:00+00:00", "finishedDate": "2020-01-02T11:00:00+00:00",
             "commitSha": "c2", "commitMsg": "optional-msg-2", "displayTitle": "title-2"}]}
        """

    /// DevLake's incident sample, without `originalStatus` (spec §6.1).
    static let incidentSample = """
        {
          "issueKey":"DLK-1234", "title":"a feature from DLK", "description":"", "url":"",
          "type":"INCIDENT", "status":"TODO",
          "createdDate":"2020-01-01T12:00:00+00:00", "updatedDate":"2020-01-01T12:00:00+00:00",
          "priority":"", "severity":"", "creatorId":"user1131", "creatorName":"Nick name 1",
          "assigneeId":"user1132", "assigneeName":"Nick name 2"}
        """

    @Test("the two-repo FAILURE deployment, the incident and the path close work as documented")
    func documentedSamples() async throws {
        try await LiveServer.run { server in
            let own = try await server.createConnection("shop-ci")
            let deployment = try await server.send(
                .POST, "/api/rest/plugins/webhook/\(own.id)/deployments", token: own.key, body: Self.deploymentSample)
            #expect(deployment.status == 200)
            #expect(deployment.data?["outcome"] == "created")
            #expect(deployment.data?["commitIds"] == .array([
                .string("webhook:\(own.id):required-id:2c329b35c5aa5812:c1"),
                .string("webhook:\(own.id):required-id:906e30ac5002caeb:c2"),
            ]))
            #expect(deployment.headers.contains(where: { $0.0.lowercased() == "x-doralake-event-id" }))
            let stored = try await server.send(.GET, "/api/v1/connections/\(own.id)/deployments/required-id", token: own.key)
            let commits = try #require(stored.data?["commits"]?.array)
            #expect(commits.map { $0["result"] } == ["FAILURE", "FAILURE"])
            #expect(commits.map { $0["durationSec"] } == [.number("86400"), .number("86400")])
            #expect(stored.data?["durationSec"] == .number("90000"))
            #expect(stored.data?["result"] == "FAILURE")

            let incident = try await server.send(
                .POST, "/api/rest/plugins/webhook/\(own.id)/issues", token: own.key, body: Self.incidentSample)
            #expect(incident.status == 200, "\(incident.text)")
            #expect(incident.data?["issueId"] == .string("webhook:\(own.id):DLK-1234"))
            #expect(incident.data?["isIncident"] == true)

            let close = try await server.send(
                .POST, "/api/rest/plugins/webhook/\(own.id)/issue/DLK-1234/close", token: own.key)
            #expect(close.status == 200)
            #expect(close.data?["status"] == "DONE")
            let read = try await server.send(.GET, "/api/v1/connections/\(own.id)/issues/DLK-1234", token: own.key)
            #expect(read.data?["resolutionDate"]?.string != nil)
            #expect(read.data?["leadTimeMinutes"]?.int ?? -1 > 0)

            let byBody = try await server.send(
                .POST, "/api/rest/plugins/webhook/connections/\(own.id)/issue/close", token: own.key,
                body: #"{"issueKey":"DLK-1234","resolutionDate":"2020-01-01T13:15:00Z"}"#)
            #expect(byBody.data?["resolutionDate"] == "2020-01-01T13:15:00.000Z")
            #expect(byBody.data?["leadTimeMinutes"] == 75)
            #expect(byBody.data?["outcome"] == "updated")
        }
    }

    @Test("a CircleCI body with +0000 offsets works; an empty finishedDate means the receipt time")
    func circleCI() async throws {
        let receipt: EpochMilliseconds = 1_704_908_000_000
        try await LiveServer.run(clock: .fixed(receipt)) { server in
            let own = try await server.createConnection("circle")
            let body = #"{"id":"wf-1","startedDate":"2024-01-10T17:30:00+0000","finishedDate":"2024-01-10T17:37:19+0000","#
                + #""deploymentCommits":[{"commitSha":"015e3d3b480e417aede5a1293bd61de9b0fd051d","repoUrl":"git@github.com:acme/shop.git"}]}"#
            let reply = try await server.send(.POST, "/api/rest/plugins/webhook/\(own.id)/deployments", token: own.key, body: body)
            #expect(reply.data?["commitIds"] == .array([
                .string("webhook:\(own.id):wf-1:4848ea8033825c1e:015e3d3b480e417aede5a1293bd61de9b0fd051d")
            ]))
            let stored = try await server.send(.GET, "/api/v1/connections/\(own.id)/deployments/wf-1", token: own.key)
            let commit = try #require(stored.data?["commits"]?.array?.first)
            #expect(commit["result"] == "SUCCESS")
            #expect(commit["durationSec"] == .number("439"))
            #expect(stored.data?["environment"] == "PRODUCTION")

            let empty = #"{"id":"wf-2","startedDate":"2024-01-10T17:30:00+0000","finishedDate":"","#
                + #""deploymentCommits":[{"commitSha":"abc","repoUrl":"git@github.com:acme/shop.git"}]}"#
            let emptyReply = try await server.send(.POST, "/api/rest/plugins/webhook/\(own.id)/deployments", token: own.key, body: empty)
            #expect(emptyReply.status == 200, "\(emptyReply.text)")
            let emptyStored = try await server.send(.GET, "/api/v1/connections/\(own.id)/deployments/wf-2", token: own.key)
            #expect(emptyStored.data?["finishedDate"] == .string(Timestamp.format(receipt)))
        }
    }

    @Test("a pre-1.0 snake_case body with top-level commit keys is accepted with legacy_alias warnings")
    func preOneZeroBody() async throws {
        try await LiveServer.run { server in
            let own = try await server.createConnection("legacy")
            let body = #"{"pipeline_id":"p-9","start_time":"2023-03-01 10:00:00","end_time":"2023-03-01T10:05:00Z","repo_url":"https://github.com/acme/shop","commit_sha":"deadbeef","display_title":"old ci"}"#
            let reply = try await server.send(.POST, "/api/rest/plugins/webhook/\(own.id)/deployments", token: own.key, body: body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.data?["deploymentId"] == "p-9")
            let codes = reply.data?["warnings"]?.array?.compactMap { $0["code"]?.string } ?? []
            #expect(codes.filter { $0 == "legacy_alias" }.count == 6)
            #expect(codes.contains("zoneless_date"))
            let stored = try await server.send(.GET, "/api/v1/connections/\(own.id)/deployments/p-9", token: own.key)
            #expect(stored.data?["displayTitle"] == "old ci")
            #expect(stored.data?["commits"]?.array?.first?["commitSha"] == "deadbeef")
            #expect(stored.data?["startedDate"] == "2023-03-01T10:00:00.000Z")
        }
    }

    @Test("250 concurrent posts all land exactly once")
    func concurrentPosts() async throws {
        // A load test: one at a time (see HeavyTestGate).
        try await HeavyTestGate.shared.run { try await concurrentPostsBody() }
    }

    private func concurrentPostsBody() async throws {
        try await LiveServer.run { server in
            let own = try await server.createConnection("load")
            let clock = ContinuousClock()
            let answers = try await withThrowingTaskGroup(of: (status: Int, took: Duration).self) { group in
                for index in 0..<250 {
                    group.addTask {
                        // Every 5th request re-posts an earlier id: still one row per id.
                        let id = index % 5 == 4 ? "c-\(index - 1)" : "c-\(index)"
                        let start = clock.now
                        // This test is about exactly-once landing, not latency (see
                        // scripts/bench-ingest.sh): with the whole suite running on a small CI
                        // machine, the last of 250 requests (64 client connections) can wait long.
                        let status = try await server.send(
                            .POST, "/api/rest/plugins/webhook/\(own.id)/deployments", token: own.key,
                            body: #"{"id":"\#(id)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#,
                            timeout: .seconds(120)
                        ).status
                        return (status, clock.now - start)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = answers.map(\.status)
            print("250 concurrent posts: slowest answer after \(answers.map(\.took).max() ?? .zero)")
            #expect(statuses.count == 250)
            #expect(statuses.allSatisfy { $0 == 200 })
            var ids: [String] = []
            var cursor: String? = nil
            repeat {
                let page = try await server.send(
                    .GET, "/api/v1/deployments?limit=1000" + (cursor.map { "&cursor=\($0)" } ?? ""), token: own.key)
                ids += page.data?["items"]?.array?.compactMap { $0["id"]?.string } ?? []
                cursor = page.data?["nextCursor"]?.string
            } while cursor != nil
            #expect(ids.count == 200)
            #expect(Set(ids).count == 200)
        }
    }
}
