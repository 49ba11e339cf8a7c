import DoralakeCore
import SQLKit

/// Keeps `prev_success_deployment_commit_id` (METRICS.md §4.2) correct around the rows a batch
/// writes, without reading whole chains: per chain key touched, it reads the eligible rows from the
/// earliest written (or vacated) position on, plus the one eligible row before it, and recomputes
/// that window in memory. For the common case — new deployments appended at the end — the window
/// is just the written rows and their predecessor.
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
    /// - Parameters:
    ///   - written: the rows the batch writes, at their new positions.
    ///   - vacated: the rows the batch replaces or deletes, at their old positions.
    func plan(written: [Position], vacated: [Position]) async throws -> Plan {
        var plan = Plan()
        for row in written where row.result != "SUCCESS" { plan.written[row.id] = "" }
        let replacedIds = Set(vacated.map { "\($0.connectionId)\u{0}\($0.id)" })
        let writtenByKey = Dictionary(grouping: written.filter { $0.result == "SUCCESS" }, by: \.key)
        let vacatedByKey = Dictionary(grouping: vacated, by: \.key)
        for key in Set(writtenByKey.keys).union(vacatedByKey.keys) {
            let writtenHere = writtenByKey[key] ?? []
            guard let low = (writtenHere + (vacatedByKey[key] ?? [])).min(by: Position.precedes) else { continue }
            let anchor = try await db.raw(
                """
                SELECT id FROM cicd_deployment_commits
                WHERE connection_id = \(bind: low.connectionId) AND repo_url = \(bind: low.repoUrl)
                    AND environment = \(bind: low.environment) AND result = 'SUCCESS'
                    AND (finished_date < \(bind: low.finishedDate) OR (finished_date = \(bind: low.finishedDate)
                        AND (started_date < \(bind: low.startedDate) OR (started_date = \(bind: low.startedDate) AND id < \(bind: low.id)))))
                ORDER BY finished_date DESC, started_date DESC, id DESC LIMIT 1
                """
            ).first().map { try $0.decode(column: "id", as: String.self) }
            let window = try await db.raw(
                """
                SELECT id, started_date, finished_date, prev_success_deployment_commit_id FROM cicd_deployment_commits
                WHERE connection_id = \(bind: low.connectionId) AND repo_url = \(bind: low.repoUrl)
                    AND environment = \(bind: low.environment) AND result = 'SUCCESS'
                    AND (finished_date > \(bind: low.finishedDate) OR (finished_date = \(bind: low.finishedDate)
                        AND (started_date > \(bind: low.startedDate) OR (started_date = \(bind: low.startedDate) AND id >= \(bind: low.id)))))
                """
            ).all()
            var stored: [String: String] = [:]
            var members: [Position] = []
            for row in window {
                let id = try row.decode(column: "id", as: String.self)
                if replacedIds.contains("\(low.connectionId)\u{0}\(id)") { continue }
                stored[id] = try row.decode(column: "prev_success_deployment_commit_id", as: String.self)
                members.append(
                    Position(
                        id: id, connectionId: low.connectionId, repoUrl: low.repoUrl, environment: low.environment,
                        result: "SUCCESS", startedDate: try row.decode(column: "started_date", as: Int64.self),
                        finishedDate: try row.decode(column: "finished_date", as: Int64.self)))
            }
            members += writtenHere
            members.sort(by: Position.precedes)
            var previous = anchor ?? ""
            for member in members {
                if stored[member.id] == nil {
                    plan.written[member.id] = previous
                } else if stored[member.id] != previous {
                    plan.updates.append((member.connectionId, member.id, previous))
                }
                previous = member.id
            }
        }
        return plan
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
