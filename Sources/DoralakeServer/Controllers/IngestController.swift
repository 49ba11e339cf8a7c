import Crypto
import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import Logging

/// What an ingest request answers, before it becomes an HTTP response (a replay from the command
/// line reads it as it is).
struct IngestAnswer: Sendable {
    var status: HTTPResponse.Status
    /// The envelope (success or error).
    var body: JSONValue
    var headers: HTTPFields = [:]
    /// The event-log entry of the request, when one was written.
    var eventId: Int64?

    var response: Response { JSONResponse.make(status: status, body: body, headers: headers) }

    static func ok(eventId: Int64, data: JSONValue) -> IngestAnswer {
        var headers = HTTPFields()
        headers[.doralakeEventId] = String(eventId)
        return IngestAnswer(status: .ok, body: JSONResponse.envelope(data), headers: headers, eventId: eventId)
    }
}

/// The ingest routes (spec §5–§8.1): authenticate, resolve the connection, read and decode the
/// body, write through the store, answer with what was written. Every request is event-logged.
struct IngestController: Sendable {
    let store: Store
    let authenticator: Authenticator
    let configuration: ServerConfiguration
    let logger: Logger

    func handle(_ endpoint: Endpoint, request: Request, receivedAt: EpochMilliseconds) async -> Response {
        let route: String
        var connectionReference: ConnectionReference? = nil
        switch endpoint {
        case .ingest(let ingestRoute, let reference):
            route = ingestRoute.name
            connectionReference = reference
        case .projectDeployments:
            route = "project_deployments"
        default:
            return APIError.routeNotFound.response(eventId: nil)
        }
        var event = EventDraft(
            receivedAt: receivedAt, method: request.method.rawValue, path: pathWithoutQuery(request), route: route,
            connectionId: nil, projectName: nil, principal: "anonymous", status: 200, message: "success",
            contentType: request.headers[.contentType] ?? "", bodySize: 0, bodySha256: "", body: nil,
            bodyTruncated: false)
        var body: [UInt8]? = nil
        do {
            if case .projectDeployments(let projectName) = endpoint {
                return try await projectDeployment(projectName, request: request, event: &event, body: &body).response
            }
            guard case .ingest(let ingestRoute, _) = endpoint, let connectionReference else {
                throw APIError.routeNotFound
            }
            let (principal, connection) = try await authenticator.authenticate(
                header: request.headers[.authorization], allowAnonymous: configuration.allowUnauthenticated,
                connection: connectionReference)
            event.principal = principal.eventName
            event.connectionId = connection.id
            try authorize(principal, connectionId: connection.id)
            let limit = ingestRoute == .batch ? configuration.maxBatchBodyBytes : configuration.maxBodyBytes
            let bytes = try await readBody(request, limit: limit, event: &event)
            body = bytes
            return try await apply(ingestRoute, connectionId: connection.id, bytes: bytes, event: event).response
        } catch {
            return await reject(error, event: event, body: body).response
        }
    }

    /// Writes an authenticated, authorised request's body through its route.
    private func apply(_ route: IngestRoute, connectionId: Int64, bytes: [UInt8], event: EventDraft) async throws -> IngestAnswer {
        if route == .batch {
            let batch = BatchIngest(store: store, configuration: configuration, logger: logger)
            let answer = try await batch.handle(bytes: bytes, connectionId: connectionId, event: event)
            return .ok(eventId: answer.eventId, data: answer.data)
        }
        return try await write(
            route, connectionId: connectionId, bytes: bytes, context: decodingContext(event.timeForDefaults), event: event)
    }

    /// The answer to a failed request; the request is recorded as rejected (except when the store
    /// is unavailable), with its body up to ``ServerConfiguration/rejectedBodyBytes``.
    private func reject(_ error: any Error, event: EventDraft, body: [UInt8]?) async -> IngestAnswer {
        var event = event
        let apiError = APIError.from(error, logger: logger)
        event.status = Int(apiError.status.code)
        event.message = apiError.message
        if let body, apiError.recordsBody {
            let kept = body.prefix(configuration.rejectedBodyBytes)
            event.body = String(decoding: kept, as: UTF8.self)
            event.bodyTruncated = kept.count < body.count
        } else {
            event.body = nil
        }
        var eventId: Int64? = nil
        if apiError.status != .serviceUnavailable {
            eventId = try? await store.recordRejected(event)
        }
        var headers = apiError.headers
        if let eventId { headers[.doralakeEventId] = String(eventId) }
        return IngestAnswer(status: apiError.status, body: apiError.envelope(eventId: eventId), headers: headers, eventId: eventId)
    }

    /// Re-runs a stored ingest request (`POST /api/v1/events/{id}/replay`, spec §11) against its
    /// route and connection with today's rules; defaults use the original receipt time. The run
    /// is recorded as a new event with `replayOf`, accepted or rejected like any request.
    /// - Throws: 409 when the body was not kept whole or the request is not a replayable ingest
    ///   request, 404 when its connection is gone.
    func replay(_ stored: StoredEvent, principal: Principal, receivedAt: EpochMilliseconds) async throws -> IngestAnswer {
        guard stored.method == "POST", case .endpoints(let endpoints) = RouteTable.resolve(path: stored.path),
            case .ingest(let route, _)? = endpoints[.post]
        else {
            throw APIError(
                status: .conflict,
                message: "event \(stored.id) is not a request to a connection's ingest route; only those can be replayed")
        }
        guard let text = stored.body, !stored.bodyTruncated else {
            throw APIError(
                status: .conflict,
                message: "event \(stored.id) kept no whole body (truncated or not recorded); it cannot be replayed")
        }
        guard let connectionId = stored.connectionId, try await store.connection(id: connectionId) != nil else {
            throw APIError.notFound("the connection of event \(stored.id) no longer exists", causes: ["record not found"])
        }
        let bytes = Array(text.utf8)
        var event = EventDraft(
            receivedAt: receivedAt, method: stored.method, path: stored.path, route: stored.route,
            connectionId: connectionId, projectName: nil, principal: principal.eventName, status: 200, message: "success",
            contentType: stored.contentType, bodySize: bytes.count, bodySha256: Self.sha256(bytes), body: text,
            bodyTruncated: false)
        event.replayOf = stored.id
        event.defaultsTime = stored.receivedAt
        do {
            return try await apply(route, connectionId: connectionId, bytes: bytes, event: event)
        } catch {
            return await reject(error, event: event, body: bytes)
        }
    }

    private func readBody(_ request: Request, limit: Int? = nil, event: inout EventDraft) async throws -> [UInt8] {
        let bytes = try await RequestBody.bytes(of: request, limit: limit ?? configuration.maxBodyBytes)
        event.bodySize = bytes.count
        event.bodySha256 = Self.sha256(bytes)
        event.body = String(decoding: bytes, as: UTF8.self)
        return bytes
    }

    private func decodingContext(_ receivedAt: EpochMilliseconds) -> DecodingContext {
        DecodingContext(receivedAt: receivedAt, dateParser: DateParser(zonelessTimeZone: configuration.zonelessTimeZone))
    }

    /// `POST {P}/projects/{projectName}/deployments` (spec §5.6): the project's `<name>_deployments`
    /// connection is created and attached in the same transaction as the deployment.
    private func projectDeployment(
        _ projectName: String, request: Request, event: inout EventDraft, body: inout [UInt8]?
    ) async throws -> IngestAnswer {
        event.projectName = projectName
        let principal = try await authenticator.authenticate(
            header: request.headers[.authorization], allowAnonymous: configuration.allowUnauthenticated)
        event.principal = principal.eventName
        guard try await store.project(named: projectName) != nil else {
            throw APIError.notFound("project not found: \(projectName)", causes: ["record not found"])
        }
        switch principal {
        case .admin, .anonymous: break
        case .projectKey(let key) where key.projectName == projectName: break
        case .connectionKey(let key):
            let connection = try await key.connectionId.asyncMap { try await store.connection(id: $0) } ?? nil
            guard connection?.name == "\(projectName)_deployments" else {
                throw APIError.forbidden("path doesn't match api key's scope")
            }
        default: throw APIError.forbidden("path doesn't match api key's scope")
        }
        let bytes = try await readBody(request, event: &event)
        body = bytes
        let context = decodingContext(event.receivedAt)
        let members = try RequestBody.requiredObject(from: bytes, context: context)
        let deployment = try DeploymentDecoder.decode(members, connectionId: 0, context: context)
        let written = try await store.upsertProjectDeployment(deployment, project: projectName, event: event)
        let result = written.accepted.result
        return ok(eventId: written.accepted.eventId, [
            JSONMember("connectionId", .int(written.connectionId)),
            JSONMember("connectionCreated", .bool(written.connectionCreated)),
            JSONMember("deploymentId", .string(deployment.id)), JSONMember("outcome", .string(result.outcome.rawValue)),
            JSONMember("commitIds", .array(result.commitIds.map { .string($0) })),
            JSONMember("removedCommitIds", .array(result.removedCommitIds.map { .string($0) })),
            JSONMember("eventId", .int(written.accepted.eventId)),
            JSONMember("warnings", RecordJSON.warnings(context.warnings)),
        ])
    }

    private func pathWithoutQuery(_ request: Request) -> String {
        let path = request.uri.path
        if let query = path.firstIndex(of: "?") { return String(path[..<query]) }
        return path
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }

    private func authorize(_ principal: Principal, connectionId: Int64) throws {
        switch principal {
        case .admin, .anonymous: return
        case .connectionKey(let key) where key.connectionId == connectionId: return
        default: throw APIError.forbidden("path doesn't match api key's scope")
        }
    }

    private func write(
        _ route: IngestRoute, connectionId: Int64, bytes: [UInt8], context: DecodingContext, event: EventDraft
    ) async throws -> IngestAnswer {
        switch route {
        case .deployments:
            let members = try RequestBody.requiredObject(from: bytes, context: context)
            let deployment = try DeploymentDecoder.decode(members, connectionId: connectionId, context: context)
            let accepted = try await store.upsert(deployment, event: event)
            return ok(eventId: accepted.eventId, [
                JSONMember("connectionId", .int(connectionId)), JSONMember("deploymentId", .string(deployment.id)),
                JSONMember("outcome", .string(accepted.result.outcome.rawValue)),
                JSONMember("commitIds", .array(accepted.result.commitIds.map { .string($0) })),
                JSONMember("removedCommitIds", .array(accepted.result.removedCommitIds.map { .string($0) })),
                JSONMember("eventId", .int(accepted.eventId)), JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ])
        case .issues:
            let members = try RequestBody.requiredObject(from: bytes, context: context)
            let issue = try IssueDecoder.decode(members, connectionId: connectionId, context: context)
            let accepted = try await store.upsert(issue, event: event)
            return ok(eventId: accepted.eventId, [
                JSONMember("connectionId", .int(connectionId)), JSONMember("issueId", .string(issue.devLakeId)),
                JSONMember("issueKey", .string(issue.issueKey)), JSONMember("isIncident", .bool(issue.isIncident)),
                JSONMember("outcome", .string(accepted.result.outcome.rawValue)),
                JSONMember("links", issue.isIncident ? RecordJSON.links(accepted.result.links) : .array([])),
                JSONMember("eventId", .int(accepted.eventId)), JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ])
        case .issueClosePath(let issueKey):
            let members = try RequestBody.object(from: bytes, context: context) ?? []
            let close = try IssueClose.decode(members, pathKey: issueKey, context: context)
            return try await closeIssue(close, connectionId: connectionId, context: context, event: event)
        case .issueCloseBody:
            let members = try RequestBody.requiredObject(from: bytes, context: context)
            let close = try IssueClose.decode(members, pathKey: nil, context: context)
            return try await closeIssue(close, connectionId: connectionId, context: context, event: event)
        case .pullRequests:
            let members = try RequestBody.requiredObject(from: bytes, context: context)
            let pullRequest = try PullRequestDecoder.decode(members, connectionId: connectionId, context: context)
            let accepted = try await store.upsert(pullRequest, event: event)
            if let previous = accepted.result.previousRepoUrl, previous != pullRequest.repoUrl {
                context.warn(
                    "pull_request_repo_changed", "repoUrl",
                    "pull request \(pullRequest.pullRequestKey) moved from \(previous) to \(pullRequest.repoUrl ?? "no repo")")
            }
            return ok(eventId: accepted.eventId, [
                JSONMember("connectionId", .int(connectionId)),
                JSONMember("pullRequestId", .string(pullRequest.devLakeId)),
                JSONMember("repoUrl", .string(orNull: pullRequest.repoUrl)),
                JSONMember("outcome", .string(accepted.result.outcome.rawValue)),
                JSONMember("eventId", .int(accepted.eventId)), JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ])
        case .batch:
            throw APIError.routeNotFound
        case .commits:
            let members = try RequestBody.requiredObject(from: bytes, context: context)
            let commits = try CommitDecoder.decode(members, connectionId: connectionId, context: context)
            let accepted = try await store.upsert(commits, event: event)
            return ok(eventId: accepted.eventId, [
                JSONMember("connectionId", .int(connectionId)), JSONMember("created", .int(accepted.result.created)),
                JSONMember("updated", .int(accepted.result.updated)),
                JSONMember("unchanged", .int(accepted.result.unchanged)),
                JSONMember("commitIds", .array(accepted.result.commitIds.map { .string($0) })),
                JSONMember("eventId", .int(accepted.eventId)), JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ])
        }
    }

    private func closeIssue(_ close: IssueClose, connectionId: Int64, context: DecodingContext, event: EventDraft)
        async throws -> IngestAnswer
    {
        let issueKey = close.issueKey ?? ""
        let accepted = try await store.close(issueKey: issueKey, connectionId: connectionId, request: close, event: event)
        let issue = accepted.result.issue
        return ok(eventId: accepted.eventId, [
            JSONMember("issueId", .string(issue.devLakeId)), JSONMember("status", .string(issue.status)),
            JSONMember("resolutionDate", RecordJSON.time(issue.resolutionDate)),
            JSONMember("leadTimeMinutes", .int(orNull: issue.leadTimeMinutes)),
            JSONMember("outcome", .string(accepted.result.outcome.rawValue)),
            JSONMember("eventId", .int(accepted.eventId)), JSONMember("warnings", RecordJSON.warnings(context.warnings)),
        ])
    }

    private func ok(eventId: Int64, _ data: [JSONMember]) -> IngestAnswer {
        .ok(eventId: eventId, data: .object(data))
    }

    /// `POST /bench/decode-only`: parses and decodes a deployment exactly like the real route and stores nothing.
    func decodeOnly(request: Request, receivedAt: EpochMilliseconds) async -> Response {
        do {
            let bytes = try await RequestBody.bytes(of: request, limit: configuration.maxBodyBytes)
            let context = DecodingContext(
                receivedAt: receivedAt, dateParser: DateParser(zonelessTimeZone: configuration.zonelessTimeZone))
            let members = try RequestBody.requiredObject(from: bytes, context: context)
            let deployment = try DeploymentDecoder.decode(members, connectionId: 0, context: context)
            _ = Self.sha256(bytes)
            return JSONResponse.success(.object([
                JSONMember("deploymentId", .string(deployment.id)),
                JSONMember("commitIds", .array(deployment.commits.map { .string(deployment.commitId($0)) })),
                JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ]))
        } catch {
            return APIError.from(error, logger: logger).response(eventId: nil)
        }
    }
}
