import SQLKit

/// One small indexed query (an `ORDER BY … LIMIT`, or an aggregate over an index range) asked for
/// many keys at once, in few statements whatever the number of keys.
///
/// The subquery is written once against ``KeyReference``, which stands for the current key's
/// values:
/// - On PostgreSQL the keys travel as one array per column, and the subquery runs once per key
///   through `CROSS JOIN LATERAL` over `unnest(…)`: one statement of fixed text. Its plan costs
///   well under a millisecond; a `UNION ALL` of 100 subqueries with their own parameters took
///   5–15 ms to plan there, more than all the lookups it answered (statement log of the ingest
///   benchmark).
/// - On the SQLite writer connection (``SQLiteWriteDatabase``: synchronous, statements kept
///   prepared) the subquery runs once per key: one statement text, prepared once, run with each
///   key's values bound. A `UNION ALL` of 100 subqueries differs in text with its number of keys,
///   so it was prepared anew every time, and preparing it cost more than running it (two thirds of
///   a derivation round under the ingest benchmark).
/// - Other SQLite connections go through sqlite-nio's thread pool, a hop per statement: each key's
///   subquery, with the key's values bound, is joined to the others with `UNION ALL`, 100 per
///   statement.
struct KeyedLookup {
    /// The key columns: one value per key in each.
    struct Keys {
        fileprivate enum Values {
            case bigint([Int64])
            case text([String])

            var count: Int {
                switch self {
                case .bigint(let values): values.count
                case .text(let values): values.count
                }
            }
        }

        fileprivate var columns: [(name: String, values: Values)] = []

        /// The number of keys (0 before a column is added).
        var count: Int { columns.first?.values.count ?? 0 }

        init() {}

        /// Adds a 64-bit integer column; every column must have one value per key.
        mutating func add(_ name: String, _ values: [Int64]) {
            precondition(columns.isEmpty || values.count == count, "key column \(name) has \(values.count) values for \(count) keys")
            columns.append((name, .bigint(values)))
        }

        /// Adds a text column; every column must have one value per key.
        mutating func add(_ name: String, _ values: [String]) {
            precondition(columns.isEmpty || values.count == count, "key column \(name) has \(values.count) values for \(count) keys")
            columns.append((name, .text(values)))
        }
    }

    /// The current key's value of a column, inside the subquery: a bound value (SQLite) or a
    /// reference to the key row (PostgreSQL; its columns are named `key_` and the column's name,
    /// so that no name of the key row shadows a table's column or is a reserved word).
    struct KeyReference {
        fileprivate let keys: Keys
        /// The key whose values are bound; nil for references to the `unnest` row.
        fileprivate let index: Int?

        subscript(_ name: String) -> SQLQueryString {
            guard let column = keys.columns.first(where: { $0.name == name }) else {
                preconditionFailure("no key column \(name)")
            }
            guard let index else { return "k.key_\(unsafeRaw: name)" }
            switch column.values {
            case .bigint(let values): return "\(bind: values[index])"
            case .text(let values): return "\(bind: values[index])"
            }
        }
    }

    /// Subqueries per statement on SQLite.
    static let subqueriesPerStatement = 100
    /// Keys per statement on PostgreSQL (arrays are one parameter each; this bounds a statement's work).
    static let keysPerStatement = 2_000

    let db: any SQLDatabase

    /// Runs `subquery` for every key; returns each answer row with the index of its key.
    func rows(for keys: Keys, _ subquery: (KeyReference) -> SQLQueryString) async throws -> [(Int, any SQLRow)] {
        guard keys.count > 0 else { return [] }
        var rows: [(Int, any SQLRow)] = []
        if db.dialect.name == "postgresql" {
            for start in stride(from: 0, to: keys.count, by: Self.keysPerStatement) {
                let range = start..<min(start + Self.keysPerStatement, keys.count)
                var arrays: SQLQueryString = "\(bind: range.map(Int64.init))::bigint[]"
                var names = "lookup"
                for column in keys.columns {
                    switch column.values {
                    case .bigint(let values): arrays += ", \(bind: Array(values[range]))::bigint[]"
                    case .text(let values): arrays += ", \(bind: Array(values[range]))::text[]"
                    }
                    names += ", key_\(column.name)"
                }
                let query: SQLQueryString =
                    "SELECT k.lookup, q.* FROM unnest(" + arrays + ") AS k(\(unsafeRaw: names)) CROSS JOIN LATERAL ("
                    + subquery(KeyReference(keys: keys, index: nil)) + ") AS q"
                for row in try await db.raw(query).all() {
                    rows.append((try row.decode(column: "lookup", as: Int.self), row))
                }
            }
        } else if db is SQLiteWriteDatabase {
            for index in 0..<keys.count {
                for row in try await db.raw(subquery(KeyReference(keys: keys, index: index))).all() {
                    rows.append((index, row))
                }
            }
        } else {
            for start in stride(from: 0, to: keys.count, by: Self.subqueriesPerStatement) {
                var query: SQLQueryString = ""
                for index in start..<min(start + Self.subqueriesPerStatement, keys.count) {
                    if index > start { query += " UNION ALL " }
                    query +=
                        "SELECT \(literal: index) AS lookup, q\(unsafeRaw: String(index)).* FROM ("
                        + subquery(KeyReference(keys: keys, index: index)) + ") AS q\(unsafeRaw: String(index))"
                }
                for row in try await db.raw(query).all() {
                    rows.append((try row.decode(column: "lookup", as: Int.self), row))
                }
            }
        }
        return rows
    }
}
