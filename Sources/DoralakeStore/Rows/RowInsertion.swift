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
