import DoralakeCore
import DoralakeServer
import HTTPTypes
import Testing

/// The webhook page's recent requests (issue "Data operations" §5): status, route and message, a
/// rejected request's body, and its replay (confirmation, CSRF).
@Suite("Web UI: a webhook's events and replay")
struct WebEventsTests {
    @Test("the webhook page lists the last requests; a rejected close replays once its issue exists; the replay form needs the CSRF token")
    func eventsAndReplay() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("ops")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            let early = try await server.post("\(base)/issue/INC-1/close", token: own.key, body: #"{"originalStatus":"<b>Closed</b>"}"#)
            #expect(early.status == .notFound)
            let earlyId = try #require(early.json["data"]?["eventId"]?.int)
            _ = try await server.post("\(base)/deployments", token: own.key, body: Samples.deployment(id: "d-1"))

            let browser = WebBrowser(server)
            try await browser.signIn()
            let page = try await browser.get("/webhooks/\(own.id)")
            #expect(page.status == .ok)
            let section = try #require(WebPagesTests.section(page.text, id: "events-heading"), "\(page.text.suffix(3000))")
            #expect(section.contains("issue_close_path") && section.contains("deployments"))
            #expect(section.contains("issue not found: INC-1"))
            // The rejected body, escaped, behind a <details>.
            #expect(section.contains("&lt;b&gt;Closed&lt;/b&gt;") && !section.contains("<b>Closed</b>"))
            #expect(section.contains("/webhooks/\(own.id)/events/\(earlyId)/replay"))

            _ = try await server.post("\(base)/issues", token: own.key, body: Samples.issue(key: "INC-1"))
            let confirm = try await browser.get("/webhooks/\(own.id)/events/\(earlyId)/replay")
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Replay event \(earlyId)?"))
            let forged = try await browser.post("/webhooks/\(own.id)/events/\(earlyId)/replay", [("csrf", String(repeating: "a", count: 64))])
            #expect(forged.status == .forbidden)
            let replayed = try await browser.post("/webhooks/\(own.id)/events/\(earlyId)/replay", [])
            #expect(replayed.status == .ok)
            #expect(replayed.text.contains("Replayed event \(earlyId): accepted"), "\(replayed.text.prefix(2000))")
            let issue = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/INC-1", token: own.key)
            #expect(issue.data?["status"] == "DONE")
            #expect(issue.data?["originalStatus"] == "<b>Closed</b>")

            let other = try await server.createConnection("other")
            let elsewhere = try await browser.get("/webhooks/\(other.id)/events/\(earlyId)/replay")
            #expect(elsewhere.status == .notFound, "an event of another webhook is not reachable from this one")
        }
    }
}
