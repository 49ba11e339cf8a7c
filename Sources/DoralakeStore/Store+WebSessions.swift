import DoralakeCore

extension Store {
    /// Stores a new web UI session and removes expired ones, in one transaction.
    /// - Parameters:
    ///   - idHash: HMAC of the session token (the caller gives the token to the browser).
    ///   - kind: admin or project session.
    ///   - apiKey: the project key signed in with (nil for admin).
    ///   - csrfToken: the session's form token.
    ///   - lifetime: how long the session lasts without use, in milliseconds.
    /// - Returns: the stored session.
    public func createWebSession(
        idHash: String, kind: WebSessionRecord.Kind, apiKey: APIKeyRecord?, csrfToken: String,
        lifetime: EpochMilliseconds
    ) async throws -> WebSessionRecord {
        let now = clock.now()
        let session = WebSessionRecord(
            idHash: idHash, kind: kind, apiKey: apiKey, csrfToken: csrfToken, createdAt: now, expiresAt: now + lifetime,
            lastSeenAt: now)
        try await write { db in
            let repository = WebSessionRepository(db: db)
            try await repository.deleteExpired(now: now)
            try await repository.insert(session)
        }
        return session
    }

    /// The session with this id hash, if stored (possibly expired: see ``WebSessionRecord/isValid(at:)``).
    public func webSession(idHash: String) async throws -> WebSessionRecord? {
        try await read { try await WebSessionRepository(db: $0).find(idHash: idHash) }
    }

    /// Records use of a session and extends its expiry to `lastSeenAt + lifetime`.
    public func touchWebSession(idHash: String, lifetime: EpochMilliseconds) async throws {
        let now = clock.now()
        try await write { try await WebSessionRepository(db: $0).touch(idHash: idHash, lastSeenAt: now, expiresAt: now + lifetime) }
    }

    /// Deletes a session (sign-out, or a session found expired) and every other expired one.
    public func deleteWebSession(idHash: String) async throws {
        let now = clock.now()
        try await write { db in
            let repository = WebSessionRepository(db: db)
            try await repository.delete(idHash: idHash)
            try await repository.deleteExpired(now: now)
        }
    }
}
