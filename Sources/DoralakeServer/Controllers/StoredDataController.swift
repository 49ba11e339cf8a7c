import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging

/// `GET /api/v1/{deployments,issues,pull_requests,commits}` and single reads (spec §10).
/// The admin token sees everything; a connection key its connection; a project key its project.
struct StoredDataController: Sendable {
    let store: Store
    let authenticator: Authenticator
    let configuration: ServerConfiguration
    let logger: Logger

    func handle(_ endpoint: Endpoint, request: Request) async -> Response {
        do {
            let principal = try await authenticator.authenticate(
                header: request.headers[.authorization], allowAnonymous: false)
            let scope: ReadScope
            switch principal {
            case .admin: scope = .all
            case .connectionKey(let key): scope = .connection(key.connectionId ?? -1)
            case .projectKey(let key): scope = .project(key.projectName ?? "")
            case .anonymous: throw APIError.unauthorized("token is missing")
            }
            let query = try QueryParameters(request.uri)
            switch endpoint {
            case .listStoredData(let kind):
                return try await list(kind, query: query, scope: scope)
            case .readStoredData(let kind, let connectionId, let key):
                return try await read(kind, connectionId: connectionId, key: key, query: query, scope: scope)
            case .deleteStoredData(let kind, let connectionId, let key):
                guard case .admin = principal else { throw APIError.forbidden("deleting stored data needs the admin token") }
                return try await delete(kind, connectionId: connectionId, key: key, query: query)
            default:
                return APIError.routeNotFound.response(eventId: nil)
            }
        } catch {
            return APIError.from(error, logger: logger).response(eventId: nil)
        }
    }

    private func list(_ kind: StoredDataKind, query: QueryParameters, scope: ReadScope) async throws -> Response {
        let limit = try query.integer("limit", default: 100, range: 1...1000)
        let cursor = query["cursor"]
        let dates = DateParser(zonelessTimeZone: configuration.zonelessTimeZone)
        let data: JSONValue
        switch kind {
        case .deployments:
            var filter = DeploymentFilter()
            filter.connectionId = try query.integer("connectionId")
            filter.project = query["project"]
            filter.environment = query["environment"]?.uppercased()
            filter.result = query["result"]?.uppercased()
            filter.repoUrl = query["repoUrl"]
            filter.finishedFrom = try query.date("finishedFrom", dates)
            filter.finishedTo = try query.date("finishedTo", dates)
            let page = try await store.deployments(filter, scope: scope, limit: limit, cursor: cursor)
            let projects = try await store.deploymentProjects(of: page.items.map { DeploymentIdentity($0.deployment) })
            let items = page.items.map {
                RecordJSON.deployment($0, projects: projects[DeploymentIdentity($0.deployment)] ?? [])
            }
            data = Self.page(items, next: page.nextCursor)
        case .issues:
            var filter = IssueFilter()
            filter.connectionId = try query.integer("connectionId")
            filter.project = query["project"]
            filter.type = query["type"]?.uppercased()
            filter.status = query["status"]?.uppercased()
            filter.createdFrom = try query.date("createdFrom", dates)
            filter.createdTo = try query.date("createdTo", dates)
            let page = try await store.issues(filter, scope: scope, limit: limit, cursor: cursor)
            let links = try await store.links(of: page.items.map { IssueIdentity($0.issue) })
            let items = page.items.map { RecordJSON.issue($0, links: links[IssueIdentity($0.issue)] ?? []) }
            data = Self.page(items, next: page.nextCursor)
        case .pullRequests:
            var filter = PullRequestFilter()
            filter.connectionId = try query.integer("connectionId")
            filter.project = query["project"]
            filter.status = query["status"]?.uppercased()
            filter.repoUrl = query["repoUrl"]
            filter.mergedFrom = try query.date("mergedFrom", dates)
            filter.mergedTo = try query.date("mergedTo", dates)
            let page = try await store.pullRequests(filter, scope: scope, limit: limit, cursor: cursor)
            let projects = try await store.pullRequestProjects(of: page.items.map { PullRequestIdentity($0.pullRequest) })
            let items = page.items.map {
                RecordJSON.pullRequest($0, projects: projects[PullRequestIdentity($0.pullRequest)] ?? [])
            }
            data = Self.page(items, next: page.nextCursor)
        case .commits:
            var filter = CommitFilter()
            filter.connectionId = try query.integer("connectionId")
            filter.project = query["project"]
            filter.repoUrl = query["repoUrl"]
            filter.authoredFrom = try query.date("authoredFrom", dates)
            filter.authoredTo = try query.date("authoredTo", dates)
            let page = try await store.commits(filter, scope: scope, limit: limit, cursor: cursor)
            data = Self.page(page.items.map(RecordJSON.commit), next: page.nextCursor)
        }
        return JSONResponse.success(data)
    }

    private static func page(_ items: [JSONValue], next: String?) -> JSONValue {
        .object([JSONMember("items", .array(items)), JSONMember("nextCursor", .string(orNull: next))])
    }

    private func read(_ kind: StoredDataKind, connectionId: Int64?, key: String, query: QueryParameters, scope: ReadScope)
        async throws -> Response
    {
        let notFound = APIError.notFound("\(kind.singular) not found: \(key)", causes: ["record not found"])
        guard let connectionId else { throw notFound }
        let data: JSONValue?
        switch kind {
        case .deployments:
            if let stored = try await store.deployment(connectionId: connectionId, id: key, scope: scope) {
                data = RecordJSON.deployment(
                    stored, projects: try await store.deploymentProjects(connectionId: connectionId, id: key))
            } else {
                data = nil
            }
        case .issues:
            if let stored = try await store.issue(connectionId: connectionId, issueKey: key, scope: scope) {
                data = RecordJSON.issue(stored, links: try await store.links(connectionId: connectionId, issueKey: key))
            } else {
                data = nil
            }
        case .pullRequests:
            guard let number = Int64(key) else {
                throw APIError.badRequest("pullRequestKey: \"\(key)\" is not an integer")
            }
            if let stored = try await store.pullRequest(connectionId: connectionId, pullRequestKey: number, scope: scope) {
                data = RecordJSON.pullRequest(
                    stored, projects: try await store.pullRequestProjects(connectionId: connectionId, pullRequestKey: number))
            } else {
                data = nil
            }
        case .commits:
            guard let repoUrl = query["repoUrl"], !repoUrl.isEmpty else {
                throw APIError.badRequest("repoUrl is required", causes: ["repoUrl: is required"])
            }
            data = try await store.commit(connectionId: connectionId, repoUrl: repoUrl, sha: key, scope: scope).map(
                RecordJSON.commit)
        }
        guard let data else { throw notFound }
        return JSONResponse.success(data)
    }
}

extension StoredDataController {
    /// `DELETE /api/v1/connections/{c}/{kind}/{key}`: `data: {"deleted": {…counts}}`.
    private func delete(_ kind: StoredDataKind, connectionId: Int64?, key: String, query: QueryParameters) async throws -> Response {
        let notFound = APIError.notFound("\(kind.singular) not found: \(key)", causes: ["record not found"])
        guard let connectionId else { throw notFound }
        let deleted: DeletedCounts?
        switch kind {
        case .deployments:
            deleted = try await store.deleteDeployment(connectionId: connectionId, id: key)
        case .issues:
            deleted = try await store.deleteIssue(connectionId: connectionId, issueKey: key)
        case .pullRequests:
            guard let number = Int64(key) else { throw APIError.badRequest("pullRequestKey: \"\(key)\" is not an integer") }
            deleted = try await store.deletePullRequest(connectionId: connectionId, pullRequestKey: number)
        case .commits:
            guard let repoUrl = query["repoUrl"], !repoUrl.isEmpty else {
                throw APIError.badRequest("repoUrl is required", causes: ["repoUrl: is required"])
            }
            deleted = try await store.deleteCommit(connectionId: connectionId, repoUrl: repoUrl, sha: key)
        }
        guard let deleted else { throw notFound }
        return JSONResponse.success(.object([
            JSONMember("deleted", .object(deleted.counts.map { JSONMember($0.name, .int(Int64($0.count))) }))
        ]))
    }
}

extension StoredDataKind {
    var singular: String {
        switch self {
        case .deployments: return "deployment"
        case .issues: return "issue"
        case .pullRequests: return "pull request"
        case .commits: return "commit"
        }
    }
}
