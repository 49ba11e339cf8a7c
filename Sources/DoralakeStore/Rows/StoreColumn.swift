import PostgresNIO
import SQLiteNIO

/// A value the store reads from one column of a result row through ``TupleReadingDatabase``:
/// decoded straight from the driver's cell (PostgreSQL's binary format, SQLite's storage class)
/// rather than through `Decodable`, and still readable through any `SQLRow` as a fallback.
protocol StoreColumn: PostgresDecodable, Decodable, Sendable {
    /// The value of a SQLite cell.
    /// - Throws: ``StoreColumnError`` when the cell holds another kind of value.
    init(sqlite data: SQLiteData) throws
}

/// A SQLite cell that does not hold the kind of value its column is read as.
struct StoreColumnError: Error, CustomStringConvertible {
    let expected: String
    let found: SQLiteData

    var description: String { "expected \(expected), found \(found)" }
}

extension Int64: StoreColumn {
    init(sqlite data: SQLiteData) throws {
        guard case .integer(let value) = data else { throw StoreColumnError(expected: "an integer", found: data) }
        self = Int64(value)
    }
}

extension String: StoreColumn {
    init(sqlite data: SQLiteData) throws {
        guard case .text(let value) = data else { throw StoreColumnError(expected: "text", found: data) }
        self = value
    }
}

extension Double: StoreColumn {
    init(sqlite data: SQLiteData) throws {
        switch data {
        case .float(let value): self = value
        case .integer(let value): self = Double(value)
        default: throw StoreColumnError(expected: "a number", found: data)
        }
    }
}

extension Optional: StoreColumn where Wrapped: StoreColumn, Wrapped._DecodableType == Wrapped {
    init(sqlite data: SQLiteData) throws {
        self = data == .null ? nil : try Wrapped(sqlite: data)
    }
}
