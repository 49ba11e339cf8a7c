import DoralakeCore
import Foundation
import HTTPTypes
import HummingbirdTesting

/// A minimal browser over ``ServerHarness``: keeps cookies, reads the CSRF token of the last page,
/// and posts forms the way an HTML form does.
final class WebBrowser: @unchecked Sendable {
    let server: ServerHarness
    private(set) var cookies: [String: String] = [:]
    private(set) var lastPage = ""

    init(_ server: ServerHarness) { self.server = server }

    /// The `csrf` hidden field of the last page.
    var csrf: String? { Self.firstMatch(#"name="csrf" value="([A-Za-z0-9]+)""#, in: lastPage) }

    /// The `Set-Cookie` values of a reply.
    static func setCookies(_ reply: ServerHarness.Reply) -> [String] { reply.headers[values: .setCookie] }

    @discardableResult
    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> ServerHarness.Reply {
        let reply = try await server.request(.get, path, headers: headers(extra))
        absorb(reply)
        return reply
    }

    /// Posts `fields` as `application/x-www-form-urlencoded`; `csrf` is added from the last page
    /// unless `withCSRF` is false or the fields name one.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], withCSRF: Bool = true, headers extra: HTTPFields = [:])
        async throws -> ServerHarness.Reply
    {
        var all = fields
        if withCSRF, !fields.contains(where: { $0.0 == "csrf" }), let csrf { all.append(("csrf", csrf)) }
        var headers = headers(extra)
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let reply = try await server.request(.post, path, body: body, headers: headers)
        absorb(reply)
        return reply
    }

    /// Signs in through the form; returns the sign-in reply.
    @discardableResult
    func signIn(_ token: String = ServerHarness.adminToken, headers extra: HTTPFields = [:]) async throws
        -> ServerHarness.Reply
    {
        try await get("/signin")
        return try await post("/signin", [("token", token), ("next", "/")], headers: extra)
    }

    private func headers(_ extra: HTTPFields) -> HTTPFields {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return headers
    }

    private func absorb(_ reply: ServerHarness.Reply) {
        if reply.headers[.contentType]?.hasPrefix("text/html") == true { lastPage = reply.text }
        for cookie in Self.setCookies(reply) {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}
