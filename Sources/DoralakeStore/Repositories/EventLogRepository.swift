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
}
