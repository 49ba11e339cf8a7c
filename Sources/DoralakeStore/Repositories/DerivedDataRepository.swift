import DoralakeCore
import SQLKit

/// The derived data of METRICS.md §2: the previous-successful-deployment chain (per connection)
/// and, per project, incident links, pull request attribution and rework classification. Written
/// by the deriver only (``DerivationRound``), in its own transaction after the writes committed.
///
/// Writes record what they changed in the change log and ``DerivedDataMaintenance`` updates only
/// the items those changes can affect. Attaching, detaching and creating projects recompute the one
/// project with the pure `ProjectDerivation` of DoralakeCore — the same function that
/// `recompute` and the invariant tests use, so stored derived data always equals a full recomputation.
struct DerivedDataRepository {
    let db: any SQLDatabase

    /// The `project_name` under which the derived data of the *all* scope (every connection as one
    /// project) is stored. Project names cannot contain `/`, so it never names a project.
    static let allScope = "/"

    /// Rebuilds every stored derived datum from the stored entities: the production index, the pull
    /// requests' normalized keys, the chains and every project (`doralake recompute`, and once after
    /// the migration that introduced the index). Runs in the caller's transaction, which must
    /// exclude the deriver (see ``DerivationLock``); the change log up to its highest entry at the
    /// start is covered and removed.
    /// - Returns: the number of projects recomputed.
    @discardableResult
    func rebuildAll() async throws -> Int {
        let changeLog = ChangeLogRepository(db: db)
        let covered = try await changeLog.highestPending()
        let index = ProductionIndexRepository(db: db)
        for row in try await db.raw("SELECT id FROM connections ORDER BY id").all() {
            let connectionId = try row.decode(column: "id", as: Int64.self)
            try await index.rebuild(connectionId: connectionId)
            try await index.rebuildPullRequestKeys(connectionId: connectionId)
            try await refreshChains(connectionId: connectionId)
        }
        let projects = try await db.raw("SELECT name FROM projects ORDER BY name").all().map {
            try $0.decode(column: "name", as: String.self)
        }
        for project in projects { try await refresh(project: project) }
        try await refresh(project: Self.allScope)
        if let covered { try await changeLog.removeAll(through: covered) }
        return projects.count
    }

    /// Rebuilds the `prevSuccessDeploymentCommitId` chain of one connection (its `chain_rows`).
    func refreshChains(connectionId: Int64) async throws {
        let (rows, _, deploymentIds) = try await chainRows(connectionId: connectionId)
        try await ChainDerivation(db: db).rebuild(connectionId: connectionId, rows: rows, deploymentIds: deploymentIds)
    }

    /// Every deployment-commit row of a connection as chain input, with its stored `prev` value.
    func chainRows(connectionId: Int64) async throws
        -> (rows: [PreviousSuccessChain.Row], stored: [String: String], deploymentIds: [String: String])
    {
        var stored: [String: String] = [:]
        var deploymentIds: [String: String] = [:]
        var rows: [PreviousSuccessChain.Row] = []
        for row in try await db.raw(
            """
            SELECT c.id AS id, c.deployment_id AS deployment_id, c.repo_url AS repo_url, c.environment AS environment,
                c.result AS result, c.started_date AS started_date, c.finished_date AS finished_date,
                COALESCE(r.prev_row_id, '') AS prev_success_deployment_commit_id
            FROM cicd_deployment_commits c LEFT JOIN chain_rows r ON r.connection_id = c.connection_id AND r.row_id = c.id
            WHERE c.connection_id = \(bind: connectionId)
            """
        ).all() {
            let id = try row.decode(column: "id", as: String.self)
            deploymentIds[id] = try row.decode(column: "deployment_id", as: String.self)
            stored[id] = try row.decode(column: "prev_success_deployment_commit_id", as: String.self)
            rows.append(
                PreviousSuccessChain.Row(
                    rowId: id, connectionId: connectionId, repoUrl: try row.decode(column: "repo_url", as: String.self),
                    environment: try row.decode(column: "environment", as: String.self),
                    result: try row.decode(column: "result", as: String.self),
                    startedDate: try row.decode(column: "started_date", as: Int64.self),
                    finishedDate: try row.decode(column: "finished_date", as: Int64.self)))
        }
        return (rows, stored, deploymentIds)
    }

    /// Recomputes one project's links, attributions and rework and replaces the stored rows.
    func refresh(project: String) async throws {
        let connectionIds = try await connectionIds(of: project)
        let derivation = try await compute(connectionIds: Set(connectionIds))
        try await replace(project: project, with: derivation)
    }

    /// The connections of `project`, or every connection for ``allScope``.
    func connectionIds(of project: String) async throws -> [Int64] {
        if project == Self.allScope {
            return try await db.raw("SELECT id FROM connections ORDER BY id").all().map {
                try $0.decode(column: "id", as: Int64.self)
            }
        }
        return try await db.raw(
            "SELECT connection_id FROM project_mapping WHERE project_name = \(bind: project) ORDER BY connection_id"
        ).all().map { try $0.decode(column: "connection_id", as: Int64.self) }
    }

    /// The full recomputation for a set of connections, from stored entities.
    func compute(connectionIds: Set<Int64>) async throws -> ProjectDerivation {
        guard !connectionIds.isEmpty else {
            return ProjectDerivation(previousSuccessIds: [:], incidentLinks: [], pullRequests: [], rework: [])
        }
        let ids = Array(connectionIds.sorted())
        let deployments = try await deployments(connectionIds: ids)
        let incidents = try await db.raw(
            "SELECT * FROM issues WHERE connection_id IN (\(inList: ids)) AND type = 'INCIDENT'"
        ).all().map { try StoredIssue(row: $0).issue }
        let pullRequests = try await db.raw(
            "SELECT * FROM pull_requests WHERE connection_id IN (\(inList: ids)) AND merged_date IS NOT NULL"
        ).all().map { try StoredPullRequest(row: $0).pullRequest }
        return ProjectDerivation.recompute(
            connectionIds: connectionIds, deployments: deployments, incidents: incidents,
            pullRequests: pullRequests)
    }

    /// The stored deployments of `connectionIds` with their commit rows (in position order).
    func deployments(connectionIds ids: [Int64]) async throws -> [Deployment] {
        guard !ids.isEmpty else { return [] }
        var deployments: [String: Deployment] = [:]
        for row in try await db.raw("SELECT * FROM cicd_deployments WHERE connection_id IN (\(inList: ids))").all() {
            let stored = try StoredDeployment(row: row)
            deployments["\(stored.deployment.connectionId)\u{0}\(stored.deployment.id)"] = stored.deployment
        }
        let commitRows = try await db.raw(
            "SELECT * FROM cicd_deployment_commits WHERE connection_id IN (\(inList: ids)) ORDER BY connection_id, deployment_id, position"
        ).all()
        for row in commitRows {
            let key =
                "\(try row.decode(column: "connection_id", as: Int64.self))\u{0}\(try row.decode(column: "deployment_id", as: String.self))"
            deployments[key]?.commits.append(try StoredDeploymentCommit(row: row).commit)
        }
        return Array(deployments.values)
    }

    private func replace(project: String, with derivation: ProjectDerivation) async throws {
        for table in ["project_incident_links", "project_pr_attributions", "project_rework"] {
            try await db.raw("DELETE FROM \(ident: table) WHERE project_name = \(bind: project)").run()
        }
        let writer = DerivedRowWriter(db: db, project: project)
        try await writer.upsert(links: derivation.incidentLinks)
        try await writer.upsert(attributions: derivation.pullRequests)
        try await writer.upsert(rework: derivation.rework)
    }

    /// Removes a project's derived rows (the project is being deleted).
    func remove(project: String) async throws {
        for table in ["project_incident_links", "project_pr_attributions", "project_rework"] {
            try await db.raw("DELETE FROM \(ident: table) WHERE project_name = \(bind: project)").run()
        }
    }
}
