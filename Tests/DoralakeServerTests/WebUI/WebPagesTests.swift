import DoralakeCore
import DoralakeStore
import HTTPTypes
import Testing

/// docs/ui.md: webhook and project pages, the dashboard, drill-down lists, access and escaping.
@Suite("Web UI pages")
struct WebPagesTests {
    @Test("creating a webhook shows its key once, with URLs and curl commands built from the request's origin")
    func createWebhook() async throws {
        try await ServerHarness.run { server in
            let browser = WebBrowser(server)
            try await browser.signIn()
            try await browser.get("/webhooks")
            let created = try await browser.post("/webhooks", [("name", "shop-ci")])
            #expect(created.status == .ok)
            let connection = try #require(try await server.store.connection(named: "shop-ci"))
            let key = try #require(WebBrowser.firstMatch(#"id="webhook-key">([A-Za-z0-9]{128})<"#, in: created.text))
            #expect(ServerHarness.hasher.hash(key) == connection.apiKey?.keyHash)
            let base = "http://localhost/api/rest/plugins/webhook/connections/\(connection.id)"
            for tail in ["deployments", "issues", "pull_requests"] {
                #expect(created.text.contains("curl -sS -X POST &#39;\(base)/\(tail)&#39;"), "\(tail)")
            }
            #expect(created.text.contains("\(base)/issue/:issueKey/close"))
            #expect(created.text.contains("-H &#39;Authorization: Bearer \(key)&#39;"))
            #expect(created.text.contains("GitHub Actions") && created.text.contains("GitLab CI") && created.text.contains("CircleCI"))
            #expect(created.text.contains(#"data-replace-url="/webhooks/\#(connection.id)""#))

            let again = try await browser.get("/webhooks/\(connection.id)")
            #expect(again.status == .ok)
            #expect(!again.text.contains(key))
            #expect(again.text.contains("$DORALAKE_KEY"))
            let list = try await browser.get("/webhooks")
            #expect(!list.text.contains(key))
            #expect(list.text.contains(">shop-ci</a>"))

            // The key is a working ingest key, exactly as one from the API.
            let posted = try await server.post(
                "/api/rest/plugins/webhook/connections/\(connection.id)/deployments", token: key, body: Samples.deployment())
            #expect(posted.status == .ok)
        }
    }

    @Test("bad webhook names get a 400 page naming the field and create nothing", arguments: [
        ("", "name: must not be empty"), ("a/b", "name: must not contain"), (" padded", "name: must not start or end"),
    ])
    func badName(name: String, message: String) async throws {
        try await ServerHarness.run { server in
            let browser = WebBrowser(server)
            try await browser.signIn()
            try await browser.get("/webhooks")
            let reply = try await browser.post("/webhooks", [("name", name)])
            #expect(reply.status == .badRequest)
            #expect(reply.text.contains(message))
            #expect(reply.text.contains(#"aria-invalid="true""#))
            #expect(try await server.store.connections().isEmpty)
        }
    }

    @Test("rotating shows a new key once and stops the old one; deleting confirms first and reports counts")
    func rotateAndDelete() async throws {
        try await ServerHarness.run { server in
            let old = try await server.createConnection("shop-ci")
            try await server.post(
                "/api/rest/plugins/webhook/connections/\(old.id)/deployments", token: old.key, body: Samples.deployment())
            let browser = WebBrowser(server)
            try await browser.signIn()
            try await browser.get("/webhooks/\(old.id)")
            let rotated = try await browser.post("/webhooks/\(old.id)/rotate", [])
            let key = try #require(WebBrowser.firstMatch(#"id="webhook-key">([A-Za-z0-9]{128})<"#, in: rotated.text))
            #expect(key != old.key)
            let refused = try await server.post(
                "/api/rest/plugins/webhook/connections/\(old.id)/deployments", token: old.key, body: Samples.deployment())
            #expect(refused.status == .forbidden)

            let confirm = try await browser.get("/webhooks/\(old.id)/delete")
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("every deployment, commit, issue, incident and pull request"))
            #expect(try await server.store.connection(id: old.id) != nil)
            let deleted = try await browser.post("/webhooks/\(old.id)/delete", [])
            #expect(deleted.status == .ok)
            #expect(deleted.text.contains("1 deployments (1 deployment commits)"))
            #expect(try await server.store.connection(id: old.id) == nil)
        }
    }

    @Test("projects are created and webhooks attached and detached from the UI")
    func projects() async throws {
        try await ServerHarness.run { server in
            let first = try await server.createConnection("shop-ci")
            let second = try await server.createConnection("shop-issues")
            let browser = WebBrowser(server)
            try await browser.signIn()
            try await browser.get("/projects")
            let created = try await browser.post("/projects", [("name", "shop"), ("connectionId", String(first.id))])
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "/projects/shop")
            #expect(try await server.store.project(named: "shop")?.connectionIds == [first.id])
            let duplicate = try await browser.post("/projects", [("name", "shop")])
            #expect(duplicate.status == .conflict)

            try await browser.get("/projects/shop")
            let attached = try await browser.post("/projects/shop/webhooks", [("connectionId", String(second.id))])
            #expect(attached.status == .seeOther)
            #expect(try await server.store.project(named: "shop")?.connectionIds == [first.id, second.id])
            let missing = try await browser.post("/projects/shop/webhooks", [])
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("connectionId: choose a webhook"))
            try await browser.get("/projects/shop")
            let detached = try await browser.post("/projects/shop/webhooks/\(first.id)/detach", [])
            #expect(detached.status == .seeOther)
            #expect(try await server.store.project(named: "shop")?.connectionIds == [second.id])
        }
    }

    @Test("a project key signs in to its own project only; webhook management stays admin-only")
    func projectKey() async throws {
        try await ServerHarness.run { server in
            try await server.post("/api/v1/projects", body: #"{"name":"shop"}"#)
            try await server.post("/api/v1/projects", body: #"{"name":"other"}"#)
            let rotated = try await server.post("/api/v1/projects/shop/api-key/rotate", body: "{}")
            let key = try #require(rotated.data?["apiKey"]?.string)
            let browser = WebBrowser(server)
            #expect(try await browser.signIn(key).status == .seeOther)
            let own = try await browser.get("/projects/shop")
            #expect(own.status == .ok)
            #expect(own.text.contains("Signed in to project shop"))
            #expect(!own.text.contains("Attach a webhook"))
            #expect(try await browser.get("/projects/other").status == .forbidden)
            #expect(try await browser.get("/projects/other/deployments").status == .forbidden)
            #expect(try await browser.get("/webhooks").status == .forbidden)
            #expect(try await browser.get("/projects").headers[.location] == "/projects/shop")
            let overview = try await browser.get("/")
            #expect(overview.text.contains(">shop</a>"))
            #expect(!overview.text.contains(">other</a>"))
            try await browser.get("/projects/shop")
            #expect(try await browser.post("/projects", [("name", "mine")]).status == .forbidden)
            #expect(try await server.store.project(named: "mine") == nil)

            // Rotating the key ends the sessions signed in with the old one.
            try await server.post("/api/v1/projects/shop/api-key/rotate", body: "{}")
            #expect(try await browser.get("/projects/shop").status == .seeOther)
        }
    }

    @Test("hostile connection names and deployment titles render as text")
    func escaping() async throws {
        try await ServerHarness.run { server in
            let hostileName = "<img src=x onerror=alert(1)>"
            let connection = try await server.createConnection(hostileName.replacingOccurrences(of: "\"", with: "\\\""))
            try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(connection.id)]}"#)
            let title = "<script>alert(1)</script>"
            let body = #"{"id":"d-1","displayTitle":"\#(title)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"abc"}]}"#
            #expect(try await server.post("/api/rest/plugins/webhook/connections/\(connection.id)/deployments", token: connection.key, body: body).status == .ok)
            let browser = WebBrowser(server)
            try await browser.signIn()
            for page in ["/webhooks", "/webhooks/\(connection.id)", "/projects", "/projects/shop",
                "/projects/shop/deployments?from=2024-05-01&to=2024-05-31"] {
                let reply = try await browser.get(page)
                #expect(reply.status == .ok, "\(page)")
                #expect(!reply.text.contains("<img"), "\(page)")
                #expect(!reply.text.contains("<script>"), "\(page)")
                #expect(reply.text.components(separatedBy: "<script").count == 2, "only the page's own script: \(page)")
            }
            #expect(try await browser.get("/webhooks").text.contains("&lt;img src=x onerror=alert(1)&gt;"))
            let drill = try await browser.get("/projects/shop/deployments?from=2024-05-01&to=2024-05-31")
            #expect(drill.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test("the dashboard shows the tiles with value, tier, band and n, SVG charts with title and desc, and drill-downs")
    func dashboard() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("shop-ci")
            try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(connection.id)]}"#)
            let base = "/api/rest/plugins/webhook/connections/\(connection.id)"
            #expect(try await server.post("\(base)/deployments", token: connection.key, body: Samples.deployment()).status == .ok)
            #expect(try await server.post("\(base)/issues", token: connection.key, body: Samples.issue()).status == .ok)
            let browser = WebBrowser(server)
            try await browser.signIn()
            let range = "from=2024-05-01&to=2024-06-30&tz=UTC&report=2023"
            let page = try await browser.get("/projects/shop?\(range)")
            #expect(page.status == .ok)
            for key in ["deploymentFrequency", "leadTimeForChanges", "changeFailureRate", "failedDeploymentRecoveryTime", "deploymentReworkRate"] {
                #expect(page.text.contains(#"id="tile-\#(key)""#), "\(key)")
                #expect(page.text.contains(#"<svg class="chart" role="img""#))
                #expect(page.text.contains(#"<title id="chart-\#(key)-title">"#), "\(key)")
                #expect(page.text.contains(#"<desc id="chart-\#(key)-desc">"#), "\(key)")
            }
            // One deployment, one incident linked to it: CFR 100 %, low, n = 1.
            let cfr = try #require(Self.section(page.text, id: "tile-changeFailureRate"))
            #expect(cfr.contains("100.0%"))
            #expect(cfr.contains(#"<span class="tier tier-low">low</span>"#))
            #expect(cfr.contains("&gt; 15% (2023 benchmark)"))
            #expect(cfr.contains("n = 1 (1 of 1)"))
            #expect(cfr.contains("<th scope=\"row\">2024-05</th><td>100.0%</td>"))
            #expect(cfr.contains("<line class=\"axis\""))
            #expect(!cfr.contains("<line class=\"axis\" x1=\"40.0\" x2=\"298.0\" y1=\"108.0\" y2=\"108.0\">"), "SVG leaves close themselves")
            let frequency = try #require(Self.section(page.text, id: "tile-deploymentFrequency"))
            #expect(frequency.contains("n = 1"))
            #expect(page.text.contains("Issue metrics"))
            #expect(page.text.contains(#"<option value="2023" selected="">"#))
            #expect(page.text.contains(#"value="2024-05-01""#))

            let earlier = try await browser.get("/projects/shop?from=2023-01-01&to=2023-02-28")
            let empty = try #require(Self.section(earlier.text, id: "tile-changeFailureRate"))
            #expect(empty.contains("No data"))

            let deployments = try await browser.get("/projects/shop/deployments?\(range)")
            #expect(deployments.text.contains("webhook:\(connection.id):INC-1"))
            let incidents = try await browser.get("/projects/shop/incidents?\(range)")
            #expect(incidents.text.contains("checkout 500s"))
            #expect(incidents.text.contains("d-1 (webhook \(connection.id))"))
            #expect(incidents.text.contains("finished before the incident was created"))

            let bad = try await browser.get("/projects/shop?report=1999")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("report: must be one of"))
            #expect(try await browser.get("/projects/nope").status == .notFound)
        }
    }

    @Test("drill-down lists are paginated with the stored-data cursors")
    func pagination() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("shop-ci")
            try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(connection.id)]}"#)
            for index in 0..<27 {  // one page of 25 and two more
                let reply = try await server.post(
                    "/api/rest/plugins/webhook/connections/\(connection.id)/deployments", token: connection.key,
                    body: Samples.deployment(id: "d-\(index)", sha: "sha\(index)"))
                #expect(reply.status == .ok)
            }
            let browser = WebBrowser(server)
            try await browser.signIn()
            let first = try await browser.get("/projects/shop/deployments?from=2024-05-01&to=2024-05-31")
            let next = try #require(WebBrowser.firstMatch(#"href="([^"]*cursor=[^"]*)" rel="next""#, in: first.text))
            let second = try await browser.get(next.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.status == .ok)
            #expect(second.text.contains("First page"))
            #expect(!second.text.contains(#"rel="next""#))
            let rows = second.text.components(separatedBy: "<tr>").count - 2
            #expect(rows == 2)
        }
    }

    /// The markup of the element with this id, up to the next tile.
    static func section(_ text: String, id: String) -> String? {
        guard let start = text.range(of: #"id="\#(id)""#) else { return nil }
        let rest = text[start.lowerBound...]
        let end = rest.range(of: #"<section class="tile""#)?.lowerBound ?? rest.range(of: "</section></div>")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }
}
