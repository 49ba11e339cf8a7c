import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import Testing

@testable import DoralakeStore

/// The SQLite writer connection (statements run in-process, kept prepared) against a real file.
@Suite("SQLite writer connection")
struct SQLiteWriteConnectionTests {
    private func withDatabase(_ body: (SQLiteWriteConnection, SQLiteWriteDatabase) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-writeconn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let connection = try SQLiteWriteConnection.open(path: directory.appendingPathComponent("db.sqlite").path)
        defer { connection.close() }
        let database = SQLiteWriteDatabase(
            connection: connection, logger: Logger(label: "test"), eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        try await body(connection, database)
    }

    @Test("values come back as bound: empty text is not NULL, blobs, integers, doubles, NULL, non-ASCII text")
    func valuesRoundTrip() async throws {
        try await withDatabase { _, db in
            try await db.raw("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, b BLOB, i BIGINT, d REAL)").run()
            let blob = ByteBuffer(bytes: [0, 1, 2, 255])
            try await db.raw(
                "INSERT INTO t (id, s, b, i, d) VALUES (1, \(bind: ""), \(bind: blob), \(bind: Int64.max), \(bind: 2.5))"
            ).run()
            try await db.raw(
                "INSERT INTO t (id, s, b, i, d) VALUES (2, \(bind: String?.none), \(bind: ByteBuffer()), \(bind: Int64?.none), \(bind: -0.25))"
            ).run()
            try await db.raw("INSERT INTO t (id, s) VALUES (3, \(bind: "zürich ✓ \u{0}end"))").run()

            let rows = try await db.raw("SELECT id, s, b, i, d, s IS NULL AS s_null, length(b) AS b_length FROM t ORDER BY id").all()
            #expect(rows.count == 3)
            #expect(try rows[0].decode(column: "s", as: String.self) == "")
            #expect(try rows[0].decode(column: "s_null", as: Int64.self) == 0)
            #expect(try rows[0].decode(column: "i", as: Int64.self) == Int64.max)
            #expect(try rows[0].decode(column: "d", as: Double.self) == 2.5)
            #expect(try rows[0].decode(column: "b_length", as: Int64.self) == 4)
            #expect(try rows[1].decodeNil(column: "s"))
            #expect(try rows[1].decode(column: "s", as: String?.self) == nil)
            #expect(try rows[1].decode(column: "i", as: Int64?.self) == nil)
            #expect(try rows[1].decode(column: "b_length", as: Int64.self) == 0)
            #expect(try rows[2].decode(column: "s", as: String.self) == "zürich ✓ \u{0}end")
            let tuples = try await db.tuples("SELECT id, s FROM t WHERE id = \(bind: Int64(3))", as: (Int64, String).self)
            #expect(tuples.count == 1 && tuples[0].0 == 3 && tuples[0].1 == "zürich ✓ \u{0}end")
        }
    }

    @Test("a statement seen before is reused, a new text is prepared once")
    func statementsStayPrepared() async throws {
        try await withDatabase { connection, db in
            try await db.raw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)").run()
            let before = connection.cacheStatistics
            for index in 0..<50 {
                try await db.raw("INSERT INTO t (id, v) VALUES (\(bind: Int64(index)), \(bind: "v\(index)"))").run()
            }
            let after = connection.cacheStatistics
            #expect(after.misses - before.misses == 1)
            #expect(after.hits - before.hits == 49)
            let count = try await db.raw("SELECT count(*) AS n FROM t").first()?.decode(column: "n", as: Int64.self)
            #expect(count == 50)
        }
    }

    @Test("an error names SQLite's reason and leaves the connection usable; several statements in one text are refused")
    func errors() async throws {
        try await withDatabase { _, db in
            try await db.raw("CREATE TABLE t (id INTEGER PRIMARY KEY)").run()
            try await db.raw("INSERT INTO t (id) VALUES (1)").run()
            await #expect(throws: SQLiteWriteError.self) {
                try await db.raw("INSERT INTO t (id) VALUES (1)").run()
            }
            do {
                try await db.raw("INSERT INTO t (id) VALUES (1)").run()
            } catch let error as SQLiteWriteError {
                #expect(error.message.contains("UNIQUE"))
            }
            await #expect(throws: SQLiteWriteError.self) {
                try await db.raw("INSERT INTO t (id) VALUES (2); DELETE FROM t").run()
            }
            let ids = try await db.raw("SELECT id FROM t ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
            #expect(ids == [1])
        }
    }

    @Test("more shapes than the cache holds: the oldest are finalized and every statement still runs")
    func cacheEviction() async throws {
        try await withDatabase { connection, db in
            try await db.raw("CREATE TABLE t (id INTEGER PRIMARY KEY)").run()
            let shapes = SQLiteWriteConnection.cacheCapacity + 20
            for width in 1...shapes {
                let text = "SELECT \(width) AS w"
                let rows = try await db.raw(SQLQueryString(text)).all()
                #expect(try rows.first?.decode(column: "w", as: Int.self) == width)
            }
            // The first shape was evicted: it is prepared again, and runs.
            let misses = connection.cacheStatistics.misses
            _ = try await db.raw("SELECT 1 AS w").all()
            #expect(connection.cacheStatistics.misses == misses + 1)
        }
    }
}
