import SQLKit

/// A database that reads result rows as tuples of ``StoreColumn`` values straight from its
/// driver. SQLKit's `SQLRow.decode(column:as:)` goes through `Decodable` and builds a coding path
/// for every cell (about 1 µs a cell on PostgreSQL), which dominates reads of tens of thousands of
/// cells such as a metrics request's.
protocol TupleReadingDatabase: SQLDatabase {
    /// The rows of `query`, each decoded as `types` (one type per selected column, in order).
    func readTuples<each Column: StoreColumn>(
        _ query: SQLQueryString, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)]
}

extension SQLDatabase {
    /// The rows of `query`, each decoded as `types` (one type per selected column, in order):
    /// straight from the driver when this database is a ``TupleReadingDatabase``, through
    /// `SQLRow` otherwise (same values, slower; that path finds columns by name, so the selected
    /// names must differ).
    func tuples<each Column: StoreColumn>(
        _ query: SQLQueryString, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        if let direct = self as? any TupleReadingDatabase {
            return try await direct.readTuples(query, as: types)
        }
        return try await raw(query).all().map { row in
            let columns = row.allColumns
            var index = 0
            func next<Value: StoreColumn>(_: Value.Type) throws -> Value {
                defer { index += 1 }
                guard index < columns.count else { throw TupleShapeError(columns: columns.count) }
                return try row.decode(column: columns[index], as: Value.self)
            }
            return (repeat try next((each Column).self))
        }
    }
}

/// A row with fewer columns than the tuple it is read as.
struct TupleShapeError: Error, CustomStringConvertible {
    let columns: Int

    var description: String { "the row has \(columns) columns, fewer than the tuple read from it" }
}
