import DoralakeCore
import Foundation
import HTTPTypes

/// The outcome of matching a path (spec §1.2).
enum RouteResolution: Equatable {
    /// The endpoints served at this path, by method.
    case endpoints([HTTPRequest.Method: Endpoint])
    /// A path parameter is malformed (400).
    case badParameter(String)
    /// No route has this path (404).
    case notFound
}

/// Matches request paths to endpoints: four webhook prefixes, three connection forms, literal
/// segments before parameters, path parameters percent-decoded after splitting (so `%2F` stays
/// inside a name), one trailing `/` tolerated, query ignored.
enum RouteTable {
    static let webhookPrefixes: [[String]] = [
        ["api", "rest", "plugins", "webhook"], ["rest", "plugins", "webhook"], ["api", "plugins", "webhook"],
        ["plugins", "webhook"],
    ]
    static let healthPrefixes: [[String]] = [[], ["rest"], ["api"], ["api", "rest"]]

    /// Resolves a raw request path (without query).
    static func resolve(path rawPath: String) -> RouteResolution {
        var path = rawPath
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        guard path.hasPrefix("/") else { return .notFound }
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let raw = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if raw.contains("") { return .notFound }
        // No parameter may hold a control character (TextRules): one answer for every route.
        for segment in raw where segment.utf8.contains(UInt8(ascii: "%")) {
            if let problem = TextRules.controlCharacterProblem(decode(segment)) { return .badParameter("path: \(problem)") }
        }
        // Literals are compared on the raw text; parameters are percent-decoded.
        let segments = raw

        for prefix in healthPrefixes where segments.count == prefix.count + 1 && Array(segments.prefix(prefix.count)) == prefix {
            switch segments.last! {
            case "ping": return .endpoints([.get: .ping, .head: .ping])
            case "health", "readyz": return .endpoints([.get: .health, .head: .health])
            case "version": return .endpoints([.get: .version])
            default: break
            }
        }
        if segments.count == 2 && segments[0] == "api-keys" || segments.count == 3 && segments[0] == "api" && segments[1] == "api-keys" {
            let text = decode(segments.last!)
            return .endpoints([.put: .replaceKey(keyId: Int64(text))])
        }
        if segments.count >= 2 && segments[0] == "api" && segments[1] == "v1" {
            return resolveV1(Array(segments.dropFirst(2)))
        }
        for prefix in webhookPrefixes where segments.count > prefix.count && Array(segments.prefix(prefix.count)) == prefix {
            return resolveWebhook(Array(segments.dropFirst(prefix.count)))
        }
        return .notFound
    }

    private static func decode(_ segment: String) -> String {
        guard segment.utf8.contains(UInt8(ascii: "%")) else { return TextRules.normalized(segment) }
        return TextRules.normalized(segment.removingPercentEncoding ?? segment)
    }

    /// Parses `{connectionId}`: 1–20 digits, value ≥ 1.
    private static func connectionId(_ segment: String) -> Result<ConnectionReference, RouteResolutionError> {
        let text = decode(segment)
        guard !text.isEmpty, text.count <= 20, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(.init(message: "invalid connectionId"))
        }
        let trimmed = text.drop(while: { $0 == "0" })
        if trimmed.isEmpty { return .failure(.init(message: "invalid connectionId")) }
        return .success(.id(Int64(trimmed), text: text))
    }

    private static func connectionName(_ segment: String) -> Result<ConnectionReference, RouteResolutionError> {
        let name = decode(segment)
        guard !name.isEmpty, name.unicodeScalars.count <= 100 else {
            return .failure(.init(message: "invalid connectionName"))
        }
        return .success(.name(name))
    }

    private struct RouteResolutionError: Error {
        let message: String
    }

    private static func resolveWebhook(_ rest: [String]) -> RouteResolution {
        if rest == ["connections"] { return .endpoints([.get: .listConnections, .post: .createConnection]) }
        if rest.count == 3 && rest[0] == "projects" && rest[2] == "deployments" {
            return .endpoints([.post: .projectDeployments(projectName: decode(rest[1]))])
        }
        if rest[0] == "connections" {
            // connections/by-name/{name}/…  or  connections/{id}/…
            let reference: Result<ConnectionReference, RouteResolutionError>
            let tail: [String]
            if rest.count >= 3 && rest[1] == "by-name" {
                reference = connectionName(rest[2])
                tail = Array(rest.dropFirst(3))
            } else if rest.count >= 2 {
                reference = connectionId(rest[1])
                tail = Array(rest.dropFirst(2))
            } else {
                return .notFound
            }
            guard let matched = connectionRoutes(tail) else { return .notFound }
            switch reference {
            case .failure(let error): return .badParameter(error.message)
            case .success(let ref): return .endpoints(matched(ref))
            }
        }
        // Legacy form: {connectionId}/X, where the segment must be digits.
        if rest[0].allSatisfy({ $0.isASCII && $0.isNumber }), let matched = ingestRoutes(Array(rest.dropFirst())) {
            switch connectionId(rest[0]) {
            case .failure(let error): return .badParameter(error.message)
            case .success(let ref): return .endpoints(matched(ref))
            }
        }
        return .notFound
    }

    private typealias Builder = (ConnectionReference) -> [HTTPRequest.Method: Endpoint]

    private static func connectionRoutes(_ tail: [String]) -> Builder? {
        if tail.isEmpty {
            return { ref in [.get: .readConnection(ref), .patch: .renameConnection(ref), .delete: .deleteConnection(ref)] }
        }
        if tail == ["api-key", "rotate"] { return { ref in [.post: .rotateConnectionKey(ref)] } }
        return ingestRoutes(tail)
    }

    private static func ingestRoutes(_ tail: [String]) -> Builder? {
        switch tail.count {
        case 1:
            switch tail[0] {
            case "deployments": return { [.post: .ingest(.deployments, $0)] }
            case "issues": return { [.post: .ingest(.issues, $0)] }
            case "pull_requests": return { [.post: .ingest(.pullRequests, $0)] }
            case "commits": return { [.post: .ingest(.commits, $0)] }
            case "batch": return { [.post: .ingest(.batch, $0)] }
            case "cicd_tasks": return { _ in [.post: .removedRoute] }
            default: return nil
            }
        case 2 where tail == ["issue", "close"]:
            return { [.post: .ingest(.issueCloseBody, $0)] }
        case 3 where tail[0] == "issue" && tail[2] == "close":
            let key = decode(tail[1])
            return { [.post: .ingest(.issueClosePath(issueKey: key), $0)] }
        case 3 where tail[0] == "cicd_pipeline" && tail[2] == "finish":
            return { _ in [.post: .removedRoute] }
        default:
            return nil
        }
    }

    private static func resolveV1(_ rest: [String]) -> RouteResolution {
        let kinds: [String: StoredDataKind] = [
            "deployments": .deployments, "issues": .issues, "pull_requests": .pullRequests, "commits": .commits,
        ]
        if rest.count == 1, let kind = kinds[rest[0]] { return .endpoints([.get: .listStoredData(kind)]) }
        if rest == ["metrics"] { return .endpoints([.get: .allMetrics]) }
        if rest == ["openapi.json"] { return .endpoints([.get: .openAPIDocument, .head: .openAPIDocument]) }
        if rest == ["events"] { return .endpoints([.get: .listEvents]) }
        if rest.first == "events" && (rest.count == 2 || rest.count == 3 && rest[2] == "replay") {
            let idText = decode(rest[1])
            guard !idText.isEmpty, idText.count <= 20, idText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .badParameter("invalid eventId")
            }
            let id = Int64(idText.drop(while: { $0 == "0" }))
            return .endpoints(rest.count == 2 ? [.get: .readEvent(id: id)] : [.post: .replayEvent(id: id)])
        }
        if rest.first == "projects" {
            switch rest.count {
            case 1: return .endpoints([.get: .listProjects, .post: .createProject])
            case 2:
                let name = decode(rest[1])
                return .endpoints([.get: .readProject(name: name), .delete: .deleteProject(name: name)])
            case 4 where rest[2] == "connections":
                let idText = decode(rest[3])
                guard !idText.isEmpty, idText.count <= 20, idText.allSatisfy({ $0.isASCII && $0.isNumber }),
                    idText.contains(where: { $0 != "0" })
                else { return .badParameter("invalid connectionId") }
                let name = decode(rest[1])
                let id = Int64(idText.drop(while: { $0 == "0" }))
                return .endpoints([
                    .put: .attachProjectConnection(name: name, connectionId: id),
                    .delete: .detachProjectConnection(name: name, connectionId: id),
                ])
            case 3 where rest[2] == "metrics":
                return .endpoints([.get: .projectMetrics(name: decode(rest[1]))])
            case 4 where rest[2] == "api-key" && rest[3] == "rotate":
                return .endpoints([.post: .rotateProjectKey(name: decode(rest[1]))])
            default: return .notFound
            }
        }
        if rest.count == 4 && rest[0] == "connections", let kind = kinds[rest[2]] {
            let idText = decode(rest[1])
            guard !idText.isEmpty, idText.allSatisfy({ $0.isASCII && $0.isNumber }), idText.count <= 20 else {
                return .badParameter("invalid connectionId")
            }
            let connectionId = Int64(idText.drop(while: { $0 == "0" }))
            let key = decode(rest[3])
            return .endpoints([
                .get: .readStoredData(kind, connectionId: connectionId, key: key),
                .delete: .deleteStoredData(kind, connectionId: connectionId, key: key),
            ])
        }
        return .notFound
    }
}
