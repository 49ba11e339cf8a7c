import DoralakeCore
import SQLKit

/// The production index, derived data kept by the deriver in step with the deployments: one row per production deployment
/// (METRICS §4.1, `production_deployments`), one per production deployment row (`production_rows`,
/// the pull request attribution candidates of §5.2, with the normalized repository and sha), and one
/// per included sha of those rows (`production_row_shas`).
///
/// The index is per connection, not per project, so attaching or detaching never changes it. It is
/// what makes the incremental derived-data queries indexed point lookups.
struct ProductionIndexRepository {
    let db: any SQLDatabase

    /// Most rows in one multi-row statement.
    static let rowsPerStatement = 300

    /// The stored production view of deployments, by identity (absent when not a production deployment).
    func views(of identities: [DeploymentIdentity]) async throws -> [DeploymentIdentity: ProductionDeployment] {
        var views: [DeploymentIdentity: ProductionDeployment] = [:]
        for (connectionId, group) in Dictionary(grouping: identities, by: \.connectionId) {
            for chunk in group.chunked(Self.rowsPerStatement) {
                let ids: [any Encodable & Sendable] = chunk.map(\.id)
                for row in try await db.raw(
                    "SELECT * FROM production_deployments WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))"
                ).all() {
                    let view = try Self.view(row)
                    views[view.identity] = view
                }
            }
        }
        return views
    }

    /// Removes the index entries of `deployments` (changed or deleted: the deriver inserts the
    /// current ones again).
    func remove(_ deployments: [DeploymentIdentity]) async throws {
        for (connectionId, ids) in deployments.chunkedByConnection(\.connectionId, key: \.id) {
            for table in ["production_deployments", "production_rows", "production_row_shas"] {
                try await db.raw(
                    "DELETE FROM \(ident: table) WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))"
                ).run()
            }
        }
    }

    /// Inserts the index entries of `deployments` (which have none).
    func insert(_ deployments: [Deployment]) async throws {
        let views = deployments.compactMap(ProductionDeployment.init)
        try await db.insertRows(
            views, rowsPerStatement: Self.rowsPerStatement,
            head: "INSERT INTO production_deployments (connection_id, deployment_id, start_date, finish_date, kind, is_rework) VALUES"
        ) { view in
            [
                view.identity.connectionId, view.identity.id, view.start, view.finish, view.kind,
                view.isRework.map { $0 ? Int64(1) : Int64(0) },
            ]
        }
        let candidates = deployments.flatMap(AttributionCandidate.candidates(of:))
        try await db.insertRows(
            candidates, rowsPerStatement: Self.rowsPerStatement,
            head: """
                INSERT INTO production_rows (connection_id, row_id, deployment_id, repo_url, repo_key, commit_sha,
                    commit_sha_key, started_date, finished_date) VALUES
                """
        ) { row in
            [
                row.deployment.connectionId, row.rowId, row.deployment.id, row.repoUrl, RepoURL.normalize(row.repoUrl),
                row.commitSha, row.commitSha.lowercased(), row.startedDate, row.finishedDate,
            ]
        }
        let shas = candidates.flatMap { row in
            Set(row.includedCommitShas.map { $0.lowercased() }).filter { !$0.isEmpty }.sorted().map { (row, $0) }
        }
        try await db.insertRows(
            shas, rowsPerStatement: Self.rowsPerStatement,
            head: "INSERT INTO production_row_shas (connection_id, row_id, deployment_id, sha_key) VALUES"
        ) { row, sha in
            [row.deployment.connectionId, row.rowId, row.deployment.id, sha]
        }
    }

    /// Rebuilds the whole index of one connection from its stored deployments.
    func rebuild(connectionId: Int64) async throws {
        for table in ["production_deployments", "production_rows", "production_row_shas"] {
            try await db.raw("DELETE FROM \(ident: table) WHERE connection_id = \(bind: connectionId)").run()
        }
        try await insert(try await DerivedDataRepository(db: db).deployments(connectionIds: [connectionId]))
    }

    /// Fills the pull requests' normalized repository and merge sha of one connection.
    func rebuildPullRequestKeys(connectionId: Int64) async throws {
        for row in try await db.raw(
            "SELECT pull_request_key, repo_url, merge_commit_sha FROM pull_requests WHERE connection_id = \(bind: connectionId)"
        ).all() {
            let repoUrl = try row.decode(column: "repo_url", as: String?.self)
            let sha = try row.decode(column: "merge_commit_sha", as: String.self)
            try await db.raw(
                """
                UPDATE pull_requests SET repo_key = \(bind: Self.repoKey(repoUrl)), merge_sha_key = \(bind: sha.lowercased())
                WHERE connection_id = \(bind: connectionId) AND pull_request_key = \(bind: try row.decode(column: "pull_request_key", as: Int64.self))
                """
            ).run()
        }
    }

    /// The `repo_key` of a pull request: its normalized repository, nil when it has none (the
    /// `time` rule does not apply then).
    static func repoKey(_ repoUrl: String?) -> String? {
        guard let repoUrl, !repoUrl.trimmingWhitespace().isEmpty else { return nil }
        return RepoURL.normalize(repoUrl)
    }

    /// A production view from a `production_deployments` row.
    static func view(_ row: any SQLRow) throws -> ProductionDeployment {
        ProductionDeployment(
            identity: DeploymentIdentity(
                connectionId: try row.decode(column: "connection_id", as: Int64.self),
                id: try row.decode(column: "deployment_id", as: String.self)),
            start: try row.decode(column: "start_date", as: Int64.self),
            finish: try row.decode(column: "finish_date", as: Int64.self),
            kind: try row.decode(column: "kind", as: String?.self),
            isRework: try row.decode(column: "is_rework", as: Int64?.self).map { $0 != 0 })
    }

    /// An attribution candidate from a `production_rows` row; `includedSha` is the sha it was found
    /// by through `production_row_shas`, if any.
    static func candidate(_ row: any SQLRow, includedSha: String? = nil) throws -> AttributionCandidate {
        AttributionCandidate(
            rowId: try row.decode(column: "row_id", as: String.self),
            deployment: DeploymentIdentity(
                connectionId: try row.decode(column: "connection_id", as: Int64.self),
                id: try row.decode(column: "deployment_id", as: String.self)),
            repoUrl: try row.decode(column: "repo_url", as: String.self),
            commitSha: try row.decode(column: "commit_sha", as: String.self),
            includedCommitShas: includedSha.map { [$0] } ?? [],
            startedDate: try row.decode(column: "started_date", as: Int64.self),
            finishedDate: try row.decode(column: "finished_date", as: Int64.self))
    }
}
