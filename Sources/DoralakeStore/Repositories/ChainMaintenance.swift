import DoralakeCore
import SQLKit

/// Keeps `prev_success_deployment_commit_id` (METRICS.md §4.2) correct around the rows a batch
/// writes, without reading whole chains: only the written rows and the rows right after written or
/// vacated positions can change, and their predecessors are found with indexed neighbour queries.
struct ChainMaintenance {
    let db: any SQLDatabase

    /// A deployment-commit row's place in its chain.
    struct Position: Sendable {
        var id: String
        var connectionId: Int64
        var repoUrl: String
        var environment: String
        var result: String
        var startedDate: Int64
        var finishedDate: Int64

        var key: String { "\(connectionId)\u{0}\(repoUrl)\u{0}\(environment)" }

        /// Chain order: finished, started, row id in byte order.
        static func precedes(_ a: Position, _ b: Position) -> Bool {
            if a.finishedDate != b.finishedDate { return a.finishedDate < b.finishedDate }
            if a.startedDate != b.startedDate { return a.startedDate < b.startedDate }
            return ByteOrder.precedes(a.id, b.id)
        }
    }

    /// The chain values after a batch.
    struct Plan {
        /// `prev` of each written row, by row id.
        var written: [String: String] = [:]
        /// Existing rows whose stored `prev` must change: (connection, row id, new prev).
        var updates: [(connectionId: Int64, id: String, previous: String)] = []
    }

    /// Plans the chain values for rows about to be written.
    ///
    /// Only two kinds of rows can change: the written rows themselves and, for every written or
    /// vacated position, the first existing eligible row after it. For each such position the
    /// nearest existing eligible neighbours are read (two indexed queries); merging them with the
    /// written rows in chain order gives every affected row its predecessor.
    /// - Parameters:
    ///   - written: the rows the batch writes, at their new positions.
    ///   - vacated: the rows the batch replaces or deletes, at their old positions.
    func plan(written: [Position], vacated: [Position]) async throws -> Plan {
        var plan = Plan()
        for row in written where row.result != "SUCCESS" { plan.written[row.id] = "" }
        let writtenByKey = Dictionary(grouping: written.filter { $0.result == "SUCCESS" }, by: \.key)
        let vacatedByKey = Dictionary(grouping: vacated, by: \.key)
        for key in Set(writtenByKey.keys).union(vacatedByKey.keys) {
            let writtenHere = writtenByKey[key] ?? []
            let excluded = Set((vacatedByKey[key] ?? []).map(\.id)).union(writtenHere.map(\.id))
            var existing: [String: Position] = [:]
            var successors = Set<String>()
            for position in writtenHere + (vacatedByKey[key] ?? []) {
                if let before = try await neighbour(of: position, after: false, excluding: excluded) {
                    existing[before.id] = before
                }
                if let after = try await neighbour(of: position, after: true, excluding: excluded) {
                    existing[after.id] = after
                    successors.insert(after.id)
                }
            }
            let merged = (Array(existing.values) + writtenHere).sorted(by: Position.precedes)
            let writtenIds = Set(writtenHere.map(\.id))
            // The first merged row has no eligible row before it: every existing row before it
            // would be the predecessor of some written or vacated position, hence in `merged`.
            for index in merged.indices {
                let row = merged[index]
                let previous = index == 0 ? "" : merged[index - 1].id
                if writtenIds.contains(row.id) {
                    plan.written[row.id] = previous
                } else if successors.contains(row.id) {
                    plan.updates.append((row.connectionId, row.id, previous))
                }
            }
        }
        return plan
    }

    /// The nearest existing eligible row before or after `position` in its chain, ignoring `excluded` ids.
    private func neighbour(of position: Position, after: Bool, excluding excluded: Set<String>) async throws -> Position? {
        let exclusion: SQLQueryString =
            excluded.isEmpty ? "" : " AND id NOT IN (\(binds: Array(excluded)))"
        // A row-value comparison, so both SQLite and PostgreSQL scan the chain index as a range.
        let comparison: SQLQueryString =
            "(finished_date, started_date, id) \(unsafeRaw: after ? ">" : "<") (\(bind: position.finishedDate), \(bind: position.startedDate), \(bind: position.id))"
        let order: SQLQueryString =
            after
            ? " ORDER BY finished_date ASC, started_date ASC, id ASC LIMIT 1"
            : " ORDER BY finished_date DESC, started_date DESC, id DESC LIMIT 1"
        let query: SQLQueryString =
            "SELECT id, started_date, finished_date FROM cicd_deployment_commits WHERE connection_id = \(bind: position.connectionId) AND repo_url = \(bind: position.repoUrl) AND environment = \(bind: position.environment) AND result = 'SUCCESS' AND "
            + comparison + exclusion + order
        guard let row = try await db.raw(query).first() else { return nil }
        return Position(
            id: try row.decode(column: "id", as: String.self), connectionId: position.connectionId,
            repoUrl: position.repoUrl, environment: position.environment, result: "SUCCESS",
            startedDate: try row.decode(column: "started_date", as: Int64.self),
            finishedDate: try row.decode(column: "finished_date", as: Int64.self))
    }

    /// Applies the updates of existing rows.
    func apply(_ plan: Plan) async throws {
        for update in plan.updates {
            try await db.raw(
                "UPDATE cicd_deployment_commits SET prev_success_deployment_commit_id = \(bind: update.previous) WHERE connection_id = \(bind: update.connectionId) AND id = \(bind: update.id)"
            ).run()
        }
    }
}
