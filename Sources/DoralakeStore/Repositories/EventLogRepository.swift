import SQLKit

/// Writes the raw event log (spec §11). Reads and replay come with the event-log API.
struct EventLogRepository {
    let db: any SQLDatabase

    /// Inserts one event and returns its id.
    func insert(_ event: EventDraft, durationMs: Int64) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO events (received_at, method, path, route, connection_id, project_name, principal, status,
                message, content_type, body_size, body_sha256, body, body_truncated, duration_ms, replay_of)
            VALUES (\(bind: event.receivedAt), \(bind: event.method), \(bind: event.path), \(bind: event.route),
                \(bind: event.connectionId), \(bind: event.projectName), \(bind: event.principal),
                \(bind: Int64(event.status)), \(bind: event.message), \(bind: event.contentType),
                \(bind: Int64(event.bodySize)), \(bind: event.bodySha256), \(bind: event.body),
                \(bind: event.bodyTruncated ? Int64(1) : Int64(0)), \(bind: durationMs), \(bind: Int64?.none))
            RETURNING id
            """
        ).first()
        guard let row else { throw StoreError.unavailable("event id not returned") }
        return try row.decode(column: "id", as: Int64.self)
    }

    /// Inserts events with one statement and returns their ids in the order given. Ids are
    /// assigned in row order within one statement (SQLite rowids, PostgreSQL sequence values).
    func insert(_ events: [EventDraft], now: Int64) async throws -> [Int64] {
        if events.count == 1 { return [try await insert(events[0], durationMs: max(0, now - events[0].receivedAt))] }
        let ids = try await db.insertRows(
            events, rowsPerStatement: events.count,
            head: """
                INSERT INTO events (received_at, method, path, route, connection_id, project_name, principal, status,
                    message, content_type, body_size, body_sha256, body, body_truncated, duration_ms, replay_of)
                VALUES
                """,
            tail: "RETURNING id"
        ) { event in
            """
            (\(bind: event.receivedAt), \(bind: event.method), \(bind: event.path), \(bind: event.route),
            \(bind: event.connectionId), \(bind: event.projectName), \(bind: event.principal),
            \(bind: Int64(event.status)), \(bind: event.message), \(bind: event.contentType),
            \(bind: Int64(event.bodySize)), \(bind: event.bodySha256), \(bind: event.body),
            \(bind: event.bodyTruncated ? Int64(1) : Int64(0)), \(bind: max(0, now - event.receivedAt)), NULL)
            """
        }.map { try $0.decode(column: "id", as: Int64.self) }.sorted()
        guard ids.count == events.count else { throw StoreError.unavailable("event ids not returned") }
        return ids
    }
}
