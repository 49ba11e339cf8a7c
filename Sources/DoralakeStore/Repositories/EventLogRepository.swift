import SQLKit

/// Writes the raw event log (spec §11). Reads and replay come with the event-log API.
struct EventLogRepository {
    let db: any SQLDatabase

    /// Inserts one event and returns its id.
    func insert(_ event: EventDraft, durationMs: Int64) async throws -> Int64 {
        try await insert([event], now: event.receivedAt + max(0, durationMs))[0]
    }

    /// Inserts events with one statement and returns their ids in the order given. Ids are
    /// assigned in row order within one statement (SQLite rowids, PostgreSQL sequence values).
    func insert(_ events: [EventDraft], now: Int64) async throws -> [Int64] {
        let ids = try await db.insertRows(
            events, rowsPerStatement: events.count,
            head: """
                INSERT INTO events (received_at, method, path, route, connection_id, project_name, principal, status,
                    message, content_type, body_size, body_sha256, body, body_truncated, duration_ms, replay_of)
                VALUES
                """,
            tail: "RETURNING id"
        ) { event in
            [
                event.receivedAt, event.method, event.path, event.route, event.connectionId, event.projectName,
                event.principal, Int64(event.status), event.message, event.contentType, Int64(event.bodySize),
                event.bodySha256, event.body, event.bodyTruncated ? Int64(1) : Int64(0), max(0, now - event.receivedAt),
                event.replayOf,
            ]
        }.map { try $0.decode(column: "id", as: Int64.self) }.sorted()
        guard ids.count == events.count else { throw StoreError.unavailable("event ids not returned") }
        return ids
    }

    /// Keeps a batch request's per-item HTTP statuses with its event, and sums them up in its message.
    func setItemStatuses(_ statuses: [Int], of eventId: Int64) async throws {
        let text = "[" + statuses.map(String.init).joined(separator: ",") + "]"
        let accepted = statuses.filter { $0 == 200 }.count
        let message = "\(statuses.count) items: \(accepted) accepted, \(statuses.count - accepted) rejected"
        try await db.raw(
            "UPDATE events SET item_statuses = \(bind: text), message = \(bind: message) WHERE id = \(bind: eventId)"
        ).run()
    }
}
