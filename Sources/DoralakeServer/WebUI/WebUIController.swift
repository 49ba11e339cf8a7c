import Foundation
import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import Logging

/// The web UI (docs/ui.md): server-rendered pages for webhooks, projects and dashboards. Every
/// page but sign-in needs a session; every form post needs the session's CSRF token and, when the
/// browser sends one, an `Origin` of this site. Data comes from the same `Store` methods as the
/// JSON API; errors become pages with the API's status and message.
struct WebUIController: Sendable {
    let store: Store
    let sessions: WebSessions
    let connections: ConnectionController
    /// Replays event-log entries (the webhook page's replay button).
    let ingest: IngestController
    let configuration: ServerConfiguration
    let logger: Logger

    /// What a page handler gets: the request, its session, and the posted form (for posts).
    struct Call: Sendable {
        let request: Request
        let context: PageContext
        let form: FormBody
        let query: QueryParameters

        var principal: WebPrincipal { context.principal }
    }

    func handle(_ route: WebRoute, request: Request) async -> Response {
        var context: PageContext? = nil
        do {
            switch route {
            case .asset(let name):
                guard request.method == .get, let asset = WebAssets.content(named: name) else {
                    return page(ErrorPage.render(status: .notFound, message: "no such asset: \(name)", context: nil), .notFound)
                }
                return WebResponse.asset(asset.body, contentType: asset.contentType)
            case .signIn:
                return try await signIn(request)
            default:
                break
            }
            let allowed = Self.methods(of: route)
            guard allowed.contains(request.method) else {
                var headers = HTTPFields()
                headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return page(
                    ErrorPage.render(status: .methodNotAllowed, message: "method not allowed", context: nil),
                    .methodNotAllowed, headers: headers)
            }
            let isPost = request.method == .post
            if isPost && !WebSessions.originIsAcceptable(request) {
                return forbidden("This form was sent from another site, so it was refused.", context: nil)
            }
            guard let session = try await sessions.current(request) else {
                if isPost {
                    return forbidden(
                        "You are not signed in, or your session has expired: the form was not accepted. Sign in and try again.",
                        context: nil, headers: clearSessionCookie(request))
                }
                return WebResponse.redirect(to: "/signin?next=" + Self.queryValue(Self.localPath(request.uri.description)))
            }
            context = PageContext(session: session)
            var form = FormBody(encoded: "")
            if isPost {
                form = try await FormBody.read(from: request, limit: configuration.maxBodyBytes)
                guard WebSessions.tokensMatch(form["csrf"], session.csrfToken) else {
                    return forbidden(
                        "The form's security token is missing or wrong (CSRF protection), so it was refused. Reload the page and try again.",
                        context: context)
                }
            }
            return try await dispatch(route, Call(request: request, context: context!, form: form, query: try QueryParameters(request.uri)))
        } catch {
            return errorPage(error, context: context)
        }
    }

    private func dispatch(_ route: WebRoute, _ call: Call) async throws -> Response {
        let isPost = call.request.method == .post
        switch route {
        case .overview: return try await overview(call)
        case .signOut: return try await signOut(call)
        case .webhooks: return isPost ? try await createWebhook(call) : try await webhooks(call)
        case .webhook(let id): return try await webhook(id, call)
        case .rotateWebhookKey(let id): return try await rotateWebhookKey(id, call)
        case .deleteWebhook(let id): return isPost ? try await deleteWebhook(id, call) : try await confirmDelete(id, call)
        case .replayEvent(let id, let eventId):
            return isPost ? try await replayEvent(eventId, webhook: id, call) : try await confirmReplay(eventId, webhook: id, call)
        case .projects: return isPost ? try await createProject(call) : try await projects(call)
        case .project(let name): return try await dashboard(name, call)
        case .attachWebhook(let name): return try await attachWebhook(name, call)
        case .detachWebhook(let name, let id): return try await detachWebhook(name, connectionId: id, call)
        case .deployments(let name): return try await deployments(name, call)
        case .incidents(let name): return try await incidents(name, call)
        case .pullRequests(let name): return try await pullRequests(name, call)
        case .notFound, .asset, .signIn:
            throw APIError.notFound("page not found")
        }
    }

    private static func methods(of route: WebRoute) -> [HTTPRequest.Method] {
        switch route {
        case .signOut, .rotateWebhookKey, .attachWebhook, .detachWebhook: return [.post]
        case .webhooks, .deleteWebhook, .replayEvent, .projects: return [.get, .post]
        default: return [.get]
        }
    }

    // MARK: Sign-in and sign-out

    private func signIn(_ request: Request) async throws -> Response {
        let secure = WebSessions.isSecure(request)
        switch request.method {
        case .get:
            let next = Self.safeNext((try? QueryParameters(request.uri))?["next"])
            if try await sessions.current(request) != nil { return WebResponse.redirect(to: next) }
            let existing = request.cookies[WebSessions.signInCookieName]?.value
            let token = existing.flatMap { WebSessions.isWellFormed($0) ? $0 : nil } ?? WebSessions.newToken()
            var headers = HTTPFields()
            headers[.setCookie] = WebSessions.cookie(WebSessions.signInCookieName, value: token, path: "/signin", secure: secure)
            return page(SignInPage.render(csrfToken: token, next: next), .ok, headers: headers)
        case .post:
            guard WebSessions.originIsAcceptable(request) else {
                return forbidden("This form was sent from another site, so it was refused.", context: nil)
            }
            let form = try await FormBody.read(from: request, limit: configuration.maxBodyBytes)
            guard let expected = request.cookies[WebSessions.signInCookieName]?.value, WebSessions.isWellFormed(expected),
                WebSessions.tokensMatch(form["csrf"], expected)
            else {
                return forbidden(
                    "The sign-in form's security token is missing or wrong (CSRF protection). Open the sign-in page again and retry.",
                    context: nil)
            }
            let next = Self.safeNext(form["next"])
            do {
                let (session, cookieToken) = try await sessions.signIn(token: form["token"] ?? "")
                var headers = HTTPFields()
                headers.append(HTTPField(name: .setCookie, value: WebSessions.cookie(WebSessions.cookieName, value: cookieToken, secure: secure)))
                headers.append(
                    HTTPField(
                        name: .setCookie,
                        value: WebSessions.cookie(WebSessions.signInCookieName, value: nil, path: "/signin", secure: secure)))
                logger.info("web sign-in", metadata: ["principal": "\(session.principal)"])
                return WebResponse.redirect(to: next, headers: headers)
            } catch let failure as WebSessions.SignInFailure {
                return page(SignInPage.render(csrfToken: expected, next: next, message: failure.message), failure.status)
            }
        default:
            var headers = HTTPFields()
            headers[.allow] = "GET, POST"
            return page(
                ErrorPage.render(status: .methodNotAllowed, message: "method not allowed", context: nil), .methodNotAllowed,
                headers: headers)
        }
    }

    private func signOut(_ call: Call) async throws -> Response {
        try await sessions.signOut(call.context.session)
        return WebResponse.redirect(to: "/signin", headers: clearSessionCookie(call.request))
    }

    private func clearSessionCookie(_ request: Request) -> HTTPFields {
        var headers = HTTPFields()
        headers[.setCookie] = WebSessions.cookie(WebSessions.cookieName, value: nil, secure: WebSessions.isSecure(request))
        return headers
    }

    /// A local path to go to after sign-in: an absolute path on this site, never another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" }),
            !next.hasPrefix("/signin"), !next.hasPrefix("/signout")
        else { return "/" }
        return next
    }

    private static func localPath(_ uri: String) -> String {
        safeNext(uri)
    }

    /// Percent-encodes a query parameter value.
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: Responses

    func page(_ document: HTML, _ status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        WebResponse.page(document, status: status, headers: headers)
    }

    private func forbidden(_ message: String, context: PageContext?, headers: HTTPFields = [:]) -> Response {
        page(ErrorPage.render(status: .forbidden, message: message, context: context), .forbidden, headers: headers)
    }

    /// The page for an error: the API's status and message (one mapping, in ``APIError``).
    func errorPage(_ error: any Error, context: PageContext?) -> Response {
        let apiError: APIError
        if let parameter = error as? MetricParameterError {
            apiError = .badRequest("\(parameter.parameter): \(parameter.message)")
        } else {
            apiError = APIError.from(error, logger: logger)
        }
        var headers = HTTPFields()
        if let retry = apiError.headers[.retryAfter] { headers[.retryAfter] = retry }
        return page(ErrorPage.render(status: apiError.status, message: apiError.message, context: context), apiError.status, headers: headers)
    }

    /// 403 unless the admin is signed in.
    func requireAdmin(_ call: Call) throws {
        guard call.principal.isAdmin else {
            throw APIError.forbidden("Webhooks and project settings need the admin token; this session is for one project.")
        }
    }

    /// 403 unless the session may see the project.
    func requireAccess(to project: String, _ call: Call) throws {
        guard call.principal.canSee(project: project) else {
            throw APIError.forbidden("This session can see only its own project's pages.")
        }
    }

    /// `scheme://host` the browser used, for URLs to copy.
    func origin(of request: Request) -> String {
        WebSessions.origin(of: request, fallback: "\(configuration.host):\(configuration.port)")
    }
}
