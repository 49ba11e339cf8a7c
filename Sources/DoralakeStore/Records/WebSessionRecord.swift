import DoralakeCore
import SQLKit

/// A web UI sign-in session as stored: who signed in, the form token, and its lifetime. The
/// session token the browser holds is not here, only its HMAC (``idHash``).
public struct WebSessionRecord: Sendable, Equatable {
    /// Who a session belongs to.
    public enum Kind: String, Sendable {
        /// Signed in with the admin token.
        case admin
        /// Signed in with a project key (``WebSessionRecord/apiKey`` names it).
        case project
    }

    /// HMAC of the session token.
    public var idHash: String
    public var kind: Kind
    /// The project key a `project` session signed in with, as it is stored now (nil for admin
    /// sessions, and when the key no longer exists).
    public var apiKey: APIKeyRecord?
    /// The token every form of the session carries (CSRF protection).
    public var csrfToken: String
    public var createdAt: EpochMilliseconds
    public var expiresAt: EpochMilliseconds
    public var lastSeenAt: EpochMilliseconds

    /// Creates a record.
    init(
        idHash: String, kind: Kind, apiKey: APIKeyRecord?, csrfToken: String, createdAt: EpochMilliseconds,
        expiresAt: EpochMilliseconds, lastSeenAt: EpochMilliseconds
    ) {
        self.idHash = idHash
        self.kind = kind
        self.apiKey = apiKey
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt
    }

    /// Reads a `web_sessions` row joined with its key's columns under the `k_` prefix.
    init(row: any SQLRow) throws {
        idHash = try row.decode(column: "id_hash", as: String.self)
        let kindText = try row.decode(column: "principal_kind", as: String.self)
        guard let kind = Kind(rawValue: kindText) else { throw StoreError.unavailable("unknown session kind \(kindText)") }
        self.kind = kind
        apiKey = try row.decodeNil(column: "k_id") ? nil : try APIKeyRecord(row: row, prefix: "k_")
        csrfToken = try row.decode(column: "csrf_token", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Int64.self)
        expiresAt = try row.decode(column: "expires_at", as: Int64.self)
        lastSeenAt = try row.decode(column: "last_seen_at", as: Int64.self)
    }

    /// True when the session can no longer be used at `now`: expired, or (for a project session)
    /// its key is gone, expired, or was rotated after the sign-in.
    public func isValid(at now: EpochMilliseconds) -> Bool {
        guard expiresAt > now else { return false }
        switch kind {
        case .admin:
            return true
        case .project:
            guard let apiKey, apiKey.projectName != nil, !apiKey.isExpired(at: now) else { return false }
            return apiKey.updatedAt <= createdAt
        }
    }
}
