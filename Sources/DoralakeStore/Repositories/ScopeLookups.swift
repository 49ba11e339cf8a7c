import DoralakeCore
import SQLKit

/// The production-index and incident lookups of one scope (a project, or the all scope),
/// answered for many keys at once: each is one ``KeyedLookup`` of small indexed queries, one per
/// key and partition, so the derived-data update of a transaction costs a few statements
/// whatever the number of deployments it wrote.
struct ScopeLookups {
    let db: any SQLDatabase
    /// The project's connections: a lookup runs once per key and connection (each answered from a
    /// per-connection index). Nil for the all scope: once per key, over every connection.
    let connectionIds: [Int64]?
    /// ` AND connection_id IN (…)` for a project's connections; empty for the all scope.
    let inScope: SQLQueryString

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
        for (index, row) in try await lookup(
            keyCount: keys.count, columns: { $0.add("instant", $1.map { keys[$0] }) },
            { key, partition in
                """
                SELECT \(unsafeRaw: after ? "MIN" : "MAX")(finish_date) AS finish FROM production_deployments
                WHERE \(partition) AND finish_date \(unsafeRaw: after ? ">" : "<") \(key["instant"])
                """
            })
        {
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
        for (index, row) in try await lookup(
            keyCount: keys.count, columns: { $0.add("finish", $1.map { keys[$0] }) },
            { key, partition in
                """
                SELECT production_deployments.* FROM production_deployments
                WHERE \(partition) AND finish_date = \(key["finish"])
                ORDER BY start_date, connection_id, deployment_id LIMIT 2
                """
            })
        {
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
        for (index, row) in try await lookup(
            keyCount: keys.count, columns: { $0.add("instant", $1.map { keys[$0] }) },
            { key, partition in
                """
                SELECT production_deployments.* FROM production_deployments
                WHERE \(partition) AND finish_date < \(key["instant"])
                ORDER BY finish_date DESC, start_date DESC, connection_id DESC, deployment_id DESC LIMIT 1
                """
            })
        {
            found[keys[index], default: []].append(try ProductionIndexRepository.view(row))
        }
        return found
    }

    /// The incidents created in each range: after `after`, and up to and including `upTo` when given.
    func incidentsCreated(in ranges: Set<FinishRange>) async throws -> Set<IssueIdentity> {
        let keys = ranges.sorted()
        var found = Set<IssueIdentity>()
        for (_, row) in try await lookup(
            keyCount: keys.count,
            columns: { columns, positions in
                columns.add("after", positions.map { keys[$0].after })
                columns.add("up_to", positions.map { keys[$0].upTo ?? .max })
            },
            { key, partition in
                """
                SELECT connection_id, issue_key FROM issues WHERE \(partition) AND type = 'INCIDENT'
                AND created_date > \(key["after"]) AND created_date <= \(key["up_to"])
                """
            })
        {
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
        for (index, row) in try await lookup(
            keyCount: keys.count,
            columns: { columns, positions in
                columns.add("after", positions.map { keys[$0].after })
                columns.add("up_to", positions.map { keys[$0].upTo ?? .max })
            },
            { key, partition in
                """
                SELECT issues.* FROM issues WHERE \(partition) AND type = 'INCIDENT'
                AND created_date < \(key["up_to"]) AND (resolution_date IS NULL OR resolution_date >= \(key["up_to"]))
                AND created_date >= \(key["after"]) ORDER BY created_date, connection_id, issue_key LIMIT 1
                """
            })
        {
            found[keys[index], default: []].append(try StoredIssue(row: row).issue)
        }
        return found
    }

    /// The latest start of a production row of each window's repository strictly before the
    /// window's `upTo` (its `after` is ignored).
    func previousRowStarts(_ windows: Set<RepositoryWindow>) async throws -> [RepositoryWindow: EpochMilliseconds] {
        let keys = windows.sorted()
        var found: [RepositoryWindow: EpochMilliseconds] = [:]
        for (index, row) in try await lookup(
            keyCount: keys.count, columns: Self.repositoryColumns(keys),
            { key, partition in
                """
                SELECT MAX(started_date) AS started FROM production_rows WHERE \(partition)
                AND repo_key = \(key["repo_key"]) AND started_date < \(key["up_to"])
                """
            })
        {
            guard let started = try row.decode(column: "started", as: Int64?.self) else { continue }
            found[keys[index]] = max(found[keys[index]] ?? started, started)
        }
        return found
    }

    /// The scope's pull requests merged in each window: in its repository, after `after` (when
    /// given) and by `upTo`.
    func pullRequestsMerged(in windows: Set<RepositoryWindow>) async throws -> Set<PullRequestIdentity> {
        let keys = windows.sorted()
        var found = Set<PullRequestIdentity>()
        for (_, row) in try await lookup(
            keyCount: keys.count, partitionColumn: nil, columns: Self.repositoryColumns(keys),
            { key, _ in
                """
                SELECT connection_id, pull_request_key FROM pull_requests
                WHERE repo_key = \(key["repo_key"]) AND merged_date <= \(key["up_to"]) AND merged_date > \(key["after"])
                """ + inScope
            })
        {
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
        for (index, row) in try await lookup(
            keyCount: keys.count, columns: { $0.add("sha", $1.map { keys[$0] }) },
            { key, partition in
                """
                SELECT production_rows.* FROM production_rows WHERE \(partition)
                AND commit_sha_key = \(key["sha"]) ORDER BY started_date, row_id LIMIT 1
                """
            })
        {
            found[keys[index], default: []].append(try ProductionIndexRepository.candidate(row))
        }
        return found
    }

    /// Per sha, the first production row (start, then row id) that lists it among its included
    /// shas, per partition.
    func rowsIncludingSha(_ shas: Set<String>) async throws -> [String: [AttributionCandidate]] {
        let keys = shas.sorted()
        var found: [String: [AttributionCandidate]] = [:]
        for (index, row) in try await lookup(
            keyCount: keys.count, partitionColumn: "s.connection_id", columns: { $0.add("sha", $1.map { keys[$0] }) },
            { key, partition in
                """
                SELECT r.* FROM production_row_shas s JOIN production_rows r
                    ON r.connection_id = s.connection_id AND r.row_id = s.row_id
                WHERE \(partition) AND s.sha_key = \(key["sha"]) ORDER BY r.started_date, r.row_id LIMIT 1
                """
            })
        {
            found[keys[index], default: []].append(try ProductionIndexRepository.candidate(row, includedSha: keys[index]))
        }
        return found
    }

    /// Per window, the first production row (start, then row id) of its repository started at or
    /// after the window's `upTo` (its `after` is ignored), per partition.
    func firstRowsStarted(_ windows: Set<RepositoryWindow>) async throws -> [RepositoryWindow: [AttributionCandidate]] {
        let keys = windows.sorted()
        var found: [RepositoryWindow: [AttributionCandidate]] = [:]
        for (index, row) in try await lookup(
            keyCount: keys.count, columns: Self.repositoryColumns(keys),
            { key, partition in
                """
                SELECT production_rows.* FROM production_rows WHERE \(partition)
                AND repo_key = \(key["repo_key"]) AND started_date >= \(key["up_to"]) ORDER BY started_date, row_id LIMIT 1
                """
            })
        {
            found[keys[index], default: []].append(try ProductionIndexRepository.candidate(row))
        }
        return found
    }

    /// The key columns of repository windows: `repo_key`, `up_to`, and `after` (the earliest
    /// instant when unbounded).
    private static func repositoryColumns(_ windows: [RepositoryWindow]) -> (inout KeyedLookup.Keys, [Int]) -> Void {
        { columns, positions in
            columns.add("repo_key", positions.map { windows[$0].repoKey })
            columns.add("up_to", positions.map { windows[$0].upTo })
            columns.add("after", positions.map { windows[$0].after ?? .min })
        }
    }

    /// Runs `subquery` for every key and partition; returns each row with its key's index.
    /// - Parameters:
    ///   - columns: adds the key columns, one value per key, for `keyCount` keys.
    ///   - partitionColumn: the connection column a partition restricts (nil: the subquery is
    ///     run once per key and restricts the scope itself, with ``inScope``).
    ///   - subquery: the query of one key; its second argument is the partition's predicate.
    private func lookup(
        keyCount: Int, partitionColumn: String? = "connection_id", columns: (inout KeyedLookup.Keys, [Int]) -> Void,
        _ subquery: (KeyedLookup.KeyReference, SQLQueryString) -> SQLQueryString
    ) async throws -> [(Int, any SQLRow)] {
        // Each (key, partition) pair is one lookup; `positions` maps it back to its key.
        var positions: [Int] = []
        var partitionValues: [Int64] = []
        let partitioned = partitionColumn != nil && connectionIds != nil
        for position in 0..<keyCount {
            if partitioned {
                for connectionId in connectionIds! {
                    positions.append(position)
                    partitionValues.append(connectionId)
                }
            } else {
                positions.append(position)
            }
        }
        var keys = KeyedLookup.Keys()
        columns(&keys, positions)
        if partitioned { keys.add("partition_connection", partitionValues) }
        let rows = try await KeyedLookup(db: db).rows(for: keys) { key in
            let partition: SQLQueryString =
                partitioned ? "\(unsafeRaw: partitionColumn!) = \(key["partition_connection"])" : "1 = 1"
            return subquery(key, partition)
        }
        return rows.map { (positions[$0.0], $0.1) }
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
