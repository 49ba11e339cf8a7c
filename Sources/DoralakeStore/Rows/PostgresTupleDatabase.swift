import PostgresKit
import PostgresNIO
import SQLKit

/// A PostgreSQL connection as an `SQLDatabase` (through PostgresKit) that also reads tuples with
/// PostgresNIO's typed row decoding and runs its prepared statements.
struct PostgresTupleDatabase: ForwardingDatabase, TupleReadingDatabase, PreparedStatementRunning {
    let connection: PostgresConnection
    let base: any SQLDatabase

    init(connection: PostgresConnection) {
        self.connection = connection
        self.base = connection.sql(queryLogLevel: nil)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    func readTuples<each Column: StoreColumn>(
        _ query: SQLQueryString, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        let (sql, binds) = base.serialize(query)
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            guard let value = bind as? any PostgresThrowingDynamicTypeEncodable else {
                throw UnsupportedBind(type: "\(type(of: bind))")
            }
            try bindings.append(value)
        }
        var width = 0
        for _ in repeat (each Column).self { width += 1 }
        var rows: [(repeat each Column)] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
            // PostgresNIO traps on a row narrower than the tuple; report it instead.
            guard row.count >= width else { throw TupleShapeError(columns: row.count) }
            rows.append(try row.decode(types))
        }
        return rows
    }

    func runPrepared<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row]? {
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }

    /// A bound value PostgresNIO cannot encode by itself (the `SQLRow` path handles it).
    struct UnsupportedBind: Error, CustomStringConvertible {
        let type: String

        var description: String { "a value of type \(type) cannot be bound in a typed read" }
    }
}
