import DoralakeStore

/// Who sent a request, after authentication.
enum Principal: Sendable {
    case admin
    case connectionKey(APIKeyRecord)
    case projectKey(APIKeyRecord)
    /// No `Authorization` header on an ingest route with `ingest.allowUnauthenticated`.
    case anonymous

    /// The event log's `principal`: never the token itself.
    var eventName: String {
        switch self {
        case .admin: return "admin"
        case .connectionKey(let key): return "connection-key:\(key.id)"
        case .projectKey(let key): return "project-key:\(key.id)"
        case .anonymous: return "anonymous"
        }
    }
}
