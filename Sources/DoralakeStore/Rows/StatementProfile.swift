import Synchronization

/// Counts and times the statements a connection runs, by statement text, for benchmarks
/// (`DORALAKE_STATEMENT_PROFILE=1`): which statements a write costs and how long each kind takes.
final class StatementProfile: Sendable {
    private struct Entry {
        var count = 0
        var nanoseconds: Int64 = 0
        var rows = 0
        var reprepares = 0
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Adds one run of `sql` that took `duration` and returned `rows` rows.
    /// `reprepares` counts the times SQLite compiled the statement again (a binding that its plan
    /// depends on, or a schema change).
    func record(_ sql: String, duration: Duration, rows: Int, reprepares: Int = 0) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        entries.withLock { entries in
            entries[sql, default: Entry()].count += 1
            entries[sql, default: Entry()].nanoseconds += nanoseconds
            entries[sql, default: Entry()].rows += rows
            entries[sql, default: Entry()].reprepares += reprepares
        }
    }

    /// One line per statement shape (multi-row statements of different lengths are one shape),
    /// the costliest first: total milliseconds, runs, microseconds per run, rows, and the text's start.
    func report(limit: Int = 40) -> [String] {
        let merged = entries.withLock { entries in
            entries.reduce(into: [String: Entry]()) { merged, item in
                let shape = Self.shape(of: item.key)
                merged[shape, default: Entry()].count += item.value.count
                merged[shape, default: Entry()].nanoseconds += item.value.nanoseconds
                merged[shape, default: Entry()].rows += item.value.rows
                merged[shape, default: Entry()].reprepares += item.value.reprepares
            }
        }
        let total = merged.values.reduce(Int64(0)) { $0 + $1.nanoseconds }
        var lines = ["statement profile: \(merged.values.reduce(0) { $0 + $1.count }) runs, \(total / 1_000_000) ms"]
        for (shape, entry) in merged.sorted(by: { $0.value.nanoseconds > $1.value.nanoseconds }).prefix(limit) {
            let perRun = entry.count == 0 ? 0 : entry.nanoseconds / Int64(entry.count) / 1_000
            lines.append(
                "\(entry.nanoseconds / 1_000_000) ms  \(entry.count) runs  \(perRun) µs/run  \(entry.rows) rows  \(entry.reprepares) reprepared  \(shape)")
        }
        return lines
    }

    /// The statement's first 140 characters, whitespace collapsed, before any `VALUES` list.
    private static func shape(of sql: String) -> String {
        let head = sql.split(separator: " VALUES", maxSplits: 1).first.map(String.init) ?? sql
        return String(head.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(140))
    }
}
