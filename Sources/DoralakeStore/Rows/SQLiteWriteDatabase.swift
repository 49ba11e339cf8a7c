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
        try connection.execute(sql, try binds.map { try Self.encoder.encode($0) }) { row in
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

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        try connection.execute(sql, try binds.map { try Self.encoder.encode($0) }) { row in
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
        return try Self.decoder.decode(D.self, from: value)
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
