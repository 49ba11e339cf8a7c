import DoralakeCore
import DoralakeServer
import HTTPTypes
import Synchronization
import Testing

/// Spec §11: the raw event log, read and replayed through `/api/v1/events` (admin only).
@Suite("Event log API")
struct EventLogTests {
    @Test("list: newest first, bodies omitted, filters by connection, route and status, cursor paging; one event has its body")
    func listAndRead() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("ci")
            let other = try await server.createConnection("other")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            let accepted = try await server.post("\(base)/deployments", token: own.key, body: Samples.deployment(id: "d-1"))
            let rejected = try await server.post("\(base)/deployments", token: own.key, body: #"{"id":"d-2"}"#)
            #expect(rejected.status == .badRequest)
            let batch = try await server.post(
                "\(base)/batch", token: own.key,
                body: #"{"type":"deployment","payload":\#(Samples.deployment(id: "d-3"))}"# + "\n" + #"{"type":"nope","payload":{}}"#)
            _ = try await server.post("/api/rest/plugins/webhook/connections/\(other.id)/deployments", token: other.key, body: Samples.deployment(id: "x"))

            let all = try await server.request(.get, "/api/v1/events?connectionId=\(own.id)", token: ServerHarness.adminToken)
            #expect(all.status == .ok, "\(all.text)")
            let items = try #require(all.data?["items"]?.array)
            #expect(items.map { $0["route"]?.string } == ["batch", "deployments", "deployments"])
            #expect(items.map { $0["status"]?.int } == [200, 400, 200])
            #expect(items.allSatisfy { $0["body"] == nil })
            #expect(items[0]["id"] == batch.data?["eventId"])
            #expect(items[0]["itemStatuses"] == .array([200, 400]))
            #expect(items[0]["message"] == "2 items: 1 accepted, 1 rejected")
            #expect(items[1]["message"]?.string?.contains("invalid") == true)
            #expect(items[2]["id"] == accepted.data?["eventId"])
            #expect(items[2]["principal"]?.string?.hasPrefix("connection-key:") == true)

            let onlyRejected = try await server.request(.get, "/api/v1/events?connectionId=\(own.id)&status=rejected", token: ServerHarness.adminToken)
            #expect(onlyRejected.data?["items"]?.array?.map { $0["status"]?.int } == [400])
            let byCode = try await server.request(.get, "/api/v1/events?status=200&route=deployments", token: ServerHarness.adminToken)
            #expect(byCode.data?["items"]?.array?.count == 2)
            let badStatus = try await server.request(.get, "/api/v1/events?status=sometimes", token: ServerHarness.adminToken)
            #expect(badStatus.status == .badRequest)

            var cursor: String? = nil
            var seen: [Int64] = []
            repeat {
                let page = try await server.request(
                    .get, "/api/v1/events?connectionId=\(own.id)&limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), token: ServerHarness.adminToken)
                seen += page.data?["items"]?.array?.compactMap { $0["id"]?.int } ?? []
                cursor = page.data?["nextCursor"]?.string
            } while cursor != nil && seen.count < 10
            #expect(seen == items.compactMap { $0["id"]?.int })

            let one = try await server.request(.get, "/api/v1/events/\(accepted.data?["eventId"]?.int ?? 0)", token: ServerHarness.adminToken)
            #expect(one.data?["body"]?.string == Samples.deployment(id: "d-1"))
            #expect(one.data?["bodySha256"]?.string?.count == 64)
            #expect(try await server.request(.get, "/api/v1/events/999999", token: ServerHarness.adminToken).status == .notFound)
            #expect(try await server.request(.get, "/api/v1/events/x1", token: ServerHarness.adminToken).status == .badRequest)
            #expect(try await server.request(.get, "/api/v1/events", token: own.key).status == .forbidden)
        }
    }

    @Test("replay: an accepted event re-runs unchanged; a rejected close succeeds once its issue exists, with the original receipt time as default; a new event records replayOf")
    func replay() async throws {
        let ticks = Atomic<Int64>(0)
        let clock = WallClock { 1_714_752_000_000 + ticks.add(1, ordering: .relaxed).newValue * 60_000 }
        try await ServerHarness.run(clock: clock) { server in
            let own = try await server.createConnection("ops")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            let accepted = try await server.post("\(base)/deployments", token: own.key, body: Samples.deployment(id: "d-1"))
            let acceptedId = try #require(accepted.data?["eventId"]?.int)
            let replayed = try await server.post("/api/v1/events/\(acceptedId)/replay", token: ServerHarness.adminToken)
            #expect(replayed.status == .ok, "\(replayed.text)")
            #expect(replayed.data?["outcome"] == "unchanged")
            let newId = try #require(replayed.data?["eventId"]?.int)
            #expect(newId != acceptedId)
            let newEvent = try await server.request(.get, "/api/v1/events/\(newId)", token: ServerHarness.adminToken)
            #expect(newEvent.data?["replayOf"]?.int == acceptedId)
            #expect(newEvent.data?["principal"] == "admin")

            // The close came before its issue: rejected (404), its body kept.
            let early = try await server.post("\(base)/issue/INC-1/close", token: own.key, body: "")
            #expect(early.status == .notFound)
            let earlyId = try #require(early.json["data"]?["eventId"]?.int)
            let earlyEvent = try await server.request(.get, "/api/v1/events/\(earlyId)", token: ServerHarness.adminToken)
            let earlyReceived = try #require(earlyEvent.data?["receivedAt"]?.string)
            _ = try await server.post("\(base)/issues", token: own.key, body: Samples.issue(key: "INC-1").replacingOccurrences(of: "2024-05-02T15:00:00Z", with: "2024-05-01T00:00:00Z"))
            let closed = try await server.post("/api/v1/events/\(earlyId)/replay", token: ServerHarness.adminToken)
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed.data?["outcome"] == "closed")
            #expect(closed.data?["resolutionDate"]?.string == earlyReceived, "the default resolution is the original receipt time")
        }
    }

    @Test("replay refusals: a truncated body is a 409, a deleted connection a 404, a non-ingest event a 409")
    func replayRefusals() async throws {
        try await ServerHarness.run(configuration: ServerConfiguration(rejectedBodyBytes: 16)) { server in
            let own = try await server.createConnection("c")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            let rejected = try await server.post("\(base)/deployments", token: own.key, body: #"{"id":"d-2","startedDate":"never"}"#)
            let truncatedId = try #require(rejected.json["data"]?["eventId"]?.int)
            let truncated = try await server.post("/api/v1/events/\(truncatedId)/replay", token: ServerHarness.adminToken)
            #expect(truncated.status == .conflict)
            #expect(truncated.message?.contains("truncated") == true)

            let accepted = try await server.post("\(base)/deployments", token: own.key, body: Samples.deployment(id: "d-1"))
            let acceptedId = try #require(accepted.data?["eventId"]?.int)
            let deleted = try await server.request(.delete, "/api/rest/plugins/webhook/connections/\(own.id)", token: ServerHarness.adminToken)
            #expect(deleted.status == .ok)
            let gone = try await server.post("/api/v1/events/\(acceptedId)/replay", token: ServerHarness.adminToken)
            #expect(gone.status == .notFound)
            #expect(gone.message?.contains("no longer exists") == true, "\(gone.text)")
            #expect(try await server.post("/api/v1/events/424242/replay", token: ServerHarness.adminToken).status == .notFound)

            let project = try await server.post("/api/v1/projects", body: #"{"name":"shop"}"#)
            #expect(project.status == .created, "\(project.text)")
            let projectDeployment = try await server.post("/api/rest/plugins/webhook/projects/shop/deployments", body: Samples.deployment(id: "p-1"))
            let projectEventId = try #require(projectDeployment.data?["eventId"]?.int, "\(projectDeployment.text)")
            let notReplayable = try await server.post("/api/v1/events/\(projectEventId)/replay", token: ServerHarness.adminToken)
            #expect(notReplayable.status == .conflict)
            #expect(notReplayable.message?.contains("only those can be replayed") == true)
        }
    }
}
