import DoralakeCore
import SQLKit

/// An entry of the raw event log (spec §11) as read back.
public struct StoredEvent: Sendable {
    public var id: Int64
    public var receivedAt: EpochMilliseconds
    public var method: String
    /// The path as received, without the query.
    public var path: String
    /// The route name, e.g. `deployments`, `issue_close_path`, `batch`.
    public var route: String
    public var connectionId: Int64?
    public var projectName: String?
    /// `admin`, `connection-key:<id>`, `project-key:<id>` or `anonymous`; never the token.
    public var principal: String
    public var status: Int
    public var message: String
    public var contentType: String
    public var bodySize: Int
    public var bodySha256: String
    /// The body as stored; nil in lists, and when it was not recorded (failed authentication).
    public var body: String?
    public var bodyTruncated: Bool
    public var durationMs: Int64
    public var replayOf: Int64?
    /// A batch request's per-item statuses, in item order.
    public var itemStatuses: [Int]?

    init(row: any SQLRow, withBody: Bool) throws {
        id = try row.decode(column: "id", as: Int64.self)
        receivedAt = try row.decode(column: "received_at", as: Int64.self)
        method = try row.decode(column: "method", as: String.self)
        path = try row.decode(column: "path", as: String.self)
        route = try row.decode(column: "route", as: String.self)
        connectionId = try row.decode(column: "connection_id", as: Int64?.self)
        projectName = try row.decode(column: "project_name", as: String?.self)
        principal = try row.decode(column: "principal", as: String.self)
        status = Int(try row.decode(column: "status", as: Int64.self))
        message = try row.decode(column: "message", as: String.self)
        contentType = try row.decode(column: "content_type", as: String.self)
        bodySize = Int(try row.decode(column: "body_size", as: Int64.self))
        bodySha256 = try row.decode(column: "body_sha256", as: String.self)
        body = withBody ? try row.decode(column: "body", as: String?.self) : nil
        bodyTruncated = try row.decode(column: "body_truncated", as: Int64.self) != 0
        durationMs = try row.decode(column: "duration_ms", as: Int64.self)
        replayOf = try row.decode(column: "replay_of", as: Int64?.self)
        itemStatuses = try row.decode(column: "item_statuses", as: String?.self).flatMap { text in
            guard case .array(let values)? = try? JSONParser.parse(text).value else { return nil }
            return values.compactMap { if case .number(let number) = $0 { return Int(number) } else { return nil } }
        }
    }
}

/// Filters of `GET /api/v1/events`.
public struct EventFilter: Sendable {
    public var connectionId: Int64?
    public var route: String?
    /// One status code.
    public var status: Int?
    /// Only accepted (2xx) or only rejected (everything else) requests.
    public var accepted: Bool?
    public var receivedFrom: EpochMilliseconds?
    public var receivedTo: EpochMilliseconds?

    public init() {}
}
