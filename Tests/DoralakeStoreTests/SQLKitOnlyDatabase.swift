import Logging
import NIOCore
import SQLKit

/// A database that forwards to another through SQLKit alone: it is neither a
/// `TupleReadingDatabase` nor a `PreparedStatementRunning`, so the store's reads take their
/// portable path on it. Tests compare that path with the driver's direct one.
struct SQLKitOnlyDatabase: SQLDatabase {
    let base: any SQLDatabase
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }
}
