import SQLKit

/// What the store needs from a database engine: a connection for the single writer's
/// transactions, connections for reads, and the SQL differences of its dialect.
protocol DatabaseDriver: Sendable {
    /// The SQL differences of this engine.
    var dialect: StoreDialect { get }
    /// The SQLite file, when the engine is SQLite.
    var sqlitePath: String? { get }
    /// Runs `body` on a connection that may write; one transaction at a time uses it. With
    /// `deadline`, a body that takes too long is abandoned and "unavailable" thrown (request work);
    /// without, it may take as long as it needs (start-up work such as migrations).
    func withWriteConnection<T: Sendable>(
        deadline: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T
    /// Runs `body` on a connection of its own for a transaction beside the writer's (the deriver's
    /// on PostgreSQL). SQLite has one write connection: its deriver goes through the writer instead.
    func withBackgroundConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` on a connection for reads.
    func withReadConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// The error to report for `error`: connection-level failures become
    /// ``StoreError/unavailable(_:)``; anything else is returned as is.
    func translate(_ error: any Error) -> any Error
    /// Whether `error` is a conflict between concurrent transactions that the database resolved by
    /// aborting this one (a deadlock, a serialization failure): the whole transaction may simply
    /// be run again.
    func isTransientConflict(_ error: any Error) -> Bool
    /// Whether a COMMIT on the write connection can return before it is durable (SQLite: the log
    /// is synced apart, ``WALFileSync``). The writer then answers a transaction's requests only
    /// after a ``syncCommits()`` that began after its COMMIT returned.
    var commitsNeedSync: Bool { get }
    /// Makes every commit that returned before this call durable; blocks the calling thread.
    func syncCommits() throws
    /// Background upkeep of the database beside the writer (SQLite: checkpoints of its log), until
    /// the calling task is cancelled.
    func runMaintenance() async
    /// Called by the writer after each of its commits, before the next transaction: upkeep that
    /// only the writer can do (SQLite: let the log start over).
    func writerCommitted()
    /// Whether the driver's connections need ``runConnections()`` running (PostgreSQL's pool) for
    /// any query to be answered.
    var runsConnections: Bool { get }
    /// Runs the connections until graceful shutdown or cancellation (the store's first service).
    func runConnections() async
    /// Checks that the database answers (after ``runConnections()`` started, when it runs).
    /// - Throws: ``StoreError/unavailable(_:)`` with a message naming the database.
    func checkReachable() async throws
    /// Closes every connection.
    func close() async
}

extension DatabaseDriver {
    var runsConnections: Bool { false }
    func runConnections() async {}
    func checkReachable() async throws {}
    func writerCommitted() {}
}
