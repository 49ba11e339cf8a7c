import DoralakeCore
import HTTPTypes
import Testing

/// Spec §10: list and read stored data, restricted to what the credential may see.
@Suite("Stored data reads")
struct StoredDataReadTests {
    @Test("a connection key sees only its connection; the admin token sees everything")
    func scoping() async throws {
        try await ServerHarness.run { server in
            let a = try await server.createConnection("a")
            let b = try await server.createConnection("b")
            try await server.post("/rest/plugins/webhook/\(a.id)/deployments", token: a.key, body: Samples.deployment(id: "da"))
            try await server.post("/rest/plugins/webhook/\(b.id)/deployments", token: b.key, body: Samples.deployment(id: "db"))
            let asA = try await server.request(.get, "/api/v1/deployments", token: a.key)
            #expect(asA.data?["items"]?.array?.map { $0["id"]?.string } == ["da"])
            let asAdmin = try await server.request(.get, "/api/v1/deployments", token: ServerHarness.adminToken)
            #expect(asAdmin.data?["items"]?.array?.count == 2)
            let foreign = try await server.request(.get, "/api/v1/connections/\(b.id)/deployments/db", token: a.key)
            #expect(foreign.status == .notFound)
            let none = try await server.request(.get, "/api/v1/deployments")
            #expect(none.status == .unauthorized)
        }
    }

    @Test("lists page with an opaque cursor in a stable order and filter by fields")
    func paging() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            for day in 1...5 {
                let body = #"{"id":"d-\#(day)","startedDate":"2024-05-0\#(day)T10:00:00Z","finishedDate":"2024-05-0\#(day)T11:00:00Z","environment":"\#(day % 2 == 0 ? "staging" : "production")","deploymentCommits":[{"repoUrl":"r","commitSha":"s\#(day)"}]}"#
                try await server.post("/rest/plugins/webhook/\(own.id)/deployments", token: own.key, body: body)
            }
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try await server.request(.get, "/api/v1/deployments?limit=2\(query)", token: own.key)
                #expect(page.status == .ok)
                seen += page.data?["items"]?.array?.compactMap { $0["id"]?.string } ?? []
                cursor = page.data?["nextCursor"]?.string
            } while cursor != nil
            #expect(seen == ["d-5", "d-4", "d-3", "d-2", "d-1"])
            let staging = try await server.request(.get, "/api/v1/deployments?environment=STAGING", token: own.key)
            #expect(staging.data?["items"]?.array?.map { $0["id"]?.string } == ["d-4", "d-2"])
            let ranged = try await server.request(
                .get, "/api/v1/deployments?finishedFrom=2024-05-02T11:00:00Z&finishedTo=2024-05-03", token: own.key)
            #expect(ranged.data?["items"]?.array?.map { $0["id"]?.string } == ["d-3", "d-2"])
            let badLimit = try await server.request(.get, "/api/v1/deployments?limit=0", token: own.key)
            #expect(badLimit.status == .badRequest)
            let badCursor = try await server.request(.get, "/api/v1/deployments?cursor=xyz", token: own.key)
            #expect(badCursor.status == .badRequest)
        }
    }
}
