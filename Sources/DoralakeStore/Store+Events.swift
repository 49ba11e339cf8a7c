import DoralakeCore
import SQLKit

extension Store {
    /// The columns of a list row: every column but the body.
    private static let eventListColumns: SQLQueryString = """
        id, received_at, method, path, route, connection_id, project_name, principal, status, message, content_type,
        body_size, body_sha256, body_truncated, duration_ms, replay_of, item_statuses
        """

    /// Event-log entries, newest first, without bodies (spec §11); with `rejectedBodies`, the bodies
    /// of rejected requests (kept up to `rawLog.rejectedBodyBytes`) in the same statement.
    /// - Throws: ``InvalidCursor`` for a cursor that is not one of ours.
    public func events(_ filter: EventFilter, limit: Int, cursor: String?, rejectedBodies: Bool = false) async throws
        -> Page<StoredEvent>
    {
        var conditions: [SQLQueryString] = []
        if let connectionId = filter.connectionId { conditions.append("connection_id = \(bind: connectionId)") }
        if let route = filter.route { conditions.append("route = \(bind: route)") }
        if let status = filter.status { conditions.append("status = \(bind: Int64(status))") }
        switch filter.accepted {
        case true?: conditions.append("status >= 200 AND status < 300")
        case false?: conditions.append("(status < 200 OR status >= 300)")
        case nil: break
        }
        if let from = filter.receivedFrom { conditions.append("received_at >= \(bind: from)") }
        if let to = filter.receivedTo { conditions.append("received_at <= \(bind: to)") }
        if let cursor {
            guard let position = PageCursor(token: cursor), let id = position.int(0) else { throw InvalidCursor() }
            conditions.append("id < \(bind: id)")
        }
        let body: SQLQueryString = rejectedBodies ? ", CASE WHEN status >= 200 AND status < 300 THEN NULL ELSE body END AS body" : ""
        let query: SQLQueryString =
            "SELECT " + Self.eventListColumns + body + " FROM events" + Self.whereClause(conditions)
            + " ORDER BY id DESC LIMIT \(literal: limit + 1)"
        return try await read { db in
            let (items, more) = try await Self.pageRows(
                db, query, limit: limit, decode: { try StoredEvent(row: $0, withBody: rejectedBodies) },
                textBytes: { $0.path.utf8.count + $0.message.utf8.count })
            return Self.page(
                items, more: more, textBytes: { $0.path.utf8.count + $0.message.utf8.count },
                cursor: { PageCursor([.int($0.id)]) })
        }
    }

    /// One event-log entry with its body, or nil.
    public func event(id: Int64) async throws -> StoredEvent? {
        try await read { db in
            try await db.raw("SELECT * FROM events WHERE id = \(bind: id)").first().map { try StoredEvent(row: $0, withBody: true) }
        }
    }
}
