import DoralakeCore
import HTTPTypes
import Testing

/// Spec §4 (projects) and §5.6 (project deployments).
@Suite("Projects")
struct ProjectTests {
    @Test("create, read, list, attach, detach and delete projects")
    func lifecycle() async throws {
        try await ServerHarness.run { server in
            let a = try await server.createConnection("a")
            let b = try await server.createConnection("b")
            let created = try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(a.id)]}"#)
            #expect(created.status == .created)
            #expect(created.data?["name"] == "shop")
            #expect(created.data?["connectionIds"] == .array([.int(a.id)]))
            #expect(created.data?["apiKey"] == .null)
            let duplicate = try await server.post("/api/v1/projects", body: #"{"name":"shop"}"#)
            #expect(duplicate.status == .conflict)
            let attached = try await server.request(.put, "/api/v1/projects/shop/connections/\(b.id)", token: ServerHarness.adminToken)
            #expect(attached.data?["connectionIds"] == .array([.int(a.id), .int(b.id)]))
            let again = try await server.request(.put, "/api/v1/projects/shop/connections/\(b.id)", token: ServerHarness.adminToken)
            #expect(again.status == .ok)
            let detached = try await server.request(.delete, "/api/v1/projects/shop/connections/\(a.id)", token: ServerHarness.adminToken)
            #expect(detached.data?["connectionIds"] == .array([.int(b.id)]))
            let list = try await server.request(.get, "/api/v1/projects", token: ServerHarness.adminToken)
            #expect(list.data?.array?.count == 1)
            let unknownConnection = try await server.request(.put, "/api/v1/projects/shop/connections/99", token: ServerHarness.adminToken)
            #expect(unknownConnection.status == .notFound)
            let deleted = try await server.request(.delete, "/api/v1/projects/shop", token: ServerHarness.adminToken)
            #expect(deleted.status == .ok)
            let gone = try await server.request(.get, "/api/v1/projects/shop", token: ServerHarness.adminToken)
            #expect(gone.status == .notFound)
            #expect(gone.message == "project not found: shop")
            // Connections and their data stay.
            let connections = try await server.request(.get, "/api/rest/plugins/webhook/connections", token: ServerHarness.adminToken)
            #expect(connections.json.array?.count == 2)
        }
    }

    @Test("project names follow the connection rules with an 88-character limit; unknown connections abort creation")
    func validation() async throws {
        try await ServerHarness.run { server in
            let long = try await server.post("/api/v1/projects", body: #"{"name":"\#(String(repeating: "p", count: 89))"}"#)
            #expect(long.status == .badRequest)
            #expect(long.message == "name: must be at most 88 characters")
            let slash = try await server.post("/api/v1/projects", body: #"{"name":"a/b"}"#)
            #expect(slash.status == .badRequest)
            let badIds = try await server.post("/api/v1/projects", body: #"{"name":"x","connectionIds":["one"]}"#)
            #expect(badIds.status == .badRequest)
            let unknown = try await server.post("/api/v1/projects", body: #"{"name":"x","connectionIds":[42]}"#)
            #expect(unknown.status == .notFound)
            let nothing = try await server.request(.get, "/api/v1/projects/x", token: ServerHarness.adminToken)
            #expect(nothing.status == .notFound, "creation was all or nothing")
        }
    }

    @Test("a project key reads only its project's data and cannot manage projects")
    func projectKeyScope() async throws {
        try await ServerHarness.run { server in
            let a = try await server.createConnection("a")
            let b = try await server.createConnection("b")
            try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(a.id)]}"#)
            let rotated = try await server.post("/api/v1/projects/shop/api-key/rotate", body: "{}")
            #expect(rotated.data?["name"] == "project-shop")
            #expect(rotated.data?["type"] == "project")
            #expect(rotated.data?["extra"] == "projectName:shop")
            let key = try #require(rotated.data?["apiKey"]?.string)
            try await server.post("/rest/plugins/webhook/\(a.id)/deployments", token: a.key, body: Samples.deployment(id: "in-shop"))
            try await server.post("/rest/plugins/webhook/\(b.id)/deployments", token: b.key, body: Samples.deployment(id: "elsewhere"))
            let visible = try await server.request(.get, "/api/v1/deployments", token: key)
            #expect(visible.data?["items"]?.array?.map { $0["id"]?.string } == ["in-shop"])
            let hidden = try await server.request(.get, "/api/v1/connections/\(b.id)/deployments/elsewhere", token: key)
            #expect(hidden.status == .notFound)
            let manage = try await server.request(.get, "/api/v1/projects", token: key)
            #expect(manage.status == .forbidden)
            let ingest = try await server.post("/rest/plugins/webhook/\(a.id)/deployments", token: key, body: Samples.deployment())
            #expect(ingest.status == .forbidden)
            let read = try await server.request(.get, "/api/v1/projects/shop", token: ServerHarness.adminToken)
            #expect(read.data?["apiKey"]?["name"] == "project-shop")
            #expect(read.data?["apiKey"]?["apiKey"] == nil)
        }
    }

    @Test("the project route creates and attaches <project>_deployments on the first call and stores the deployment")
    func projectDeployments() async throws {
        try await ServerHarness.run { server in
            try await server.post("/api/v1/projects", body: #"{"name":"shop"}"#)
            let key = try #require(try await server.post("/api/v1/projects/shop/api-key/rotate").data?["apiKey"]?.string)
            let body = #"{"id":"argo-991","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"bbb222"}]}"#
            let first = try await server.post("/api/rest/plugins/webhook/projects/shop/deployments", token: key, body: body)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.data?["connectionCreated"] == true)
            let connectionId = try #require(first.data?["connectionId"]?.int)
            #expect(first.data?["commitIds"] == .array([.string("webhook:\(connectionId):argo-991:0e3e2eb86df7a42e:bbb222")]))
            let second = try await server.post("/plugins/webhook/projects/shop/deployments", token: key, body: body)
            #expect(second.data?["connectionCreated"] == false)
            #expect(second.data?["outcome"] == "unchanged")
            let project = try await server.request(.get, "/api/v1/projects/shop", token: ServerHarness.adminToken)
            #expect(project.data?["connectionIds"] == .array([.int(connectionId)]))
            let connection = try await server.request(.get, "/api/rest/plugins/webhook/connections/\(connectionId)", token: ServerHarness.adminToken)
            #expect(connection.json["name"] == "shop_deployments")
            #expect(connection.json["apiKey"] == nil)
            // Rotating that connection's key lets it post to the project route too.
            let connectionKey = try #require(try await server.post("/api/rest/plugins/webhook/connections/\(connectionId)/api-key/rotate").json["apiKey"]?.string)
            let viaConnectionKey = try await server.post("/api/rest/plugins/webhook/projects/shop/deployments", token: connectionKey, body: body)
            #expect(viaConnectionKey.status == .ok)
            let other = try await server.createConnection("other")
            let foreign = try await server.post("/api/rest/plugins/webhook/projects/shop/deployments", token: other.key, body: body)
            #expect(foreign.status == .forbidden)
            let missing = try await server.post("/api/rest/plugins/webhook/projects/nope/deployments", token: key, body: body)
            #expect(missing.status == .notFound)
            #expect(missing.message == "project not found: nope")
        }
    }

    @Test("concurrent first calls to the project route create exactly one connection")
    func concurrentFirstCalls() async throws {
        try await ServerHarness.run { server in
            try await server.post("/api/v1/projects", body: #"{"name":"shop"}"#)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await server.post(
                            "/api/rest/plugins/webhook/projects/shop/deployments",
                            body: #"{"id":"c-\#(index)","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses.map(\.code))")
            let connections = try await server.request(.get, "/api/rest/plugins/webhook/connections", token: ServerHarness.adminToken)
            #expect(connections.json.array?.filter { $0["name"] == "shop_deployments" }.count == 1)
            let deployments = try await server.request(.get, "/api/v1/deployments?project=shop", token: ServerHarness.adminToken)
            #expect(deployments.data?["items"]?.array?.count == 20)
        }
    }
}
