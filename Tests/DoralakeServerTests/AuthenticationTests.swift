import DoralakeCore
import DoralakeServer
import HTTPTypes
import Testing

/// Spec §1.2–§2: every ingest route form under every prefix, with every authentication case.
@Suite("Authentication and route forms")
struct AuthenticationTests {
    static let prefixes = [
        "/api/rest/plugins/webhook", "/rest/plugins/webhook", "/api/plugins/webhook", "/plugins/webhook",
    ]

    enum Form: String, CaseIterable, Sendable {
        case connections, legacy, byName

        func path(prefix: String, id: Int64, name: String, route: String = "deployments") -> String {
            switch self {
            case .connections: return "\(prefix)/connections/\(id)/\(route)"
            case .legacy: return "\(prefix)/\(id)/\(route)"
            case .byName: return "\(prefix)/connections/by-name/\(name)/\(route)"
            }
        }
    }

    enum Credential: String, CaseIterable, Sendable {
        case none, basicScheme, emptyBearer, wrongKey, otherConnectionKey, expiredKey, admin, ownKey,
            lowercaseSchemeWithNewline
    }

    static func expected(_ credential: Credential) -> (HTTPResponse.Status, String) {
        switch credential {
        case .none: return (.unauthorized, "token is missing")
        case .basicScheme, .emptyBearer: return (.unauthorized, "token is not present or malformed")
        case .wrongKey: return (.forbidden, "api key is invalid")
        case .otherConnectionKey: return (.forbidden, "path doesn't match api key's scope")
        case .expiredKey: return (.forbidden, "api key has expired")
        case .admin, .ownKey, .lowercaseSchemeWithNewline: return (.ok, "success")
        }
    }

    @Test(
        "ingest answers each credential with DevLake's status and text",
        arguments: prefixes, Form.allCases)
    func ingestAuthentication(prefix: String, form: Form) async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let other = try await server.createConnection("other-ci")
            let expiring = try await server.createConnection("expiring")
            let rotated = try await server.post(
                "/api/rest/plugins/webhook/connections/\(expiring.id)/api-key/rotate",
                body: #"{"expiredAt":"2020-01-01T00:00:00Z"}"#)
            let expiredKey = try #require(rotated.json["apiKey"]?.string)
            for credential in Credential.allCases {
                var headers = HTTPFields()
                switch credential {
                case .none: break
                case .basicScheme: headers[.authorization] = "Basic \(own.key)"
                case .emptyBearer: headers[.authorization] = "Bearer   "
                case .wrongKey: headers[.authorization] = "Bearer not-a-key"
                case .otherConnectionKey: headers[.authorization] = "Bearer \(other.key)"
                case .expiredKey: headers[.authorization] = "Bearer \(expiredKey)"
                case .admin: headers[.authorization] = "Bearer \(ServerHarness.adminToken)"
                case .ownKey: headers[.authorization] = "Bearer \(own.key)"
                case .lowercaseSchemeWithNewline: headers[.authorization] = "bearer \(own.key)\n"
                }
                let id = credential == .expiredKey ? expiring.id : own.id
                let name = credential == .expiredKey ? "expiring" : "shop-ci"
                let reply = try await server.request(
                    .post, form.path(prefix: prefix, id: id, name: name), body: Samples.deployment(id: credential.rawValue),
                    headers: headers)
                let (status, message) = Self.expected(credential)
                #expect(reply.status == status, "\(credential) on \(form) \(prefix): \(reply.text)")
                #expect(reply.message == message, "\(credential) on \(form) \(prefix)")
                #expect(reply.json["success"] == .bool(status == .ok))
            }
        }
    }

    @Test("a project key, a connection key and anonymous callers cannot manage connections")
    func managementNeedsAdmin() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let list = try await server.request(.get, "/api/rest/plugins/webhook/connections", token: own.key)
            #expect(list.status == .forbidden)
            #expect(list.message == "path doesn't match api key's scope")
            let anonymous = try await server.request(.get, "/api/rest/plugins/webhook/connections")
            #expect(anonymous.status == .unauthorized)
            let admin = try await server.request(
                .get, "/api/rest/plugins/webhook/connections", token: ServerHarness.adminToken)
            #expect(admin.status == .ok)
        }
    }

    @Test("with ingest.allowUnauthenticated, ingest accepts no header but still rejects a wrong key")
    func unauthenticatedIngest() async throws {
        var configuration = ServerConfiguration()
        configuration.allowUnauthenticated = true
        try await ServerHarness.run(configuration: configuration) { server in
            let own = try await server.createConnection("shop-ci")
            let anonymous = try await server.post(
                "/plugins/webhook/\(own.id)/deployments", token: nil, body: Samples.deployment())
            #expect(anonymous.status == .ok)
            let wrong = try await server.post(
                "/plugins/webhook/\(own.id)/deployments", token: "wrong", body: Samples.deployment())
            #expect(wrong.status == .forbidden)
            #expect(wrong.message == "api key is invalid")
            let management = try await server.request(.get, "/api/rest/plugins/webhook/connections")
            #expect(management.status == .unauthorized)
            let reads = try await server.request(.get, "/api/v1/deployments")
            #expect(reads.status == .unauthorized)
        }
    }

    @Test("a rotated key stops working at once and the new one works")
    func rotation() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let rotated = try await server.post("/api/rest/plugins/webhook/connections/by-name/shop-ci/api-key/rotate")
            #expect(rotated.status == .ok)
            let newKey = try #require(rotated.json["apiKey"]?.string)
            #expect(newKey.count == 128)
            #expect(rotated.json["name"]?.string == "webhook-\(own.id)")
            let old = try await server.post("/rest/plugins/webhook/\(own.id)/deployments", token: own.key, body: Samples.deployment())
            #expect(old.status == .forbidden)
            #expect(old.message == "api key is invalid")
            let new = try await server.post("/rest/plugins/webhook/\(own.id)/deployments", token: newKey, body: Samples.deployment())
            #expect(new.status == .ok)
            // PUT /api-keys/{id} is DevLake's "revoke and regenerate".
            let keyId = try #require(rotated.json["id"]?.int)
            let replaced = try await server.request(.put, "/api/api-keys/\(keyId)", token: ServerHarness.adminToken)
            #expect(replaced.status == .ok)
            let again = try await server.post("/rest/plugins/webhook/\(own.id)/deployments", token: newKey, body: Samples.deployment())
            #expect(again.status == .forbidden)
        }
    }

    @Test("checks run in the documented order: path, authentication, lookup, scope, size, body")
    func checkOrder() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBodyBytes = 64
        try await ServerHarness.run(configuration: configuration) { server in
            let own = try await server.createConnection("shop-ci")
            let other = try await server.createConnection("other")
            // A bad path parameter is 400 even without credentials.
            let badPath = try await server.post("/api/rest/plugins/webhook/connections/abc/deployments", token: nil)
            #expect(badPath.status == .badRequest)
            #expect(badPath.message == "invalid connectionId")
            // Authentication before lookup: unknown connection without a key is 401.
            let unknownNoKey = try await server.post("/api/rest/plugins/webhook/connections/99/deployments", token: nil)
            #expect(unknownNoKey.status == .unauthorized)
            // Lookup before scope: another connection's key on an unknown connection is 404.
            let unknown = try await server.post("/api/rest/plugins/webhook/connections/99/deployments", token: other.key)
            #expect(unknown.status == .notFound)
            #expect(unknown.message == "connection not found: 99")
            #expect(unknown.json["causes"] == .array(["record not found"]))
            // Scope before size: a big body with the wrong key is 403.
            let big = String(repeating: " ", count: 200)
            let scoped = try await server.post("/api/rest/plugins/webhook/connections/\(own.id)/deployments", token: other.key, body: big)
            #expect(scoped.status == .forbidden)
            // Size before JSON.
            let tooLarge = try await server.post(
                "/api/rest/plugins/webhook/connections/\(own.id)/deployments", token: own.key, body: "{" + big)
            #expect(tooLarge.status == .contentTooLarge)
        }
    }
}
