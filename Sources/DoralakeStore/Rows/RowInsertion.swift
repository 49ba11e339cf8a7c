import SQLKit

extension SQLDatabase {
    /// True for the SQLite writer connection (``SQLiteWriteDatabase``): statements run in-process
    /// without a thread hop and stay prepared, so one fixed statement run per row or per key costs
    /// less than a multi-row statement whose text (and so its preparation) changes with the count.
    var runsPreparedStatementsInline: Bool { self is SQLiteWriteDatabase }

    /// Runs `head` (`INSERT INTO t (…) VALUES`), one tuple of bound values per row, then `tail`
    /// (`ON CONFLICT …`, `RETURNING …`). `values` gives a row's values in column order.
    ///
    /// On the SQLite writer connection each row is one run of a single-row statement whose text is
    /// made once per call and stays prepared, and the values are bound as they are, without
    /// building and serialising an SQLKit expression per row; elsewhere, multi-row statements of at
    /// most `rowsPerStatement` rows.
    /// - Returns: the rows the statements returned, in execution order.
    @discardableResult
    func insertRows<Row>(
        _ rows: [Row], rowsPerStatement: Int, head: String, tail: String = "",
        values: (Row) -> [any Encodable & Sendable]
    ) async throws -> [any SQLRow] {
        guard !rows.isEmpty else { return [] }
        if let writer = self as? SQLiteWriteDatabase {
            // The statement text is made from the first row's values, once.
            var sql: (text: String, columns: Int)? = nil
            var returned: [any SQLRow] = []
            for row in rows {
                let binds = values(row)
                if sql == nil {
                    let placeholders = (1...max(1, binds.count)).map { "?\($0)" }.joined(separator: ", ")
                    sql = ("\(head) (\(placeholders)) \(tail)", binds.count)
                }
                guard let sql, binds.count == sql.columns else {
                    throw RowShapeError(expected: sql?.columns ?? 0, found: binds.count)
                }
                try writer.run(sql: sql.text, binds: binds) { returned.append($0) }
            }
            return returned
        }
        var returned: [any SQLRow] = []
        for chunk in rows.chunked(rowsPerStatement) {
            var query = SQLQueryString("\(unsafeRaw: head) ")
            for (index, row) in chunk.enumerated() {
                if index > 0 { query += ", " }
                query += "(\(binds: values(row)))"
            }
            returned += try await raw(query + " \(unsafeRaw: tail)").all()
        }
        return returned
    }

    /// Runs one statement written for the SQLite writer connection (`?1`, `?2`… placeholders),
    /// binding `binds` as they are. Only for ``runsPreparedStatementsInline`` databases.
    func runInline(sql: String, binds: [any Encodable & Sendable]) throws -> [any SQLRow] {
        guard let writer = self as? SQLiteWriteDatabase else {
            throw StoreError.configuration("runInline is for the SQLite writer connection")
        }
        var returned: [any SQLRow] = []
        try writer.run(sql: sql, binds: binds) { returned.append($0) }
        return returned
    }
}

/// A row gave a different number of values than the first row of its statement.
struct RowShapeError: Error, CustomStringConvertible {
    let expected: Int
    let found: Int
    var description: String { "a row has \(found) values, the statement \(expected)" }
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
