import DoralakeCore
import DoralakeServer
import HTTPTypes
import Testing

/// Spec §1.2, §9.1, §9.2: paths, methods, envelopes and body reading.
@Suite("Routing and envelopes")
struct RoutingTests {
    @Test("unknown paths answer a JSON 404 envelope", arguments: [
        "/nope", "/api/rest/plugins/webhook/connections/1/unknown", "/api/rest/plugins/webhook/abc/deployments",
        "/api/v1/nothing", "/API/rest/plugins/webhook/connections",
    ])
    func unknownRoute(path: String) async throws {
        try await ServerHarness.run { server in
            let reply = try await server.post(path, body: "{}")
            #expect(reply.status == .notFound)
            #expect(reply.message == "route not found")
            #expect(reply.json["success"] == false)
            #expect(reply.headers[.contentType] == "application/json; charset=utf-8")
        }
    }

    @Test("a known path with the wrong method answers 405 with Allow")
    func wrongMethod() async throws {
        try await ServerHarness.run { server in
            let reply = try await server.request(.get, "/api/rest/plugins/webhook/1/deployments", token: ServerHarness.adminToken)
            #expect(reply.status == .methodNotAllowed)
            #expect(reply.headers[.allow] == "POST")
            let connections = try await server.request(.put, "/rest/plugins/webhook/connections", token: ServerHarness.adminToken)
            #expect(connections.status == .methodNotAllowed)
            #expect(connections.headers[.allow] == "GET, POST")
        }
    }

    @Test("connection ids: digits only, at least 1, at most 20 digits, leading zeros allowed", arguments: [
        ("abc", HTTPResponse.Status.badRequest), ("0", .badRequest), ("000", .badRequest),
        ("123456789012345678901", .badRequest), ("-1", .badRequest), ("0001", .ok), ("1", .ok),
        ("99999999999999999999", .notFound), ("7", .notFound),
    ])
    func connectionIds(segment: String, status: HTTPResponse.Status) async throws {
        try await ServerHarness.run { server in
            _ = try await server.createConnection("shop-ci")
            let reply = try await server.post(
                "/api/rest/plugins/webhook/connections/\(segment)/deployments", body: Samples.deployment())
            #expect(reply.status == status, "\(segment): \(reply.text)")
            if status == .badRequest { #expect(reply.message == "invalid connectionId") }
        }
    }

    @Test("a trailing slash is tolerated and the query string ignored")
    func trailingSlashAndQuery() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let slash = try await server.post("/api/rest/plugins/webhook/\(own.id)/deployments/", token: own.key, body: Samples.deployment())
            #expect(slash.status == .ok)
            let query = try await server.post("/api/rest/plugins/webhook/\(own.id)/deployments?x=1", token: own.key, body: Samples.deployment(id: "q"))
            #expect(query.status == .ok)
        }
    }

    @Test("percent-encoded slashes stay inside names and issue keys")
    func percentDecoding() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop ci")
            let created = try await server.post(
                "/api/rest/plugins/webhook/connections/by-name/shop%20ci/issues", token: own.key,
                body: Samples.issue(key: "A/B-1"))
            #expect(created.status == .ok, "\(created.text)")
            let closed = try await server.post(
                "/api/rest/plugins/webhook/connections/\(own.id)/issue/A%2FB-1/close", token: own.key)
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed.data?["issueId"]?.string == "webhook:\(own.id):A/B-1")
        }
    }

    @Test("DevLake's removed routes explain where to post instead")
    func removedRoutes() async throws {
        try await ServerHarness.run { server in
            for path in ["/api/rest/plugins/webhook/1/cicd_tasks", "/api/rest/plugins/webhook/connections/1/cicd_pipeline/p/finish"] {
                let reply = try await server.post(path)
                #expect(reply.status == .notFound)
                #expect(reply.message == "route removed in DevLake v0.17; post to .../deployments")
            }
        }
    }

    @Test("health routes answer without credentials under every prefix", arguments: ["", "/rest", "/api", "/api/rest"])
    func health(prefix: String) async throws {
        try await ServerHarness.run { server in
            let ping = try await server.request(.get, "\(prefix)/ping")
            // /health gives the database 2 s to answer; on a machine loaded by the whole suite one
            // check may miss that, which is not what this test is about: ask again a few times.
            var health = try await server.request(.get, "\(prefix)/health")
            for _ in 0..<4 where health.json["database"] != "ok" {
                try await Task.sleep(for: .milliseconds(200))
                health = try await server.request(.get, "\(prefix)/health")
            }
            let version = try await server.request(.get, "\(prefix)/version")
            #expect(ping.status == .ok)
            #expect(health.json["database"] == "ok")
            #expect(version.json["version"] == .string(DoralakeVersion.current))
        }
    }

    @Test("invalid JSON is a 400 naming line and column; non-objects and empty bodies are 400")
    func bodyReading() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/issues"
            let invalid = try await server.post(path, token: own.key, body: #"{"issueKey": "X-1",}"#)
            #expect(invalid.status == .badRequest)
            #expect(invalid.message == "invalid JSON: unexpected '}' at line 1, column 20")
            #expect(invalid.data?["eventId"]?.int != nil)
            let multiline = try await server.post(path, token: own.key, body: "{\n  \"a\": tru\n}")
            #expect(multiline.message == "invalid JSON: unexpected 't' at line 2, column 8")
            let array = try await server.post(path, token: own.key, body: "[1,2]")
            #expect(array.status == .badRequest)
            #expect(array.message == "the body must be a JSON object, not array")
            let empty = try await server.post(path, token: own.key, body: "  ")
            #expect(empty.status == .badRequest)
            let multipart = try await server.request(
                .post, path, token: own.key, body: "x", headers: [.contentType: "multipart/form-data; boundary=x"])
            #expect(multipart.status == .badRequest)
            #expect(multipart.message?.hasPrefix("send the body as JSON") == true)
            // Any other content type is read as JSON (curl -d sends a form type).
            let form = try await server.request(
                .post, path, token: own.key, body: Samples.issue(),
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .ok)
            // Trailing data after the value is ignored with a warning.
            let trailing = try await server.post(path, token: own.key, body: Samples.issue(key: "T-1") + " garbage")
            #expect(trailing.status == .ok)
            #expect(trailing.data?["warnings"]?.array?.contains(where: { $0["code"] == "trailing_data" }) == true)
        }
    }

    @Test("bodies above ingest.maxBodyBytes are 413")
    func bodyTooLarge() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let big = #"{"issueKey":"X","title":""# + String(repeating: "a", count: 1_048_577) + #""}"#
            let reply = try await server.post("/api/rest/plugins/webhook/connections/\(own.id)/issues", token: own.key, body: big)
            #expect(reply.status == .contentTooLarge)
            #expect(reply.json["success"] == false)
        }
    }

    @Test("field errors list every field in the envelope")
    func fieldErrors() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let reply = try await server.post(
                "/api/rest/plugins/webhook/connections/\(own.id)/deployments", token: own.key,
                body: #"{"id":"d-1","startedDate":"2024/01/10","environment":"prod","deploymentCommits":[{"repoUrl":"r"}]}"#)
            #expect(reply.status == .badRequest)
            #expect(reply.message == "3 invalid fields: startedDate, environment, deploymentCommits[0].commitSha")
            #expect(reply.json["causes"] == .array([
                "startedDate: cannot parse \"2024/01/10\" as a date (expected RFC 3339, e.g. 2024-01-10T17:30:00Z)",
                "environment: \"prod\" is not one of PRODUCTION, STAGING, TESTING, DEVELOPMENT",
                "deploymentCommits[0].commitSha: is required",
            ]))
            let errors = try #require(reply.data?["errors"]?.array)
            #expect(errors.map { $0["code"]?.string } == ["invalid_date", "invalid_enum", "required"])
            #expect(reply.headers[.init("X-Doralake-Event-Id")!] != nil)
        }
    }
}
