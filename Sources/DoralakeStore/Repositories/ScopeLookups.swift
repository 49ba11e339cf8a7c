import DoralakeCore
import SQLKit

/// The production-index and incident lookups of one scope (a project, or the all scope),
/// answered for many keys at once: each statement is a `UNION ALL` of small indexed queries, one
/// per key and partition, so the derived-data update of a transaction costs a few statements
/// whatever the number of deployments it wrote.
struct ScopeLookups {
    let db: any SQLDatabase
    /// The predicates a lookup runs under: one per connection of the project (each answered from
    /// a per-connection index), or one that holds everywhere for the all scope.
    let partitions: [SQLQueryString]

    /// Most subqueries in one statement.
    static let subqueriesPerStatement = 100

    /// The earliest production finish strictly after each instant (absent: none).
    func nextFinishes(after instants: Set<EpochMilliseconds>) async throws -> [EpochMilliseconds: EpochMilliseconds] {
        try await boundaryFinishes(of: instants, after: true)
    }

    /// The latest production finish strictly before each instant (absent: none).
    func previousFinishes(before instants: Set<EpochMilliseconds>) async throws -> [EpochMilliseconds: EpochMilliseconds] {
        try await boundaryFinishes(of: instants, after: false)
    }

    private func boundaryFinishes(of instants: Set<EpochMilliseconds>, after: Bool) async throws
        -> [EpochMilliseconds: EpochMilliseconds]
    {
        let keys = instants.sorted()
        var found: [EpochMilliseconds: EpochMilliseconds] = [:]
        for (index, row) in try await unionAll(keys, { index, instant, partition in
            """
            SELECT \(literal: index) AS lookup, \(unsafeRaw: after ? "MIN" : "MAX")(finish_date) AS finish
            FROM production_deployments WHERE \(partition) AND finish_date \(unsafeRaw: after ? ">" : "<") \(bind: instant)
            """
        }) {
            guard let finish = try row.decode(column: "finish", as: Int64?.self) else { continue }
            let instant = keys[index]
            if let current = found[instant] {
                found[instant] = after ? min(current, finish) : max(current, finish)
            } else {
                found[instant] = finish
            }
        }
        return found
    }

    /// The first production deployments (start, then identity order) finishing at each instant:
    /// per partition the first two, merged in that order. The first entry is the finish group's
    /// first; the first entry other than a given deployment is the group's first without it.
    func firstFinishing(at finishes: Set<EpochMilliseconds>) async throws -> [EpochMilliseconds: [ProductionDeployment]] {
        let keys = finishes.sorted()
        var found: [EpochMilliseconds: [ProductionDeployment]] = [:]
        for (index, row) in try await unionAll(keys, { index, finish, partition in
            """
            SELECT \(literal: index) AS lookup, production_deployments.* FROM production_deployments
            WHERE \(partition) AND finish_date = \(bind: finish)
            ORDER BY start_date, connection_id, deployment_id LIMIT 2
            """
        }) {
            found[keys[index], default: []].append(try ProductionIndexRepository.view(row))
        }
        return found.mapValues { $0.sorted(by: ProductionDeployment.precedesByFinish) }
    }

    /// The incidents created in each range: after `after`, and up to and including `upTo` when given.
    func incidentsCreated(in ranges: Set<FinishRange>) async throws -> Set<IssueIdentity> {
        var found = Set<IssueIdentity>()
        for (_, row) in try await unionAll(ranges.sorted(), { index, range, partition in
            let upTo: SQLQueryString = range.upTo.map { " AND created_date <= \(bind: $0)" } ?? ""
            return """
                SELECT \(literal: index) AS lookup, connection_id, issue_key FROM issues
                WHERE \(partition) AND type = 'INCIDENT' AND created_date > \(bind: range.after)
                """ + upTo
        }) {
            found.insert(
                IssueIdentity(
                    connectionId: try row.decode(column: "connection_id", as: Int64.self),
                    issueKey: try row.decode(column: "issue_key", as: String.self)))
        }
        return found
    }

    /// For each slot (incidents created at or after `after`, when given, and before `upTo`, not
    /// resolved before `upTo`), the earliest qualifying incident per partition.
    func earliestIncidents(in slots: Set<FinishRange>) async throws -> [FinishRange: [Issue]] {
        let keys = slots.sorted()
        var found: [FinishRange: [Issue]] = [:]
        for (index, row) in try await unionAll(keys, { index, slot, partition in
            let finish = slot.upTo ?? Int64.max
            let from: SQLQueryString = " AND created_date >= \(bind: slot.after)"
            return """
                SELECT \(literal: index) AS lookup, issues.* FROM issues WHERE \(partition) AND type = 'INCIDENT'
                AND created_date < \(bind: finish) AND (resolution_date IS NULL OR resolution_date >= \(bind: finish))
                """ + from + " ORDER BY created_date, connection_id, issue_key LIMIT 1"
        }) {
            found[keys[index], default: []].append(try StoredIssue(row: row).issue)
        }
        return found
    }

    /// Runs the subqueries of every key and partition as `UNION ALL` statements; each subquery
    /// selects the key's index as `lookup` first. Returns each row with its key's index.
    private func unionAll<Key>(
        _ keys: [Key], _ subquery: (Int, Key, SQLQueryString) -> SQLQueryString
    ) async throws -> [(Int, any SQLRow)] {
        var parts: [SQLQueryString] = []
        for (index, key) in keys.enumerated() {
            for partition in partitions { parts.append(subquery(index, key, partition)) }
        }
        var rows: [(Int, any SQLRow)] = []
        for chunk in parts.chunked(Self.subqueriesPerStatement) {
            var query: SQLQueryString = ""
            for (offset, part) in chunk.enumerated() {
                if offset > 0 { query += " UNION ALL " }
                query += "SELECT * FROM (" + part + ") AS \(unsafeRaw: "q\(offset)")"
            }
            for row in try await db.raw(query).all() {
                rows.append((try row.decode(column: "lookup", as: Int.self), row))
            }
        }
        return rows
    }
}

/// A span of time between production finishes: after `after` (exclusive or inclusive, as the
/// lookup says) and up to `upTo` (nil: unbounded).
struct FinishRange: Hashable, Comparable, Sendable {
    var after: EpochMilliseconds
    var upTo: EpochMilliseconds?

    static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.after != rhs.after { return lhs.after < rhs.after }
        return (lhs.upTo ?? .max) < (rhs.upTo ?? .max)
    }
}
