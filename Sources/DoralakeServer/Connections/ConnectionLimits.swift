import Foundation

/// Time and count limits on client connections, so that idle, slow or abandoned connections
/// cannot exhaust the server's sockets (issue 14). Every value has a `DORALAKE_HTTP_*` setting.
public struct ConnectionLimits: Sendable, Equatable {
    /// Time a new connection may take to send its first complete request head.
    public var headTimeout: Duration
    /// Time a kept-alive connection may stay idle between a response and the next request head.
    public var idleTimeout: Duration
    /// Time from a request's head to the end of its body (slow uploads are cut off after it).
    public var bodyTimeout: Duration
    /// Most connections open at once; above it the longest-idle connection is closed to make room,
    /// or the new one when none is idle.
    public var maxConnections: Int
    /// Request-body bytes held at once by all requests together (see ``BodyBudget``); a request
    /// that would exceed it waits up to ``bodyBudgetWait``, then gets 503.
    public var bodyBudgetBytes: Int
    /// Longest wait for room in the body budget.
    public var bodyBudgetWait: Duration = .seconds(10)

    public init(
        headTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(60),
        maxConnections: Int = ConnectionLimits.defaultMaxConnections(), bodyBudgetBytes: Int = 64 << 20
    ) {
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = maxConnections
        self.bodyBudgetBytes = bodyBudgetBytes
    }

    /// Half the process's open-file limit (the rest is left to database files, database
    /// connections and logs), at least 16 and at most 1 000.
    public static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_000 }
        let soft = UInt64(limit.rlim_cur)  // RLIM_INFINITY is UInt64.max: capped below
        return Int(min(1_000, max(16, soft / 2)))
    }
}
