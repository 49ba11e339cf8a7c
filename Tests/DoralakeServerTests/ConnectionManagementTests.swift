import DoralakeCore
import HTTPTypes
import Testing

/// Spec §3: create, read, rename, delete connections and rotate keys.
@Suite("Connection management")
struct ConnectionManagementTests {
    @Test("create returns DevLake's connection object with a 128-character key shown once")
    func create() async throws {
        try await ServerHarness.run { server in
            let reply = try await server.post("/api/rest/plugins/webhook/connections", body: #"{"name":"shop-ci","extra":1}"#)
            #expect(reply.status == .ok)
            #expect(reply.json["name"] == "shop-ci")
            #expect(reply.json["id"] == .number("1"))
            #expect(reply.json["postPipelineDeployTaskEndpoint"] == "/rest/plugins/webhook/connections/1/deployments")
            #expect(reply.json["closeIssuesEndpoint"] == "/rest/plugins/webhook/connections/1/issue/:issueKey/close")
            #expect(reply.json["postBatchEndpoint"] == "/rest/plugins/webhook/connections/1/batch")
            let key = try #require(reply.json["apiKey"])
            let plaintext = try #require(key["apiKey"]?.string)
            #expect(plaintext.count == 128)
            #expect(plaintext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            #expect(key["name"] == "webhook-1")
            #expect(key["type"] == "plugin:webhook")
            #expect(key["extra"] == "connectionId:1")
            #expect(key["allowedPath"] == "/plugins/webhook/connections/1/.*")
            #expect(key["expiredAt"] == .null)
            // Reads never show the plaintext again.
            let read = try await server.request(.get, "/api/rest/plugins/webhook/connections/1", token: ServerHarness.adminToken)
            #expect(read.json["apiKey"]?["name"] == "webhook-1")
            #expect(read.json["apiKey"]?["apiKey"] == nil)
            #expect(!read.text.contains(plaintext))
            let byName = try await server.request(.get, "/rest/plugins/webhook/connections/by-name/shop-ci", token: ServerHarness.adminToken)
            #expect(byName.json["id"] == .number("1"))
            // The key is stored only as its HMAC.
            let stored = try await server.store.apiKey(hash: ServerHarness.hasher.hash(plaintext))
            #expect(stored?.keyHash == ServerHarness.hasher.hash(plaintext))
            #expect(stored?.keyHash != plaintext)
        }
    }

    @Test("invalid and taken names are 400 with a reason", arguments: [
        (#"{}"#, "name: is required"), (#"{"name":""}"#, "name: must not be empty"),
        (#"{"name":42}"#, "name: must be a string, not number"), (#"{"name":"a/b"}"#, "name: must not contain \"/\""),
        (#"{"name":" x"}"#, "name: must not start or end with white space"),
        (#"{"name":"\#(String(repeating: "x", count: 101))"}"#, "name: must be at most 100 characters"),
        (#"{"name":"shop-ci"}"#, "A webhook with name shop-ci already exists."),
    ])
    func invalidNames(body: String, message: String) async throws {
        try await ServerHarness.run { server in
            _ = try await server.createConnection("shop-ci")
            let reply = try await server.post("/api/rest/plugins/webhook/connections", body: body)
            #expect(reply.status == .badRequest)
            #expect(reply.message == message)
        }
    }

    @Test("list is ordered by id; rename keeps the key; unknown ids are 404")
    func listRenameNotFound() async throws {
        try await ServerHarness.run { server in
            let first = try await server.createConnection("b-first")
            _ = try await server.createConnection("a-second")
            let list = try await server.request(.get, "/api/rest/plugins/webhook/connections", token: ServerHarness.adminToken)
            #expect(list.json.array?.map { $0["name"]?.string } == ["b-first", "a-second"])
            let renamed = try await server.request(
                .patch, "/api/rest/plugins/webhook/connections/\(first.id)", token: ServerHarness.adminToken,
                body: #"{"name":"renamed"}"#)
            #expect(renamed.status == .ok)
            #expect(renamed.json["name"] == "renamed")
            #expect(renamed.json["apiKey"] == nil)
            let taken = try await server.request(
                .patch, "/api/rest/plugins/webhook/connections/by-name/renamed", token: ServerHarness.adminToken,
                body: #"{"name":"a-second"}"#)
            #expect(taken.status == .badRequest)
            #expect(taken.message == "the connection name already exists")
            let post = try await server.post("/api/rest/plugins/webhook/connections/by-name/renamed/deployments", token: first.key, body: Samples.deployment())
            #expect(post.status == .ok)
            let missing = try await server.request(.get, "/api/rest/plugins/webhook/connections/42", token: ServerHarness.adminToken)
            #expect(missing.status == .notFound)
            #expect(missing.message == "connection not found: 42")
            #expect(missing.json["causes"] == .array(["record not found"]))
        }
    }

    @Test("delete removes the connection, its key and all its data, and reports counts")
    func delete() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let other = try await server.createConnection("other")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            try await server.post("\(base)/deployments", token: own.key, body: Samples.deployment(id: "d-1"))
            try await server.post(
                "\(base)/deployments", token: own.key,
                body: #"{"id":"d-2","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r1","commitSha":"a"},{"repoUrl":"r2","commitSha":"b"}]}"#)
            try await server.post("\(base)/issues", token: own.key, body: Samples.issue())
            try await server.post("/api/rest/plugins/webhook/connections/\(other.id)/issues", token: other.key, body: Samples.issue())
            let deleted = try await server.request(.delete, base, token: ServerHarness.adminToken)
            #expect(deleted.status == .ok)
            #expect(deleted.data?["deleted"] == [
                "deployments": 2, "deploymentCommits": 3, "issues": 1, "pullRequests": 0, "commits": 0,
            ])
            #expect(try await server.request(.get, base, token: ServerHarness.adminToken).status == .notFound)
            #expect(try await server.request(.delete, base, token: ServerHarness.adminToken).status == .notFound)
            let stale = try await server.post("\(base)/deployments", token: own.key, body: Samples.deployment())
            #expect(stale.status == .forbidden)
            let remaining = try await server.request(.get, "/api/v1/issues", token: ServerHarness.adminToken)
            #expect(remaining.data?["items"]?.array?.count == 1)
        }
    }
}
