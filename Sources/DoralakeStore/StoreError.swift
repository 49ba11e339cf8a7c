/// Errors of the persistence layer. The server maps them to HTTP statuses in one place.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database is unreachable, read-only or shutting down; retry later (503).
    case unavailable(String)
    /// A named thing does not exist (404); `what` is a user-facing phrase such as `issue not found: X-1`.
    case notFound(String)
    /// A uniqueness rule was violated (400/409), e.g. a connection name that is taken.
    case conflict(String)
    /// The configuration cannot work (start-up error).
    case configuration(String)
    /// The database schema is newer than this build understands.
    case schemaTooNew(found: Int, known: Int)

    public var description: String {
        switch self {
        case .unavailable(let reason): return "storage unavailable: \(reason)"
        case .notFound(let what): return what
        case .conflict(let what): return what
        case .configuration(let what): return what
        case .schemaTooNew(let found, let known):
            return
                "the database schema is at version \(found) but this doralake knows only up to \(known); upgrade doralake"
        }
    }
}
