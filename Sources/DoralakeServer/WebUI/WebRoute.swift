import DoralakeCore
import Foundation

/// The pages and form targets of the web UI (docs/ui.md). Paths outside the UI's prefixes resolve
/// to nil and go to the API's ``RouteTable`` unchanged.
enum WebRoute: Sendable, Equatable {
    case asset(String)
    case overview
    case signIn
    case signOut
    case webhooks
    case webhook(id: Int64)
    case rotateWebhookKey(id: Int64)
    case deleteWebhook(id: Int64)
    /// `/webhooks/{id}/events/{eventId}/replay`: GET confirms, POST replays.
    case replayEvent(webhook: Int64, event: Int64)
    case projects
    case project(name: String)
    case attachWebhook(project: String)
    case detachWebhook(project: String, connectionId: Int64)
    case deployments(project: String)
    case incidents(project: String)
    case pullRequests(project: String)
    /// Under a UI prefix, but no such page (an HTML 404).
    case notFound

    /// The UI route of a request path (query ignored), or nil when the path belongs to the API.
    static func resolve(path rawPath: String) -> WebRoute? {
        var path = rawPath
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        if path == "/" { return .overview }
        guard path.hasPrefix("/") else { return nil }
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let first = segments.first, ["signin", "signout", "webhooks", "projects", "assets"].contains(first) else {
            return nil
        }
        if segments.contains("") { return .notFound }
        let rest = Array(segments.dropFirst())
        switch first {
        case "signin": return rest.isEmpty ? .signIn : .notFound
        case "signout": return rest.isEmpty ? .signOut : .notFound
        case "assets": return rest.count == 1 ? .asset(rest[0]) : .notFound
        case "webhooks": return webhookRoute(rest)
        default: return projectRoute(rest)
        }
    }

    private static func webhookRoute(_ rest: [String]) -> WebRoute {
        guard let idText = rest.first else { return .webhooks }
        guard let id = identifier(idText) else { return .notFound }
        switch Array(rest.dropFirst()) {
        case []: return .webhook(id: id)
        case ["rotate"]: return .rotateWebhookKey(id: id)
        case ["delete"]: return .deleteWebhook(id: id)
        case let tail where tail.count == 3 && tail[0] == "events" && tail[2] == "replay":
            guard let eventId = identifier(tail[1]) else { return .notFound }
            return .replayEvent(webhook: id, event: eventId)
        default: return .notFound
        }
    }

    private static func projectRoute(_ rest: [String]) -> WebRoute {
        guard let encoded = rest.first else { return .projects }
        let name = encoded.removingPercentEncoding ?? encoded
        // No project name holds a control character (NameRules); such a path names no page.
        guard TextRules.controlCharacterProblem(name) == nil else { return .notFound }
        switch Array(rest.dropFirst()) {
        case []: return .project(name: name)
        case ["webhooks"]: return .attachWebhook(project: name)
        case ["deployments"]: return .deployments(project: name)
        case ["incidents"]: return .incidents(project: name)
        case ["pull-requests"]: return .pullRequests(project: name)
        case let tail where tail.count == 3 && tail[0] == "webhooks" && tail[2] == "detach":
            guard let id = identifier(tail[1]) else { return .notFound }
            return .detachWebhook(project: name, connectionId: id)
        default: return .notFound
        }
    }

    private static func identifier(_ text: String) -> Int64? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(text), id >= 1 else {
            return nil
        }
        return id
    }

    /// The path of a project page: `/projects/{name}` plus `suffix`, the name percent-encoded.
    static func projectPath(_ name: String, _ suffix: String = "") -> String {
        "/projects/" + pathSegment(name) + suffix
    }

    /// Percent-encodes a path segment (everything but unreserved characters).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
