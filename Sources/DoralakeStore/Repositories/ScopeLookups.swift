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
    /// ` AND connection_id IN (…)` for a project's connections; empty for the all scope.
    let inScope: SQLQueryString
    /// ``partitions`` on `production_row_shas` aliased `s`.
    let shaPartitions: [SQLQueryString]

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

    /// Per instant, the latest production deployment (finish, start, identity, descending)
    /// finished strictly before it, per partition: the time-rule candidates of an incident created
    /// at that instant.
    func latestFinished(before instants: Set<EpochMilliseconds>) async throws -> [EpochMilliseconds: [ProductionDeployment]] {
        let keys = instants.sorted()
        var found: [EpochMilliseconds: [ProductionDeployment]] = [:]
        for (index, row) in try await unionAll(keys, { index, instant, partition in
            """
            SELECT \(literal: index) AS lookup, production_deployments.* FROM production_deployments
            WHERE \(partition) AND finish_date < \(bind: instant)
            ORDER BY finish_date DESC, start_date DESC, connection_id DESC, deployment_id DESC LIMIT 1
            """
        }) {
            found[keys[index], default: []].append(try ProductionIndexRepository.view(row))
        }
        return found
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

    /// The latest start of a production row of each window's repository strictly before the
    /// window's `upTo` (its `after` is ignored).
    func previousRowStarts(_ windows: Set<RepositoryWindow>) async throws -> [RepositoryWindow: EpochMilliseconds] {
        let keys = windows.sorted()
        var found: [RepositoryWindow: EpochMilliseconds] = [:]
        for (index, row) in try await unionAll(keys, { index, window, partition in
            """
            SELECT \(literal: index) AS lookup, MAX(started_date) AS started FROM production_rows WHERE \(partition)
            AND repo_key = \(bind: window.repoKey) AND started_date < \(bind: window.upTo)
            """
        }) {
            guard let started = try row.decode(column: "started", as: Int64?.self) else { continue }
            found[keys[index]] = max(found[keys[index]] ?? started, started)
        }
        return found
    }

    /// The scope's pull requests merged in each window: in its repository, after `after` (when
    /// given) and by `upTo`.
    func pullRequestsMerged(in windows: Set<RepositoryWindow>) async throws -> Set<PullRequestIdentity> {
        var found = Set<PullRequestIdentity>()
        for (_, row) in try await unionAll(windows.sorted(), partitions: ["1 = 1"], { index, window, _ in
            let after: SQLQueryString = window.after.map { " AND merged_date > \(bind: $0)" } ?? ""
            return """
                SELECT \(literal: index) AS lookup, connection_id, pull_request_key FROM pull_requests
                WHERE repo_key = \(bind: window.repoKey) AND merged_date <= \(bind: window.upTo)
                """ + after + inScope
        }) {
            found.insert(
                PullRequestIdentity(
                    connectionId: try row.decode(column: "connection_id", as: Int64.self),
                    pullRequestKey: try row.decode(column: "pull_request_key", as: Int64.self)))
        }
        return found
    }

    /// Per sha, the first production row (start, then row id) whose own sha it is, per partition.
    func rowsWithSha(_ shas: Set<String>) async throws -> [String: [AttributionCandidate]] {
        let keys = shas.sorted()
        var found: [String: [AttributionCandidate]] = [:]
        for (index, row) in try await unionAll(keys, { index, sha, partition in
            """
            SELECT \(literal: index) AS lookup, production_rows.* FROM production_rows WHERE \(partition)
            AND commit_sha_key = \(bind: sha) ORDER BY started_date, row_id LIMIT 1
            """
        }) {
            found[keys[index], default: []].append(try ProductionIndexRepository.candidate(row))
        }
        return found
    }

    /// Per sha, the first production row (start, then row id) that lists it among its included
    /// shas, per partition.
    func rowsIncludingSha(_ shas: Set<String>) async throws -> [String: [AttributionCandidate]] {
        let keys = shas.sorted()
        var found: [String: [AttributionCandidate]] = [:]
        for (index, row) in try await unionAll(keys, partitions: shaPartitions, { index, sha, partition in
            """
            SELECT \(literal: index) AS lookup, r.* FROM production_row_shas s JOIN production_rows r
                ON r.connection_id = s.connection_id AND r.row_id = s.row_id
            WHERE \(partition) AND s.sha_key = \(bind: sha) ORDER BY r.started_date, r.row_id LIMIT 1
            """
        }) {
            found[keys[index], default: []].append(try ProductionIndexRepository.candidate(row, includedSha: keys[index]))
        }
        return found
    }

    /// Per window, the first production row (start, then row id) of its repository started at or
    /// after the window's `upTo` (its `after` is ignored), per partition.
    func firstRowsStarted(_ windows: Set<RepositoryWindow>) async throws -> [RepositoryWindow: [AttributionCandidate]] {
        let keys = windows.sorted()
        var found: [RepositoryWindow: [AttributionCandidate]] = [:]
        for (index, row) in try await unionAll(keys, { index, window, partition in
            """
            SELECT \(literal: index) AS lookup, production_rows.* FROM production_rows WHERE \(partition)
            AND repo_key = \(bind: window.repoKey) AND started_date >= \(bind: window.upTo) ORDER BY started_date, row_id LIMIT 1
            """
        }) {
            found[keys[index], default: []].append(try ProductionIndexRepository.candidate(row))
        }
        return found
    }

    /// Runs the subqueries of every key and partition as `UNION ALL` statements; each subquery
    /// selects the key's index as `lookup` first. Returns each row with its key's index.
    /// - Parameter partitions: overrides the scope's partitions (e.g. one that holds everywhere,
    ///   for subqueries that filter by ``inScope`` themselves).
    private func unionAll<Key>(
        _ keys: [Key], partitions: [SQLQueryString]? = nil, _ subquery: (Int, Key, SQLQueryString) -> SQLQueryString
    ) async throws -> [(Int, any SQLRow)] {
        var parts: [SQLQueryString] = []
        for (index, key) in keys.enumerated() {
            for partition in partitions ?? self.partitions { parts.append(subquery(index, key, partition)) }
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

/// A repository's production rows or merges in a span of time: after `after` (nil: unbounded)
/// and up to `upTo`.
struct RepositoryWindow: Hashable, Comparable, Sendable {
    var repoKey: String
    var after: EpochMilliseconds?
    var upTo: EpochMilliseconds

    static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.repoKey != rhs.repoKey { return lhs.repoKey < rhs.repoKey }
        if lhs.upTo != rhs.upTo { return lhs.upTo < rhs.upTo }
        return (lhs.after ?? .min) < (rhs.after ?? .min)
    }
}
