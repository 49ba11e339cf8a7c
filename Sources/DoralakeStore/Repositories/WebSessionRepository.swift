import DoralakeCore
import SQLKit

/// Reads and writes `web_sessions`.
struct WebSessionRepository {
    let db: any SQLDatabase

    /// Inserts a new session.
    func insert(_ session: WebSessionRecord) async throws {
        try await db.raw(
            """
            INSERT INTO web_sessions (id_hash, principal_kind, api_key_id, csrf_token, created_at, expires_at, last_seen_at)
            VALUES (\(bind: session.idHash), \(bind: session.kind.rawValue), \(bind: session.apiKey?.id),
                \(bind: session.csrfToken), \(bind: session.createdAt), \(bind: session.expiresAt), \(bind: session.lastSeenAt))
            """
        ).run()
    }

    /// The session with this id hash, with its key as stored now.
    func find(idHash: String) async throws -> WebSessionRecord? {
        try await db.raw(
            "SELECT s.*, \(unsafeRaw: APIKeyRecord.prefixedColumns) FROM web_sessions s LEFT JOIN api_keys k ON k.id = s.api_key_id WHERE s.id_hash = \(bind: idHash)"
        ).first().map { try WebSessionRecord(row: $0) }
    }

    /// Moves a session's expiry (sliding lifetime).
    func touch(idHash: String, lastSeenAt: Int64, expiresAt: Int64) async throws {
        try await db.raw(
            "UPDATE web_sessions SET last_seen_at = \(bind: lastSeenAt), expires_at = \(bind: expiresAt) WHERE id_hash = \(bind: idHash)"
        ).run()
    }

    /// Deletes one session.
    func delete(idHash: String) async throws {
        try await db.raw("DELETE FROM web_sessions WHERE id_hash = \(bind: idHash)").run()
    }

    /// Deletes every session expired at `now`.
    func deleteExpired(now: Int64) async throws {
        try await db.raw("DELETE FROM web_sessions WHERE expires_at <= \(bind: now)").run()
    }
}
