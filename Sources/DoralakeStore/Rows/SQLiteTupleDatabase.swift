import SQLKit
import SQLiteKit
import SQLiteNIO

/// A SQLite connection as an `SQLDatabase` (through SQLiteKit) that also reads tuples straight
/// from SQLiteNIO's rows.
struct SQLiteTupleDatabase: ForwardingDatabase, TupleReadingDatabase {
    let connection: SQLiteConnection
    let base: any SQLDatabase

    init(connection: SQLiteConnection) {
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
        let encoder = SQLiteDataEncoder()
        let rows = try await connection.query(sql, try binds.map { try encoder.encode($0) })
        return try rows.map { row in
            let columns = row.columns
            var index = 0
            func next<Value: StoreColumn>(_: Value.Type) throws -> Value {
                defer { index += 1 }
                guard index < columns.count else { throw TupleShapeError(columns: columns.count) }
                return try Value(sqlite: columns[index].data)
            }
            return (repeat try next((each Column).self))
        }
    }
}
