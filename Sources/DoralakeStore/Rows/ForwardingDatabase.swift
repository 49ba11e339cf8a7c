import Logging
import NIOCore
import SQLKit

/// A database that passes SQLKit's requirements on to `base`; a conforming type adds or changes
/// only what it is for (typed reads, progress notes).
protocol ForwardingDatabase: SQLDatabase {
    /// The database statements go to.
    var base: any SQLDatabase { get }
}

extension ForwardingDatabase {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await base.execute(sql: query, onRow)
    }
}
