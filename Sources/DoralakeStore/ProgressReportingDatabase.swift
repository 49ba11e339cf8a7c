import Dispatch
import Logging
import NIOCore
import PostgresNIO
import SQLKit
import Synchronization

/// Forwards to a database and notes when each statement finishes, so that a watchdog can tell a
/// long transaction that keeps making progress from a connection that stopped answering.
struct ProgressReportingDatabase: ForwardingDatabase, TupleReadingDatabase, PreparedStatementRunning {
    let base: any SQLDatabase
    let progress: StatementProgress

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let progress = self.progress
        return base.execute(sql: query, onRow).always { _ in progress.note() }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        defer { progress.note() }
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let progress = self.progress
        return try await base.withSession { try await closure(ProgressReportingDatabase(base: $0, progress: progress)) }
    }

    func readTuples<each Column: StoreColumn>(
        _ query: SQLQueryString, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        defer { progress.note() }
        return try await base.tuples(query, as: types)
    }

    func runPrepared<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row]? {
        defer { progress.note() }
        return try await base.prepared(statement)
    }
}

/// When the last statement of a unit of database work finished.
final class StatementProgress: Sendable {
    private let lastNanoseconds = Atomic<UInt64>(DispatchTime.now().uptimeNanoseconds)

    /// Records that a statement finished (or that the work started) now.
    func note() {
        lastNanoseconds.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
    }

    /// How long ago the last statement finished.
    var idle: Duration {
        let now = DispatchTime.now().uptimeNanoseconds
        let last = lastNanoseconds.load(ordering: .relaxed)
        return .nanoseconds(Int64(now > last ? now - last : 0))
    }
}
