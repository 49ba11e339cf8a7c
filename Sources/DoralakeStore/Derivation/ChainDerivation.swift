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
        let before = try await neighbours(of: anchors, after: false)
        let after = try await neighbours(of: anchors, after: true)
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
            for row in try await db.raw(
                """
                SELECT row_id, repo_url, environment, started_date, finished_date FROM chain_rows
                WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(binds: ids))
                """
            ).all() {
                rows.append(
                    PreviousSuccessChain.Row(
                        rowId: try row.decode(column: "row_id", as: String.self), connectionId: connectionId,
                        repoUrl: try row.decode(column: "repo_url", as: String.self),
                        environment: try row.decode(column: "environment", as: String.self), result: "SUCCESS",
                        startedDate: try row.decode(column: "started_date", as: Int64.self),
                        finishedDate: try row.decode(column: "finished_date", as: Int64.self)))
            }
        }
        return rows
    }

    private func removeChainRows(of deployments: Set<DeploymentIdentity>) async throws {
        for (connectionId, ids) in deployments.chunkedByConnection(\.connectionId, key: \.id) {
            try await db.raw(
                "DELETE FROM chain_rows WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(binds: ids))"
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
            """
            (\(bind: row.connectionId), \(bind: row.rowId), \(bind: deploymentIds[row.rowId] ?? ""),
            \(bind: row.repoUrl), \(bind: row.environment), \(bind: row.startedDate), \(bind: row.finishedDate),
            \(bind: previous[row.rowId] ?? ""))
            """
        }
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
                try await db.raw(
                    """
                    UPDATE chain_rows SET prev_row_id = \(bind: update.previous)
                    WHERE connection_id = \(bind: update.connectionId) AND row_id = \(bind: update.id)
                    """
                ).run()
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
                        + " WHERE connection_id = \(bind: connectionId) AND row_id IN (\(binds: ids))"
                ).run()
            }
        }
    }
}
