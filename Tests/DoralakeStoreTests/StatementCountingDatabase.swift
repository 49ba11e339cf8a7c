import NIOCore
import SQLKit
import Synchronization

@testable import DoralakeStore

/// Forwards to a database and counts the statements sent through it, so that a test can tell how
/// many statements a read costs.
struct StatementCountingDatabase: ForwardingDatabase {
    /// The number of statements sent so far, shared by the database's sessions.
    final class Count: Sendable {
        private let statements = Atomic<Int>(0)

        /// The number of statements counted.
        var value: Int { statements.load(ordering: .relaxed) }

        fileprivate func increment() { statements.add(1, ordering: .relaxed) }
    }

    let base: any SQLDatabase
    let count: Count

    init(base: any SQLDatabase, count: Count = Count()) {
        self.base = base
        self.count = count
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        count.increment()
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        count.increment()
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let count = self.count
        return try await base.withSession { try await closure(StatementCountingDatabase(base: $0, count: count)) }
    }
}
