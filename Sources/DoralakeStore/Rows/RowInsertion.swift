import SQLKit

extension SQLDatabase {
    /// True for the SQLite writer connection (``SQLiteWriteDatabase``): statements run in-process
    /// without a thread hop and stay prepared, so one fixed statement run per row or per key costs
    /// less than a multi-row statement whose text (and so its preparation) changes with the count.
    var runsPreparedStatementsInline: Bool { self is SQLiteWriteDatabase }

    /// Runs `head` (`INSERT INTO t (…) VALUES`), one values tuple per row, then `tail` (`ON
    /// CONFLICT …`, `RETURNING …`): a single-row statement per row on the SQLite writer connection,
    /// multi-row statements of at most `rowsPerStatement` rows elsewhere.
    /// - Returns: the rows the statements returned, in execution order.
    @discardableResult
    func insertRows<Row>(
        _ rows: [Row], rowsPerStatement: Int, head: SQLQueryString, tail: SQLQueryString = "",
        values: (Row) -> SQLQueryString
    ) async throws -> [any SQLRow] {
        var returned: [any SQLRow] = []
        if runsPreparedStatementsInline {
            for row in rows {
                returned += try await raw(head + " " + values(row) + " " + tail).all()
            }
            return returned
        }
        for chunk in rows.chunked(rowsPerStatement) {
            var query = head + " "
            for (index, row) in chunk.enumerated() {
                if index > 0 { query += ", " }
                query += values(row)
            }
            returned += try await raw(query + " " + tail).all()
        }
        return returned
    }
}

extension SQLQueryString {
    /// `values` bound as the list of an `IN (…)`, padded to a power-of-two length by repeating the
    /// last value (a duplicate in an `IN` list changes nothing). A list's statement then has one of
    /// a few texts, which the SQLite writer connection keeps prepared, instead of one per length.
    mutating func appendInterpolation(inList values: [any Encodable & Sendable]) {
        guard let last = values.last else {
            appendInterpolation(binds: values)
            return
        }
        var size = 1
        while size < values.count { size *= 2 }
        appendInterpolation(binds: values + Array(repeating: last, count: size - values.count))
    }
}
