import DoralakeCore
import SQLKit

/// Brings `prevSuccessDeploymentCommitId` (METRICS.md §4.2) up to date for changed deployments,
/// after their rows were committed, without reading whole chains.
///
/// `chain_rows` holds the successful rows as the chain last saw them, with each one's predecessor
/// (`prev_row_id`; rows not in a chain have none), so the old positions of a re-posted or deleted
/// deployment's rows are still known when the deriver gets to it. Per round:
/// the changed deployments' old chain rows are replaced by their current successful rows; then each
/// current row of a changed deployment gets the nearest chain row before it, and the first chain row
/// after every old or new position (its predecessor may have changed) gets the nearest row before
/// it. All look-ups of a round run in one ``KeyedLookup`` per direction, all updates in one
/// statement per connection and chunk.
struct ChainDerivation {
    let db: any SQLDatabase

    /// Most rows in one statement.
    static let rowsPerStatement = 300

    /// Updates the chain for `changed` deployments; `current` holds those still stored, with all
    /// their rows (absent: deleted).
    func apply(changed: Set<DeploymentIdentity>, current: [DeploymentIdentity: Deployment]) async throws {
        guard !changed.isEmpty else { return }
        let vacated = try await chainRows(of: changed)
        try await removeChainRows(of: changed)
        let written = current.values.sorted { DeploymentIdentity($0) < DeploymentIdentity($1) }
            .flatMap(PreviousSuccessChain.rows(of:))
        let successful = written.filter { PreviousSuccessChain.key(of: $0) != nil }
        try await insertChainRows(successful, deploymentIds: Dictionary(
            current.values.flatMap { deployment in deployment.commits.map { (deployment.commitId($0), deployment.id) } },
            uniquingKeysWith: { first, _ in first }))

        var previous: [String: String] = [:]  // row id → new prev, for rows of changed deployments
        for row in written { previous[row.rowId] = "" }
        // Anchors: every new and old position; each one's successor may have a new predecessor.
        let writtenPositions = Set(successful)
        let oldPositions = vacated.filter { !writtenPositions.contains($0) }
        let anchors = successful + oldPositions
        let (before, after) = try await neighbourPairs(of: anchors)
        for (index, row) in successful.enumerated() { previous[row.rowId] = before[index]?.rowId ?? "" }
        var successors: [String: (connectionId: Int64, previous: String)] = [:]
        for (index, anchor) in anchors.enumerated() {
            guard let successor = after[index], previous[successor.rowId] == nil else { continue }
            // No chain row lies between the anchor and its successor: the successor's predecessor is
            // the anchor itself when it is a current row, else the row before the anchor's old place.
            let predecessor = index < successful.count ? anchor.rowId : (before[index]?.rowId ?? "")
            successors[successor.rowId] = (successor.connectionId, predecessor)
        }
        var updates: [(connectionId: Int64, id: String, previous: String)] = []
        for row in successful { updates.append((row.connectionId, row.rowId, previous[row.rowId] ?? "")) }
        for (id, successor) in successors { updates.append((successor.connectionId, id, successor.previous)) }
        try await update(updates)
    }

    /// Rebuilds the chain rows of one connection, with every `prev`, from its stored rows.
    func rebuild(connectionId: Int64, rows: [PreviousSuccessChain.Row], deploymentIds: [String: String]) async throws {
        try await db.raw("DELETE FROM chain_rows WHERE connection_id = \(bind: connectionId)").run()
        try await insertChainRows(
            rows.filter { PreviousSuccessChain.key(of: $0) != nil }, deploymentIds: deploymentIds,
            previous: PreviousSuccessChain.previousSuccessIds(rows))
    }

    /// The chain rows of `deployments` as last derived.
    private func chainRows(of deployments: Set<DeploymentIdentity>) async throws -> [PreviousSuccessChain.Row] {
        var rows: [PreviousSuccessChain.Row] = []
        for (connectionId, ids) in deployments.chunkedByConnection(\.connectionId, key: \.id) {
            for (rowId, repoUrl, environment, started, finished) in try await db.tuples(
                """
                SELECT row_id, repo_url, environment, started_date, finished_date FROM chain_rows
                WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))
                """,
                as: (String, String, String, Int64, Int64).self)
            {
                rows.append(
                    PreviousSuccessChain.Row(
                        rowId: rowId, connectionId: connectionId, repoUrl: repoUrl, environment: environment,
                        result: "SUCCESS", startedDate: started, finishedDate: finished))
            }
        }
        return rows
    }

    private func removeChainRows(of deployments: Set<DeploymentIdentity>) async throws {
        for (connectionId, ids) in deployments.chunkedByConnection(\.connectionId, key: \.id) {
            try await db.raw(
                "DELETE FROM chain_rows WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))"
            ).run()
        }
    }

    private func insertChainRows(
        _ rows: [PreviousSuccessChain.Row], deploymentIds: [String: String], previous: [String: String] = [:]
    ) async throws {
        try await db.insertRows(
            rows, rowsPerStatement: Self.rowsPerStatement,
            head: """
                INSERT INTO chain_rows (connection_id, row_id, deployment_id, repo_url, environment, started_date,
                    finished_date, prev_row_id) VALUES
                """
        ) { row in
            [
                row.connectionId, row.rowId, deploymentIds[row.rowId] ?? "", row.repoUrl, row.environment,
                row.startedDate, row.finishedDate, previous[row.rowId] ?? "",
            ]
        }
    }

    /// For each position, the nearest chain rows strictly before and after it in its chain.
    ///
    /// On the SQLite writer connection each chain's rows between its first and last position are
    /// read with one range query and the neighbours found in memory: under ingest, new deployments
    /// land at a chain's end, so the range holds little more than the positions themselves. A range
    /// with many more rows than positions (a backfill spread over history) falls back to one look-up
    /// per position and direction, as on PostgreSQL, where those run in one statement each.
    private func neighbourPairs(of positions: [PreviousSuccessChain.Row]) async throws
        -> (before: [Int: PreviousSuccessChain.Row], after: [Int: PreviousSuccessChain.Row])
    {
        guard db.runsPreparedStatementsInline else {
            return (try await neighbours(of: positions, after: false), try await neighbours(of: positions, after: true))
        }
        var before: [Int: PreviousSuccessChain.Row] = [:]
        var after: [Int: PreviousSuccessChain.Row] = [:]
        var scattered: [Int] = []
        let chains = Dictionary(grouping: positions.indices) { index in
            PreviousSuccessChain.Key(
                connectionId: positions[index].connectionId, repoUrl: positions[index].repoUrl,
                environment: positions[index].environment)
        }
        for (chain, indices) in chains {
            let sorted = indices.sorted { Self.precedes(positions[$0], positions[$1]) }
            let first = positions[sorted[0]]
            let last = positions[sorted[sorted.count - 1]]
            // A power of two, written into the statement: a bound LIMIT that changes makes SQLite
            // compile the statement again, and a few shapes cover every round.
            let limit = 1 << max(5, Int.bitWidth - (4 * sorted.count + 16).leadingZeroBitCount)
            let rows = try await db.tuples(
                """
                SELECT row_id, started_date, finished_date FROM chain_rows
                WHERE connection_id = \(bind: chain.connectionId) AND repo_url = \(bind: chain.repoUrl)
                    AND environment = \(bind: chain.environment)
                    AND (finished_date, started_date, row_id) >= (\(bind: first.finishedDate), \(bind: first.startedDate), \(bind: first.rowId))
                    AND (finished_date, started_date, row_id) <= (\(bind: last.finishedDate), \(bind: last.startedDate), \(bind: last.rowId))
                ORDER BY finished_date, started_date, row_id
                LIMIT \(literal: limit + 1)
                """,
                as: (String, Int64, Int64).self)
            guard rows.count <= limit else {
                scattered += indices
                continue
            }
            var line = rows.map { rowId, started, finished in
                PreviousSuccessChain.Row(
                    rowId: rowId, connectionId: chain.connectionId, repoUrl: chain.repoUrl,
                    environment: chain.environment, result: "SUCCESS", startedDate: started, finishedDate: finished)
            }
            if let below = try await neighbours(of: [first], after: false)[0] { line.insert(below, at: 0) }
            if let above = try await neighbours(of: [last], after: true)[0] { line.append(above) }
            for index in sorted {
                let position = positions[index]
                let firstNotBefore = line.partitioningIndex(where: { !Self.precedes($0, position) })
                if firstNotBefore > 0 { before[index] = line[firstNotBefore - 1] }
                let firstAfter = line.partitioningIndex(where: { Self.precedes(position, $0) })
                if firstAfter < line.count { after[index] = line[firstAfter] }
            }
        }
        if !scattered.isEmpty {
            let subset = scattered.map { positions[$0] }
            for (offset, row) in try await neighbours(of: subset, after: false) { before[scattered[offset]] = row }
            for (offset, row) in try await neighbours(of: subset, after: true) { after[scattered[offset]] = row }
        }
        return (before, after)
    }

    /// The chain order of `chain_rows_order`: finish, start, then row id as SQLite compares text
    /// (bytewise, which is not Swift's `String` order outside ASCII).
    private static func precedes(_ a: PreviousSuccessChain.Row, _ b: PreviousSuccessChain.Row) -> Bool {
        if a.finishedDate != b.finishedDate { return a.finishedDate < b.finishedDate }
        if a.startedDate != b.startedDate { return a.startedDate < b.startedDate }
        return a.rowId.utf8.lexicographicallyPrecedes(b.rowId.utf8)
    }

    /// For each position, the nearest chain row strictly before (or after) it in its chain.
    private func neighbours(of positions: [PreviousSuccessChain.Row], after: Bool) async throws
        -> [Int: PreviousSuccessChain.Row]
    {
        guard !positions.isEmpty else { return [:] }
        var keys = KeyedLookup.Keys()
        keys.add("connection_id", positions.map(\.connectionId))
        keys.add("repo_url", positions.map(\.repoUrl))
        keys.add("environment", positions.map(\.environment))
        keys.add("finished", positions.map(\.finishedDate))
        keys.add("started", positions.map(\.startedDate))
        keys.add("id", positions.map(\.rowId))
        let direction = after ? "ASC" : "DESC"
        var found: [Int: PreviousSuccessChain.Row] = [:]
        for (index, row) in try await KeyedLookup(db: db).rows(for: keys, { key in
            """
            SELECT row_id, started_date, finished_date FROM chain_rows
            WHERE connection_id = \(key["connection_id"]) AND repo_url = \(key["repo_url"])
                AND environment = \(key["environment"])
                AND (finished_date, started_date, row_id) \(unsafeRaw: after ? ">" : "<")
                    (\(key["finished"]), \(key["started"]), \(key["id"]))
            ORDER BY finished_date \(unsafeRaw: direction), started_date \(unsafeRaw: direction), row_id \(unsafeRaw: direction)
            LIMIT 1
            """
        }) {
            let position = positions[index]
            found[index] = PreviousSuccessChain.Row(
                rowId: try row.decode(column: "row_id", as: String.self), connectionId: position.connectionId,
                repoUrl: position.repoUrl, environment: position.environment, result: "SUCCESS",
                startedDate: try row.decode(column: "started_date", as: Int64.self),
                finishedDate: try row.decode(column: "finished_date", as: Int64.self))
        }
        return found
    }

    /// Writes the new `prev` values of chain rows: one statement per connection and chunk.
    private func update(_ updates: [(connectionId: Int64, id: String, previous: String)]) async throws {
        if db.runsPreparedStatementsInline {
            // One prepared statement per row (a `CASE` over the round's rows is a new text each time).
            for update in updates.sorted(by: { ($0.connectionId, $0.id) < ($1.connectionId, $1.id) }) {
                _ = try db.runInline(
                    sql: "UPDATE chain_rows SET prev_row_id = ?1 WHERE connection_id = ?2 AND row_id = ?3",
                    binds: [update.previous, update.connectionId, update.id])
            }
            return
        }
        for (connectionId, group) in Dictionary(grouping: updates, by: \.connectionId) {
            for chunk in group.sorted(by: { $0.id < $1.id }).chunked(Self.rowsPerStatement) {
                var cases: SQLQueryString = "CASE row_id"
                for update in chunk { cases += " WHEN \(bind: update.id) THEN \(bind: update.previous)" }
                cases += " END"
                let ids: [any Encodable & Sendable] = chunk.map(\.id)
                try await db.raw(
                    "UPDATE chain_rows SET prev_row_id = " + cases
                        + " WHERE connection_id = \(bind: connectionId) AND row_id IN (\(inList: ids))"
                ).run()
            }
        }
    }
}

extension Array {
    /// The index of the first element for which `belongs` holds, in an array where it holds for a
    /// suffix only (binary search); `count` when it holds for none.
    fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
