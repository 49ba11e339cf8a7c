import Synchronization
import DoralakeCore
import DoralakeStore
import HTTPTypes
import Testing

/// docs/ui.md: sign-in, sessions stored by hash, cookie flags, sign-out, CSRF and Origin checks.
@Suite("Web UI sign-in and CSRF")
struct WebSignInTests {
    @Test("pages redirect to the sign-in form when not signed in; the form has a labelled password field")
    func redirectsToSignIn() async throws {
        try await ServerHarness.run { server in
            let browser = WebBrowser(server)
            let root = try await browser.get("/")
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/signin?next=/")
            let webhooks = try await browser.get("/webhooks?x=1")
            #expect(webhooks.headers[.location] == "/signin?next=/webhooks%3Fx%3D1")
            let form = try await browser.get("/signin")
            #expect(form.status == .ok)
            #expect(form.headers[.contentType] == "text/html; charset=utf-8")
            #expect(form.text.contains(#"<label for="token">"#))
            #expect(form.text.contains(#"type="password" id="token" name="token""#))
            #expect(form.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
            #expect(form.headers[.xContentTypeOptions] == "nosniff")
            #expect(form.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(form.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(!form.text.contains("<script>"))
        }
    }

    @Test("signing in with the admin token sets an HttpOnly SameSite=Strict cookie whose hash, not value, is stored")
    func signInCookie() async throws {
        try await ServerHarness.run { server in
            let browser = WebBrowser(server)
            let reply = try await browser.signIn()
            #expect(reply.status == .seeOther)
            #expect(reply.headers[.location] == "/")
            let cookie = try #require(WebBrowser.setCookies(reply).first { $0.hasPrefix("doralake_session=") })
            #expect(cookie.contains("; Path=/"))
            #expect(cookie.contains("; HttpOnly"))
            #expect(cookie.contains("; SameSite=Strict"))
            #expect(!cookie.contains("Secure"))
            let token = try #require(browser.cookies["doralake_session"])
            #expect(token.count == 64)
            #expect(try await server.store.webSession(idHash: token) == nil)
            let stored = try #require(try await server.store.webSession(idHash: ServerHarness.hasher.hash(token)))
            #expect(stored.kind == .admin)
            #expect(stored.expiresAt - stored.createdAt == 12 * 3_600_000)
            let overview = try await browser.get("/")
            #expect(overview.status == .ok)
            #expect(overview.text.contains("Signed in as admin"))

            let secure = WebBrowser(server)
            let behindProxy = try await secure.signIn(headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(WebBrowser.setCookies(behindProxy).contains { $0.hasPrefix("doralake_session=") && $0.hasSuffix("; Secure") })
        }
    }

    @Test("a wrong token gets 401, an empty one 400, a webhook key 403; no session is created")
    func failedSignIn() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("shop-ci")
            for (token, status, text) in [
                ("not-a-token-at-all", HTTPResponse.Status.unauthorized, "neither the admin token nor a project key"),
                ("", .badRequest, "token: must not be empty"),
                (connection.key, .forbidden, "A webhook key cannot sign in"),
            ] {
                let browser = WebBrowser(server)
                let reply = try await browser.signIn(token)
                #expect(reply.status == status, "\(token.prefix(8)): \(reply.text)")
                #expect(reply.text.contains(text))
                #expect(reply.text.contains(#"type="password""#))
                #expect(browser.cookies["doralake_session"] == nil)
            }
        }
    }

    @Test("form posts without the session's CSRF token, or from another origin, get 403 and change nothing")
    func csrf() async throws {
        try await ServerHarness.run { server in
            let browser = WebBrowser(server)
            try await browser.signIn()
            try await browser.get("/webhooks")
            let missing = try await browser.post("/webhooks", [("name", "forged-1")], withCSRF: false)
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("CSRF"))
            let wrong = try await browser.post("/webhooks", [("name", "forged-2"), ("csrf", String(repeating: "a", count: 64))])
            #expect(wrong.status == .forbidden)
            try await browser.get("/webhooks")
            let foreign = try await browser.post("/webhooks", [("name", "forged-3")], headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden)
            #expect(try await server.store.connections().isEmpty)
            try await browser.get("/webhooks")
            let same = try await browser.post("/webhooks", [("name", "real")], headers: [.origin: "http://localhost"])
            #expect(same.status == .ok)
            #expect(try await server.store.connections().map(\.name) == ["real"])

            let stranger = WebBrowser(server)
            let noSession = try await stranger.post("/webhooks", [("name", "anon"), ("csrf", "x")])
            #expect(noSession.status == .forbidden)
            let signInWithoutCookie = try await stranger.post(
                "/signin", [("token", ServerHarness.adminToken), ("csrf", String(repeating: "b", count: 64))])
            #expect(signInWithoutCookie.status == .forbidden)
            #expect(stranger.cookies["doralake_session"] == nil)
        }
    }

    @Test("signing out deletes the session: its cookie no longer opens pages")
    func signOut() async throws {
        try await ServerHarness.run { server in
            let browser = WebBrowser(server)
            try await browser.signIn()
            let token = try #require(browser.cookies["doralake_session"])
            try await browser.get("/")
            let out = try await browser.post("/signout", [])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/signin")
            #expect(try await server.store.webSession(idHash: ServerHarness.hasher.hash(token)) == nil)
            let replay = try await server.request(.get, "/", headers: [.cookie: "doralake_session=\(token)"])
            #expect(replay.status == .seeOther)
        }
    }

    @Test("an expired session is refused and deleted")
    func expiry() async throws {
        let now = TestClock()
        try await ServerHarness.run(clock: now.clock) { server in
            let browser = WebBrowser(server)
            try await browser.signIn()
            let token = try #require(browser.cookies["doralake_session"])
            now.advance(by: 11 * 3_600_000)
            #expect(try await browser.get("/").status == .ok)
            now.advance(by: 11 * 3_600_000)
            #expect(try await browser.get("/").status == .ok, "sliding: used 11 h ago")
            now.advance(by: 12 * 3_600_000 + 1)
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await server.store.webSession(idHash: ServerHarness.hasher.hash(token)) == nil)
        }
    }

    @Test("API routes answer exactly as before next to the UI")
    func apiUnchanged() async throws {
        try await ServerHarness.run { server in
            let list = try await server.request(.get, "/api/rest/plugins/webhook/connections", token: ServerHarness.adminToken)
            #expect(list.status == .ok)
            #expect(list.headers[.contentType] == "application/json; charset=utf-8")
            let unknown = try await server.request(.get, "/nope")
            #expect(unknown.status == .notFound)
            #expect(unknown.message == "route not found")
            let ping = try await server.request(.get, "/ping")
            #expect(ping.json["status"] == "ok")
        }
    }
}

/// A clock the test moves forward.
final class TestClock: Sendable {
    private let value = Mutex<EpochMilliseconds>(1_717_243_200_000)
    var clock: WallClock { WallClock { self.now() } }
    func now() -> EpochMilliseconds { value.withLock { $0 } }
    func advance(by millis: EpochMilliseconds) { value.withLock { $0 += millis } }
}
