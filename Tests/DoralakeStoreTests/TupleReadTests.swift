import Logging
import NIOCore
import SQLKit
import DoralakeTestSupport
import Testing

@testable import DoralakeStore

/// Typed tuple reads (`SQLDatabase.tuples`), used by the metrics read: the driver's direct path
/// and the `SQLRow` fallback give the same values, on both databases.
@Suite("Typed tuple reads (SQLite, and PostgreSQL when configured)")
struct TupleReadTests {
    /// A database that forwards to another but is not a `TupleReadingDatabase`, so `tuples` takes
    /// the `SQLRow` path.
    struct PlainDatabase: SQLDatabase {
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

    typealias Row = (Int64, String, Int64?, Double?, String?)

    static func withDriver(_ body: @escaping @Sendable (any DatabaseDriver) async throws -> Void) async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "tuple-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, logger: logger)
            try await store.withRunningWriter { try await body(store.driver) }
        }
    }

    /// The rows written by `fill`, in id order.
    static let expected: [Row] = [
        (Int64.min, "", nil, nil, nil),
        (-1, "Zürich ✓ 'quoted'", 0, -0.5, "x"),
        (7, "b", Int64.max, 2.0, ""),
    ]

    static func fill(_ db: any SQLDatabase) async throws {
        try await db.raw("CREATE TABLE tuple_probe (id BIGINT PRIMARY KEY, name TEXT NOT NULL, n BIGINT, f DOUBLE PRECISION, t TEXT)")
            .run()
        for (id, name, n, f, t) in expected {
            try await db.raw("INSERT INTO tuple_probe (id, name, n, f, t) VALUES (\(bind: id), \(bind: name), \(bind: n), \(bind: f), \(bind: t))")
                .run()
        }
    }

    static func same(_ a: [Row], _ b: [Row]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 && $0.3 == $1.3 && $0.4 == $1.4 }
    }

    @Test("the direct read and the SQLRow fallback give the written values, nulls and extremes included")
    func directEqualsFallback() async throws {
        try await Self.withDriver { driver in
            try await driver.withWriteConnection(deadline: false) { db in
                #expect(db is any TupleReadingDatabase)
                try await Self.fill(db)
                let query: SQLQueryString = "SELECT id, name, n, f, t FROM tuple_probe WHERE id >= \(bind: Int64.min) ORDER BY id"
                let direct = try await db.tuples(query, as: Row.self)
                let fallback = try await PlainDatabase(base: db).tuples(query, as: Row.self)
                #expect(Self.same(direct, Self.expected), "\(direct)")
                #expect(Self.same(fallback, Self.expected), "\(fallback)")
                // Binds of every kind the store uses: integers, text, lists.
                let filtered = try await db.tuples(
                    "SELECT id, name FROM tuple_probe WHERE id IN (\(binds: [Int64(-1), 7])) AND name <> \(bind: "b")",
                    as: (Int64, String).self)
                #expect(filtered.map(\.0) == [-1])
                #expect(filtered.map(\.1) == ["Zürich ✓ 'quoted'"])
            }
        }
    }

    @Test("a column read as the wrong type, or a row narrower than the tuple, is an error, not a crash")
    func mismatchesThrow() async throws {
        try await Self.withDriver { driver in
            try await driver.withWriteConnection(deadline: false) { db in
                try await Self.fill(db)
                await #expect(throws: (any Error).self) {
                    _ = try await db.tuples("SELECT name, id FROM tuple_probe", as: (Int64, Int64).self)
                }
                await #expect(throws: (any Error).self) {
                    _ = try await db.tuples("SELECT id FROM tuple_probe", as: (Int64, Int64).self)
                }
                await #expect(throws: (any Error).self) {
                    _ = try await db.tuples("SELECT id, n FROM tuple_probe", as: (Int64, Int64).self)
                }
            }
        }
    }
}
