import DoralakeCore
import SQLKit

/// One round of derivation, run inside one transaction: takes the oldest pending changes, brings
/// the production index, the chain and every affected project's derived data up to date with the
/// committed base rows, and removes exactly the change rows it applied.
///
/// The rules are those of the request-path maintenance before (``DerivedDataMaintenance``, fed by
/// ``DerivedChanges``); what is new is where the old state comes from: the production index and
/// `chain_rows` are derived data too, so before this round updates them they still describe what
/// derived data was last computed from (the old finishes and chain positions to revisit).
struct DerivationRound {
    let db: any SQLDatabase

    /// What a round did.
    struct Outcome: Sendable {
        /// Change rows applied (and removed).
        var applied: Int
        /// The highest sequence number applied (nil when nothing was pending).
        var highestSeq: Int64?
    }

    /// Applies up to `limit` pending changes.
    func run(limit: Int) async throws -> Outcome {
        let changeLog = ChangeLogRepository(db: db)
        let pending = try await changeLog.pending(limit: limit)
        guard !pending.isEmpty else { return Outcome(applied: 0, highestSeq: nil) }
        var deployments = Set<DeploymentIdentity>()
        var changes = DerivedChanges()
        var projects = Set<String>()
        var deletedConnections = Set<Int64>()
        for change in pending {
            let entity = change.entity
            switch entity.kind {
            case .deployment: deployments.insert(DeploymentIdentity(connectionId: entity.connectionId, id: entity.key))
            case .issue: changes.issues.insert(IssueIdentity(connectionId: entity.connectionId, issueKey: entity.key))
            case .pullRequest:
                if let key = Int64(entity.key) {
                    changes.pullRequests.insert(PullRequestIdentity(connectionId: entity.connectionId, pullRequestKey: key))
                }
            case .project: projects.insert(entity.key)
            case .connection: deletedConnections.insert(entity.connectionId)
            }
        }
        // A deleted connection's items leave the all scope (its projects are recomputed in full):
        // every deployment the index or the chain still holds, every incident and pull request the
        // all scope derived something for.
        for connectionId in deletedConnections.sorted() {
            try await collectItems(ofDeletedConnection: connectionId, deployments: &deployments, changes: &changes)
        }

        let index = ProductionIndexRepository(db: db)
        let oldViews = try await index.views(of: Array(deployments))
        let current = try await storedDeployments(deployments)
        try await index.remove(Array(deployments))
        try await index.insert(current.values.sorted { DeploymentIdentity($0) < DeploymentIdentity($1) })
        try await ChainDerivation(db: db).apply(changed: deployments, current: current)
        for identity in deployments {
            changes.deployments[identity] = oldViews[identity].map { [$0.finish] } ?? []
        }
        try await DerivedDataMaintenance(db: db).apply(changes)

        let repository = DerivedDataRepository(db: db)
        for project in projects.sorted() {
            if try await db.raw("SELECT name FROM projects WHERE name = \(bind: project)").first() != nil {
                try await repository.refresh(project: project)
            } else {
                try await repository.remove(project: project)
            }
        }
        for connectionId in deletedConnections.sorted() {
            // Anything of the connection the steps above did not reach (nothing, normally).
            for table in ["production_row_shas", "production_rows", "production_deployments", "chain_rows"] {
                try await db.raw("DELETE FROM \(ident: table) WHERE connection_id = \(bind: connectionId)").run()
            }
        }
        let seqs = pending.map(\.seq)
        try await changeLog.remove(seqs)
        return Outcome(applied: pending.count, highestSeq: seqs.max())
    }

    /// The stored deployments among `identities`, with all their rows in body order. Rows are read
    /// as tuples (``SQLDatabase/tuples(_:as:)``): a busy round reads thousands of deployments, and
    /// decoding them by column name through `Decodable` was about a third of a round on PostgreSQL.
    private func storedDeployments(_ identities: Set<DeploymentIdentity>) async throws -> [DeploymentIdentity: Deployment] {
        var found: [DeploymentIdentity: Deployment] = [:]
        for (connectionId, ids) in identities.chunkedByConnection(\.connectionId, key: \.id) {
            let rows = try await db.tuples(
                """
                SELECT id, name, display_title, result, original_result, status, original_status, environment,
                    original_environment, kind, is_rework, created_date, started_date, finished_date
                FROM cicd_deployments WHERE connection_id = \(bind: connectionId) AND id IN (\(inList: ids))
                """,
                as: (String, String, String, String, String, String, String, String, String, String?, Int64?, Int64, Int64, Int64).self)
            for row in rows {
                let deployment = Deployment(
                    connectionId: connectionId, id: row.0, name: row.1, displayTitle: row.2, result: row.3,
                    originalResult: row.4, status: row.5, originalStatus: row.6, environment: row.7,
                    originalEnvironment: row.8, kind: row.9, isRework: row.10.map { $0 != 0 }, createdDate: row.11,
                    startedDate: row.12, finishedDate: row.13, commits: [])
                found[DeploymentIdentity(deployment)] = deployment
            }
        }
        for (connectionId, ids) in found.keys.chunkedByConnection(\.connectionId, key: \.id) {
            let rows = try await db.tuples(
                """
                SELECT deployment_id, repo_url, commit_sha, name, display_title, result, original_result, status,
                    original_status, repo_id, ref_name, commit_msg, created_date, started_date, finished_date,
                    included_commit_shas
                FROM cicd_deployment_commits WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))
                ORDER BY deployment_id, position
                """,
                as: (String, String, String, String, String, String, String, String, String, String, String, String, Int64, Int64, Int64, String).self)
            for row in rows {
                var included: [String] = []
                if case .array(let values)? = try? JSONParser.parse(row.15).value {
                    included = values.compactMap { if case .string(let sha) = $0 { return sha } else { return nil } }
                }
                let commit = DeploymentCommit(
                    repoUrl: row.1, commitSha: row.2, name: row.3, displayTitle: row.4, result: row.5, originalResult: row.6,
                    status: row.7, originalStatus: row.8, repoId: row.9, refName: row.10, commitMsg: row.11,
                    createdDate: row.12, startedDate: row.13, finishedDate: row.14, includedCommitShas: included)
                found[DeploymentIdentity(connectionId: connectionId, id: row.0)]?.commits.append(commit)
            }
        }
        return found
    }

    private func collectItems(
        ofDeletedConnection connectionId: Int64, deployments: inout Set<DeploymentIdentity>, changes: inout DerivedChanges
    ) async throws {
        for table in ["production_deployments", "chain_rows"] {
            for row in try await db.raw(
                "SELECT DISTINCT deployment_id FROM \(ident: table) WHERE connection_id = \(bind: connectionId)"
            ).all() {
                deployments.insert(
                    DeploymentIdentity(connectionId: connectionId, id: try row.decode(column: "deployment_id", as: String.self)))
            }
        }
        let allScope = DerivedDataRepository.allScope
        for row in try await db.raw(
            "SELECT issue_key FROM project_incident_links WHERE project_name = \(bind: allScope) AND connection_id = \(bind: connectionId)"
        ).all() {
            changes.issues.insert(IssueIdentity(connectionId: connectionId, issueKey: try row.decode(column: "issue_key", as: String.self)))
        }
        for row in try await db.raw(
            "SELECT incident_key FROM project_rework WHERE project_name = \(bind: allScope) AND incident_connection_id = \(bind: connectionId)"
        ).all() {
            if let key = try row.decode(column: "incident_key", as: String?.self) {
                changes.issues.insert(IssueIdentity(connectionId: connectionId, issueKey: key))
            }
        }
        for row in try await db.raw(
            "SELECT pull_request_key FROM project_pr_attributions WHERE project_name = \(bind: allScope) AND connection_id = \(bind: connectionId)"
        ).all() {
            changes.pullRequests.insert(
                PullRequestIdentity(connectionId: connectionId, pullRequestKey: try row.decode(column: "pull_request_key", as: Int64.self)))
        }
    }
}
