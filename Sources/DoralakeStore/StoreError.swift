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
    /// Derived data did not catch up with the writes committed before a read within the read
    /// barrier's wait (``StoreOptions/derivationMaxWait``): the read is refused rather than
    /// answered with stale numbers. The payload is the wait in seconds.
    case derivationBehind(waitedSeconds: Double)

    public var description: String {
        switch self {
        case .unavailable(let reason): return "storage unavailable: \(reason)"
        case .notFound(let what): return what
        case .conflict(let what): return what
        case .configuration(let what): return what
        case .derivationBehind(let waited):
            return "derived data is still being brought up to date after \(waited) s"
        case .schemaTooNew(let found, let known):
            return
                "the database schema is at version \(found) but this doralake knows only up to \(known); upgrade doralake"
        }
    }
}
