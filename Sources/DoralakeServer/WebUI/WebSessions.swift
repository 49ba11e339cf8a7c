import DoralakeCore
import Foundation
import DoralakeStore
import HTTPTypes
import Hummingbird

/// Web UI sign-in: turns a token posted by the sign-in form into a session stored in the database
/// (so any instance sharing it can serve the next request), finds the session of a request from
/// its cookie, and checks forms (CSRF token and `Origin`).
struct WebSessions: Sendable {
    /// The session cookie: a 256-bit random token; the database keeps only its HMAC.
    static let cookieName = "doralake_session"
    /// The sign-in form's own CSRF cookie (there is no session yet to hold the token).
    static let signInCookieName = "doralake_signin"
    /// Sessions end after 12 hours without a request.
    static let lifetime: EpochMilliseconds = 12 * 3_600_000
    /// A session's expiry is moved forward at most once a minute (one write, not one per page).
    static let touchInterval: EpochMilliseconds = 60_000

    let store: Store
    let authenticator: Authenticator
    let keyHasher: KeyHasher

    /// The outcome of checking a posted token.
    enum SignInFailure: Error, Equatable {
        case empty
        case invalid
        case expired
        case connectionKey

        /// The status of the page that says so.
        var status: HTTPResponse.Status {
            switch self {
            case .empty: return .badRequest
            case .invalid, .expired: return .unauthorized
            case .connectionKey: return .forbidden
            }
        }

        /// What the page says.
        var message: String {
            switch self {
            case .empty: return "token: must not be empty; paste the admin token or a project key"
            case .invalid: return "That token is neither the admin token nor a project key."
            case .expired: return "That key has expired; rotate it and sign in with the new one."
            case .connectionKey:
                return
                    "A webhook key cannot sign in: it only posts events. Sign in with the admin token or a project key."
            }
        }
    }

    /// The valid session of a request, if its cookie names one. An expired or revoked session is
    /// deleted and yields nil; a used one has its expiry moved forward.
    func current(_ request: Request) async throws -> WebSession? {
        guard let token = request.cookies[Self.cookieName]?.value, Self.isWellFormed(token) else { return nil }
        let idHash = keyHasher.hash(token)
        guard let record = try await store.webSession(idHash: idHash) else { return nil }
        let now = store.clock.now()
        guard record.isValid(at: now) else {
            try await store.deleteWebSession(idHash: idHash)
            return nil
        }
        let principal: WebPrincipal
        switch record.kind {
        case .admin: principal = .admin
        case .project:
            guard let project = record.apiKey?.projectName else { return nil }
            principal = .project(project)
        }
        if now - record.lastSeenAt >= Self.touchInterval {
            try await store.touchWebSession(idHash: idHash, lifetime: Self.lifetime)
        }
        return WebSession(principal: principal, csrfToken: record.csrfToken, idHash: idHash)
    }

    /// Checks a token with the API's authenticator (same hashing, constant-time comparison) and
    /// starts a session for the admin token or a project key.
    /// - Returns: the session and the cookie token to give the browser.
    /// - Throws: ``SignInFailure`` for anything else.
    func signIn(token rawToken: String) async throws -> (session: WebSession, cookieToken: String) {
        let token = rawToken.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw SignInFailure.empty }
        let principal: Principal
        do {
            principal = try await authenticator.authenticate(header: "Bearer \(token)", allowAnonymous: false)
        } catch let error as APIError where error.status == .unauthorized || error.status == .forbidden {
            throw error.message == "api key has expired" ? SignInFailure.expired : SignInFailure.invalid
        }
        let kind: WebSessionRecord.Kind
        let key: APIKeyRecord?
        let webPrincipal: WebPrincipal
        switch principal {
        case .admin:
            (kind, key, webPrincipal) = (.admin, nil, .admin)
        case .projectKey(let projectKey):
            guard let project = projectKey.projectName else { throw SignInFailure.invalid }
            (kind, key, webPrincipal) = (.project, projectKey, .project(project))
        case .connectionKey:
            throw SignInFailure.connectionKey
        case .anonymous:
            throw SignInFailure.invalid
        }
        let cookieToken = Self.newToken()
        let record = try await store.createWebSession(
            idHash: keyHasher.hash(cookieToken), kind: kind, apiKey: key, csrfToken: Self.newToken(),
            lifetime: Self.lifetime)
        return (WebSession(principal: webPrincipal, csrfToken: record.csrfToken, idHash: record.idHash), cookieToken)
    }

    /// Ends a session (its row is deleted; the cookie is cleared by the caller).
    func signOut(_ session: WebSession) async throws {
        try await store.deleteWebSession(idHash: session.idHash)
    }

    // MARK: Tokens and cookies

    /// 64 characters from `[A-Za-z0-9]` (about 381 bits) from the system's secure generator.
    static func newToken() -> String { APIKeyGenerator.generate(length: 64) }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, `Secure` over TLS; a browser-session cookie
    /// (the server enforces the lifetime), or one that expires at once when `value` is nil.
    static func cookie(_ name: String, value: String?, path: String = "/", secure: Bool) -> String {
        var text = "\(name)=\(value ?? ""); Path=\(path); HttpOnly; SameSite=Strict"
        if value == nil { text += "; Max-Age=0" }
        if secure { text += "; Secure" }
        return text
    }

    /// True when the request reached us over TLS (directly or through a proxy that says so).
    static func isSecure(_ request: Request) -> Bool {
        if request.head.scheme == "https" { return true }
        return request.headers[.xForwardedProto]?.split(separator: ",").first?
            .trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    /// The host the browser addressed (`Host`, which HTTPTypes calls the authority, or the proxy's
    /// `X-Forwarded-Host`).
    static func hosts(of request: Request) -> [String] {
        var hosts: [String] = []
        if let authority = request.head.authority { hosts.append(authority) }
        if let forwarded = request.headers[.xForwardedHost]?.split(separator: ",").first {
            hosts.append(forwarded.trimmingCharacters(in: .whitespaces))
        }
        return hosts.map { $0.lowercased() }
    }

    /// False when the request carries an `Origin` that is not this site (a cross-site form post).
    static func originIsAcceptable(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let schemeEnd = origin.range(of: "://") else { return false }
        let host = origin[schemeEnd.upperBound...].lowercased()
        return hosts(of: request).contains(host)
    }

    /// Constant-time comparison of a posted form token with the expected one.
    static func tokensMatch(_ posted: String?, _ expected: String) -> Bool {
        guard let posted else { return false }
        return KeyHasher.constantTimeEquals(posted, expected)
    }

    /// `scheme://host` of the request, for the URLs shown to copy.
    static func origin(of request: Request, fallback: String) -> String {
        let scheme = isSecure(request) ? "https" : "http"
        let candidate = request.headers[.xForwardedHost]?.split(separator: ",").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        } ?? request.head.authority ?? fallback
        // The host goes into shell commands: only host name characters, else the configured address.
        let safe = !candidate.isEmpty && candidate.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0))
        }
        return "\(scheme)://\(safe ? candidate : fallback)"
    }
}
