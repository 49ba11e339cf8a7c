import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import Logging

/// The raw event log (spec §11), admin only: `GET /api/v1/events` (filters, cursor paging, no
/// bodies), `GET /api/v1/events/{id}` (with body) and `POST /api/v1/events/{id}/replay`.
struct EventLogController: Sendable {
    let store: Store
    let authenticator: Authenticator
    let ingest: IngestController
    let configuration: ServerConfiguration
    let logger: Logger

    func handle(_ endpoint: Endpoint, request: Request, receivedAt: EpochMilliseconds) async -> Response {
        do {
            let principal = try await authenticator.authenticate(header: request.headers[.authorization], allowAnonymous: false)
            guard case .admin = principal else { throw APIError.forbidden("the event log needs the admin token") }
            switch endpoint {
            case .listEvents:
                return try await list(try QueryParameters(request.uri))
            case .readEvent(let id):
                guard let id, let event = try await store.event(id: id) else { throw Self.notFound(id) }
                return JSONResponse.success(EventJSON.json(event, withBody: true))
            case .replayEvent(let id):
                guard let id, let event = try await store.event(id: id) else { throw Self.notFound(id) }
                return try await ingest.replay(event, principal: principal, receivedAt: receivedAt).response
            default:
                return APIError.routeNotFound.response(eventId: nil)
            }
        } catch {
            return APIError.from(error, logger: logger).response(eventId: nil)
        }
    }

    private static func notFound(_ id: Int64?) -> APIError {
        .notFound("event not found: \(id.map(String.init) ?? "out of range")", causes: ["record not found"])
    }

    private func list(_ query: QueryParameters) async throws -> Response {
        var filter = EventFilter()
        filter.connectionId = try query.integer("connectionId")
        filter.route = query["route"]
        if let status = query["status"] {
            switch status.lowercased() {
            case "accepted": filter.accepted = true
            case "rejected": filter.accepted = false
            default:
                guard let code = Int(status), (100...599).contains(code) else {
                    throw APIError.badRequest("status: must be an HTTP status code, accepted or rejected, not \"\(EchoLimit.clip(status))\"")
                }
                filter.status = code
            }
        }
        let dates = DateParser(zonelessTimeZone: configuration.zonelessTimeZone)
        filter.receivedFrom = try query.date("from", dates)
        filter.receivedTo = try query.date("to", dates)
        let page = try await store.events(
            filter, limit: try query.integer("limit", default: 100, range: 1...1000), cursor: query["cursor"])
        return JSONResponse.success(.object([
            JSONMember("items", .array(page.items.map { EventJSON.json($0, withBody: false) })),
            JSONMember("nextCursor", .string(orNull: page.nextCursor)),
        ]))
    }
}

/// An event-log entry as `/api/v1/events` answers it (also printed by `doralake events`).
public enum EventJSON {
    /// An event as answered; with `withBody`, its `body` (null when not recorded).
    public static func json(_ event: StoredEvent, withBody: Bool) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("id", .int(event.id)), JSONMember("receivedAt", RecordJSON.time(event.receivedAt)),
            JSONMember("method", .string(event.method)), JSONMember("path", .string(event.path)),
            JSONMember("route", .string(event.route)), JSONMember("connectionId", .int(orNull: event.connectionId)),
            JSONMember("projectName", .string(orNull: event.projectName)), JSONMember("principal", .string(event.principal)),
            JSONMember("status", .int(Int64(event.status))), JSONMember("message", .string(event.message)),
            JSONMember("contentType", .string(event.contentType)), JSONMember("bodySize", .int(Int64(event.bodySize))),
            JSONMember("bodySha256", .string(event.bodySha256)), JSONMember("bodyTruncated", .bool(event.bodyTruncated)),
            JSONMember("durationMs", .int(event.durationMs)), JSONMember("replayOf", .int(orNull: event.replayOf)),
        ]
        if let statuses = event.itemStatuses {
            members.append(JSONMember("itemStatuses", .array(statuses.map { .int(Int64($0)) })))
        }
        if withBody { members.append(JSONMember("body", .string(orNull: event.body))) }
        return .object(members)
    }
}
