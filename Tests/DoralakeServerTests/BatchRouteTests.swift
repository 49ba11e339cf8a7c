import DoralakeCore
import DoralakeServer
import HTTPTypes
import Testing

/// Spec §8.2: `POST …/batch`, a JSON array or NDJSON of typed items applied in order, each on its own.
@Suite("Batch route")
struct BatchRouteTests {
    static let specExample = """
        {"type":"issue","payload":{"issueKey":"INC-9","title":"db down","type":"INCIDENT","status":"TODO","createdDate":"2024-05-03T12:00:00Z"}}
        {"type":"issue_close","payload":{"issueKey":"INC-9","resolutionDate":"2024-05-03T18:00:00Z"}}
        {"type":"deployment","payload":{"id":"d-77","startedDate":"2024/05/03"}}
        """

    @Test("NDJSON (the spec's example): an issue and its close in one batch, a bad item failing alone; re-sending is idempotent")
    func specExampleAndResend() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("ops")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/batch"
            let first = try await server.request(
                .post, path, token: own.key, body: Self.specExample, headers: [.contentType: "application/x-ndjson"])
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.data?["total"] == 3)
            #expect(first.data?["accepted"] == 2)
            #expect(first.data?["rejected"] == 1)
            #expect(first.headers[.init("X-Doralake-Event-Id")!] == first.data?["eventId"]?.int.map(String.init))
            let results = try #require(first.data?["results"]?.array)
            #expect(results.map { $0["status"]?.int } == [200, 200, 400])
            #expect(results.map { $0["line"]?.int } == [1, 2, 3])
            #expect(results[0]["type"] == "issue")
            #expect(results[0]["data"]?["issueId"] == .string("webhook:\(own.id):INC-9"))
            #expect(results[0]["data"]?["outcome"] == "created")
            #expect(results[1]["data"]?["outcome"] == "closed")
            #expect(results[1]["data"]?["leadTimeMinutes"] == 360)
            #expect(results[2]["success"] == false)
            let message = results[2]["message"]?.string ?? ""
            #expect(message.contains("startedDate") && message.contains("deploymentCommits"), "\(message)")

            let stored = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/INC-9", token: own.key)
            #expect(stored.data?["status"] == "DONE")
            #expect(stored.data?["leadTimeMinutes"] == 360)
            let missing = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/d-77", token: own.key)
            #expect(missing.status == .notFound)

            // Re-sent, the issue item re-opens the issue and the close item closes it again: the
            // outcomes name those steps, and the stored issue ends exactly as before.
            let again = try await server.request(.post, path, token: own.key, body: Self.specExample)
            #expect(again.status == .ok)
            let repeated = try #require(again.data?["results"]?.array)
            #expect(repeated.map { $0["status"]?.int } == [200, 200, 400])
            #expect(again.data?["eventId"] != first.data?["eventId"])
            let after = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/INC-9", token: own.key)
            for field in ["status", "resolutionDate", "leadTimeMinutes", "createdDate", "type"] {
                #expect(after.data?[field] == stored.data?[field], "\(field)")
            }

            // Items without a later step on the same entity report unchanged.
            let plain = #"{"type":"deployment","payload":\#(Samples.deployment(id: "d-1"))}"# + "\n" + #"{"type":"issue","payload":\#(Samples.issue(key: "INC-2"))}"#
            _ = try await server.post(path, token: own.key, body: plain)
            let resent = try await server.post(path, token: own.key, body: plain)
            #expect(resent.data?["results"]?.array?.map { $0["data"]?["outcome"] } == [.string("unchanged"), .string("unchanged")])
        }
    }

    @Test("a JSON array of every item type, under the legacy and by-name forms; each item is stored as its own route stores it")
    func jsonArrayOfEveryType() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let batch = """
                [{"type":"Deployment","payload":\(Samples.deployment(id: "d-1", sha: "abc"))},
                 {"type":"pull_request","payload":{"id":"pr-42","pullRequestKey":42,"title":"fix","status":"MERGED","createdDate":"2024-05-01T10:00:00Z","mergedDate":"2024-05-02T10:00:00Z","mergeCommitSha":"abc","repoUrl":"https://github.com/acme/shop"}},
                 {"type":"COMMIT","payload":{"commits":[{"sha":"abc","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-01T09:00:00Z","additions":10,"deletions":2}]}},
                 {"type":"issue","payload":\(Samples.issue(key: "INC-1"))}]
                """
            let reply = try await server.post("/api/plugins/webhook/\(own.id)/batch", token: own.key, body: batch)
            #expect(reply.status == .ok, "\(reply.text)")
            let results = try #require(reply.data?["results"]?.array)
            #expect(results.map { $0["status"]?.int } == [200, 200, 200, 200], "\(reply.text)")
            #expect(results.map { $0["type"]?.string } == ["deployment", "pull_request", "commit", "issue"])
            #expect(results.allSatisfy { $0["line"] == nil })
            #expect(results[0]["data"]?["commitIds"]?.array?.count == 1)
            #expect(results[2]["data"]?["created"] == 1)
            let deployment = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/d-1", token: own.key)
            #expect(deployment.status == .ok)
            #expect(deployment.data?["lastEventId"] == reply.data?["eventId"])
            let pullRequest = try await server.request(.get, "/api/v1/connections/\(own.id)/pull_requests/42", token: own.key)
            #expect(pullRequest.status == .ok, "\(pullRequest.text)")

            let byName = try await server.post(
                "/rest/plugins/webhook/connections/by-name/shop-ci/batch", token: own.key,
                body: #"[{"type":"deployment","payload":\#(Samples.deployment(id: "d-2", sha: "def"))}]"#)
            #expect(byName.data?["accepted"] == 1, "\(byName.text)")
        }
    }

    @Test("bad bodies: an invalid JSON array refuses the request and stores nothing; a broken NDJSON line, an unknown type or a missing payload fail only their item")
    func badBodies() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("c")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/batch"
            let broken = try await server.post(
                path, token: own.key, body: #"[{"type":"deployment","payload":\#(Samples.deployment(id: "d-1"))},"#)
            #expect(broken.status == .badRequest)
            #expect(broken.message?.contains("not a valid JSON array") == true, "\(broken.text)")
            #expect(try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/d-1", token: own.key).status == .notFound)
            let object = try await server.post(path, token: own.key, body: "   ")
            #expect(object.status == .badRequest)
            #expect(object.message?.contains("empty") == true)

            let lines = [
                #"{"type":"deployment","payload":\#(Samples.deployment(id: "d-1"))}"#,
                #"{"type":"deployment","payload":"#,
                "",
                #"{"type":"incident","payload":{}}"#,
                #"{"type":"issue"}"#,
                #"[1,2]"#,
                #"{"type":"issue_close","payload":{"issueKey":"NOPE"}}"#,
                #"{"type":"deployment","payload":\#(Samples.deployment(id: "d-2"))}"#,
            ].joined(separator: "\r\n")
            let reply = try await server.post(path, token: own.key, body: lines)
            #expect(reply.status == .ok, "\(reply.text)")
            let results = try #require(reply.data?["results"]?.array)
            #expect(results.map { $0["line"]?.int } == [1, 2, 4, 5, 6, 7, 8])
            #expect(results.map { $0["status"]?.int } == [200, 400, 400, 400, 400, 404, 200])
            #expect(results[1]["message"]?.string?.hasPrefix("line 2: invalid JSON") == true, "\(results[1])")
            #expect(results[2]["message"]?.string?.contains("\"incident\" is not one of") == true)
            #expect(results[3]["message"]?.string?.contains("payload: required") == true)
            #expect(results[5]["message"]?.string?.contains("NOPE") == true, "\(results[5])")
            #expect(reply.data?["accepted"] == 2)
            #expect(try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/d-2", token: own.key).status == .ok)
        }
    }

    @Test("mixed connections are refused: a body with the connection lines of a multi-connection export is a 400 and applies nothing")
    func mixedConnections() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("c")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/batch"
            let lines = [
                #"{"type":"connection","payload":{"name":"ci"}}"#,
                #"{"type":"deployment","payload":\#(Samples.deployment(id: "d-1"))}"#,
                #"{"type":"Connection","payload":{"name":"incidents"}}"#,
                #"{"type":"deployment","payload":\#(Samples.deployment(id: "d-2"))}"#,
            ].joined(separator: "\n")
            let reply = try await server.post(path, token: own.key, body: lines)
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.message?.hasPrefix("line 1 is a \"connection\" line of an export of several connections") == true, "\(reply.text)")
            let array = try await server.post(
                path, token: own.key,
                body: #"[{"type":"deployment","payload":\#(Samples.deployment(id: "d-1"))},{"type":"project","payload":{"name":"p","connections":[]}}]"#)
            #expect(array.status == .badRequest)
            #expect(array.message?.hasPrefix("item 1 is a \"project\" line") == true, "\(array.text)")
            for id in ["d-1", "d-2"] {
                #expect(try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/\(id)", token: own.key).status == .notFound)
            }
        }
    }

    @Test("limits: more items than ingest.maxBatchItems is a 400, a body above ingest.maxBatchBodyBytes a 413; the batch limit, not the single-route one, applies")
    func limits() async throws {
        var configuration = ServerConfiguration(maxBodyBytes: 300)
        configuration.maxBatchItems = 2
        configuration.maxBatchBodyBytes = 2_000
        try await ServerHarness.run(configuration: configuration) { server in
            let own = try await server.createConnection("c")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/batch"
            let item = { (id: String) in #"{"type":"deployment","payload":\#(Samples.deployment(id: id))}"# }
            let two = [item("d-1"), item("d-2")].joined(separator: "\n")
            #expect(two.utf8.count > 300)
            let fits = try await server.post(path, token: own.key, body: two)
            #expect(fits.status == .ok, "\(fits.text)")
            #expect(fits.data?["accepted"] == 2)
            let three = try await server.post(path, token: own.key, body: [item("d-3"), item("d-4"), item("d-5")].joined(separator: "\n"))
            #expect(three.status == .badRequest)
            #expect(three.message?.contains("ingest.maxBatchItems") == true, "\(three.text)")
            let array = try await server.post(path, token: own.key, body: "[" + [item("d-3"), item("d-4"), item("d-5")].joined(separator: ",") + "]")
            #expect(array.status == .badRequest)
            #expect(try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/d-3", token: own.key).status == .notFound)
            let large = try await server.post(path, token: own.key, body: String(repeating: " ", count: 2_001) + item("d-6"))
            #expect(large.status == .contentTooLarge)
        }
    }

    @Test("a key of another connection is refused; derived data follows a batch (an incident in it links to the deployment before it)")
    func scopeAndDerivedData() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop")
            let other = try await server.createConnection("other")
            let project = try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(own.id)]}"#)
            #expect(project.status == .ok || project.status == .created, "\(project.text)")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/batch"
            let body = """
                {"type":"deployment","payload":{"id":"d-1","environment":"PRODUCTION","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"abc"}]}}
                {"type":"issue","payload":{"issueKey":"INC-1","title":"down","type":"INCIDENT","status":"TODO","createdDate":"2024-05-02T15:00:00Z"}}
                """
            let refused = try await server.post(path, token: other.key, body: body)
            #expect(refused.status == .forbidden)
            let reply = try await server.post(path, token: own.key, body: body)
            #expect(reply.data?["accepted"] == 2, "\(reply.text)")
            let issue = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/INC-1", token: own.key)
            let links = try #require(issue.data?["links"]?.array, "\(issue.text)")
            #expect(links.first?["deploymentId"] == "d-1", "\(issue.text)")
        }
    }
}
