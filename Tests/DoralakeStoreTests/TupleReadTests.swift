import SQLKit
import Testing

@testable import DoralakeStore

/// Typed tuple reads (`SQLDatabase.tuples`), used by the metrics read: the driver's direct path
/// and the `SQLRow` fallback give the same values, on both databases.
@Suite("Typed tuple reads (SQLite, and PostgreSQL when configured)")
struct TupleReadTests {
    typealias Row = (Int64, String, Int64?, Double?, String?)

    static func withDriver(_ body: @escaping @Sendable (any DatabaseDriver) async throws -> Void) async throws {
        try await StoreTests.withStore { store in try await body(store.driver) }
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
                let fallback = try await SQLKitOnlyDatabase(base: db).tuples(query, as: Row.self)
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

/// The authentication read every webhook makes: on PostgreSQL a prepared statement, elsewhere
/// SQLKit; both give the same connection and key in every case the authenticator tells apart.
@Suite("Connection and key read (SQLite, and PostgreSQL when configured)")
struct ConnectionKeyReadTests {
    @Test("the prepared read equals the SQLKit read: found, unknown connection, unknown key, project key, expiry")
    func preparedEqualsSQLKit() async throws {
        try await StoreTests.withStore { store in
            let shop = try await store.createConnection(name: "shop", keyHash: "hash-shop", expiredAt: 1_900_000_000_000)
            _ = try await store.createConnection(name: "ops", keyHash: "hash-ops", expiredAt: nil)
            _ = try await store.createProject(name: "web", connectionIds: [shop.id])
            let projectKey = try await store.rotateProjectKey(name: "web", keyHash: "hash-web", expiredAt: nil)
            let cases: [(Int64?, String?, String)] = [
                (shop.id, nil, "hash-shop"), (nil, "shop", "hash-shop"), (shop.id, nil, "hash-ops"),
                (nil, "ops", "hash-shop"), (999_999, nil, "hash-shop"), (nil, "nobody", "hash-ops"),
                (shop.id, nil, "no-such-hash"), (nil, "shop", "hash-web"), (999_999, nil, "no-such-hash"),
            ]
            try await store.driver.withReadConnection { db in
                // Prepared statements on PostgreSQL only (SQLite has a file path).
                #expect((try await db.prepared(ConnectionKeyStatement(connectionId: 1, connectionName: nil, keyHash: "x")) != nil) == (store.sqlitePath == nil))
                for (id, name, hash) in cases {
                    let direct = try await ConnectionRepository(db: db).connectionAndKey(id: id, name: name, keyHash: hash)
                    let portable = try await ConnectionRepository(db: SQLKitOnlyDatabase(base: db))
                        .connectionAndKey(id: id, name: name, keyHash: hash)
                    #expect(direct.0 == portable.0, "\(id as Any) \(name as Any) \(hash)")
                    #expect(direct.1 == portable.1, "\(id as Any) \(name as Any) \(hash)")
                }
                // Hand-checked values, so that both paths cannot be wrong together.
                let found = try await ConnectionRepository(db: db).connectionAndKey(id: shop.id, name: nil, keyHash: "hash-shop")
                #expect(found.0?.name == "shop")
                #expect(found.1?.connectionId == shop.id)
                #expect(found.1?.expiredAt == 1_900_000_000_000)
                #expect(found.1?.projectName == nil)
                let project = try await ConnectionRepository(db: db).connectionAndKey(id: nil, name: "shop", keyHash: "hash-web")
                #expect(project.0?.id == shop.id)
                #expect(project.1 == projectKey)
                #expect(project.1?.projectName == "web")
                let missing = try await ConnectionRepository(db: db).connectionAndKey(id: 999_999, name: nil, keyHash: "no-such-hash")
                #expect(missing.0 == nil && missing.1 == nil)
            }
        }
    }
}
