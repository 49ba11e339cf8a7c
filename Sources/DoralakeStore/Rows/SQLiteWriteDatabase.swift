import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The writer connection as an `SQLDatabase`: SQLKit's statements run synchronously on the calling
/// thread (``SQLiteWriteConnection``), so a group transaction of the writer never leaves its
/// executor. Rows read as tuples skip SQLKit's `Decodable` path.
struct SQLiteWriteDatabase: TupleReadingDatabase {
    let connection: SQLiteWriteConnection
    let logger: Logger
    /// Required by SQLKit's future-based interface; nothing is scheduled on it.
    let eventLoop: any EventLoop

    private static let encoder = SQLiteDataEncoder()
    private static let sqliteDialect = SQLiteDialect()

    init(connection: SQLiteWriteConnection, logger: Logger, eventLoop: any EventLoop) {
        self.connection = connection
        self.logger = logger
        self.eventLoop = eventLoop
    }

    var dialect: any SQLDialect { Self.sqliteDialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    func readTuples<each Column: StoreColumn>(
        _ query: SQLQueryString, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        let (sql, binds) = serialize(query)
        var rows: [(repeat each Column)] = []
        try connection.execute(sql, try binds.map(Self.data(of:))) { row in
            var index = 0
            func next<Value: StoreColumn>(_: Value.Type) throws -> Value {
                defer { index += 1 }
                guard index < row.values.count else { throw TupleShapeError(columns: row.values.count) }
                return try Value(sqlite: row.values[index])
            }
            rows.append((repeat try next((each Column).self)))
        }
        return rows
    }

    /// A bound value as SQLite data: the common types (and their optionals) directly, the rest
    /// through SQLiteKit's encoder, which gives the same values more slowly.
    private static func data(of bind: any Encodable & Sendable) throws -> SQLiteData {
        switch bind {
        case let text as String: return .text(text)
        case let integer as Int64: return .integer(Int(integer))
        case let integer as Int: return .integer(integer)
        case let double as Double: return .float(double)
        case let text as String?: return text.map { .text($0) } ?? .null
        case let integer as Int64?: return integer.map { .integer(Int($0)) } ?? .null
        default: return try encoder.encode(bind)
        }
    }

    /// Runs `sql` (written with `?1`, `?2`… placeholders) with `binds` as they are, without SQLKit.
    func run(sql: String, binds: [any Encodable & Sendable], _ onRow: (any SQLRow) -> Void) throws {
        try connection.execute(sql, try binds.map(Self.data(of:))) { row in
            onRow(SQLiteWriteSQLRow(row: row))
        }
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        try connection.execute(sql, try binds.map(Self.data(of:))) { row in
            onRow(SQLiteWriteSQLRow(row: row))
        }
    }
}

/// A row of the writer connection as SQLKit's `SQLRow`.
struct SQLiteWriteSQLRow: SQLRow {
    let row: SQLiteWriteRow

    private static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { row.names }

    func contains(column: String) -> Bool { row.names.contains(column) }

    func decodeNil(column: String) throws -> Bool { (row.value(column) ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let value = row.value(column) else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "no column named \(column)"))
        }
        // The common types directly; the rest through SQLiteKit's decoder (same values, slower).
        switch value {
        case .text(let text) where D.self == String.self || D.self == String?.self:
            return D.self == String.self ? text as! D : Optional(text) as! D
        case .integer(let integer) where D.self == Int64.self || D.self == Int64?.self:
            return D.self == Int64.self ? Int64(integer) as! D : Optional(Int64(integer)) as! D
        case .integer(let integer) where D.self == Int.self:
            return integer as! D
        case .null where D.self == String?.self:
            return String?.none as! D
        case .null where D.self == Int64?.self:
            return Int64?.none as! D
        default:
            return try Self.decoder.decode(D.self, from: value)
        }
    }
}

/// A column name as a coding key, for decoding errors.
private struct SQLiteColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
