import DoralakeCore
import SQLKit

/// The stored derived data as the read API and the web UI show it, for many items at once.
///
/// A page of a list is answered with a fixed number of statements whatever its length: each read
/// binds the page's keys as `connection_id = ? AND key IN (…)` chunks, one branch per connection
/// of the page, joined with `UNION ALL` into one statement (another statement only every
/// ``keysPerReadStatement`` keys). Every identity asked for has an entry in the answer, empty when
/// nothing was derived for it; reading one item is a page of one.
extension DerivedDataRepository {
    /// Most keys bound in one statement of a batched read (binds stay far below both databases' limits).
    static let keysPerReadStatement = DerivedRowWriter.rowsPerStatement

    /// The links of each issue in every project (the all scope excluded), in project name order.
    func links(of issues: some Collection<IssueIdentity>) async throws -> [IssueIdentity: [IncidentLinkRecord]] {
        var links = Dictionary(issues.map { ($0, [IncidentLinkRecord]()) }, uniquingKeysWith: { first, _ in first })
        let rows = try await chunkedRows(
            of: links.keys, connection: \.connectionId, key: \.issueKey, orderedBy: "connection_id, issue_key, project_name"
        ) { connectionId, keys in
            """
            SELECT project_name, connection_id, issue_key, deployment_connection_id, deployment_id, reason
            FROM project_incident_links WHERE connection_id = \(bind: connectionId) AND issue_key IN (\(inList: keys))
            AND project_name <> \(bind: Self.allScope)
            """
        }
        for row in rows {
            let issue = IssueIdentity(
                connectionId: try row.decode(column: "connection_id", as: Int64.self),
                issueKey: try row.decode(column: "issue_key", as: String.self))
            links[issue, default: []].append(
                IncidentLinkRecord(
                    project: try row.decode(column: "project_name", as: String.self),
                    deploymentConnectionId: try row.decode(column: "deployment_connection_id", as: Int64?.self),
                    deploymentId: try row.decode(column: "deployment_id", as: String?.self),
                    reason: try row.decode(column: "reason", as: String.self)))
        }
        return links
    }

    /// What each project of a deployment's connection derived for it, in project name order; a
    /// deployment of a connection in no project gets none.
    ///
    /// Four reads whatever the number of deployments: the projects of their connections, then the
    /// linked incidents, the attributed pull requests and the rework of every (project, deployment).
    /// - Parameter only: one project to read (a project page needs no other), instead of all of them.
    func deploymentProjects(of deployments: some Collection<DeploymentIdentity>, only: String? = nil) async throws
        -> [DeploymentIdentity: [DeploymentProjectRecord]]
    {
        let deployments = Set(deployments)
        guard !deployments.isEmpty else { return [:] }
        let onlyProject: SQLQueryString = only.map { " AND m.project_name = \(bind: $0)" } ?? ""

        var projects: [Int64: [String]] = [:]
        for connectionIds in Set(deployments.map(\.connectionId)).sorted().chunked(Self.keysPerReadStatement) {
            for row in try await db.raw(
                "SELECT m.connection_id, m.project_name FROM project_mapping m WHERE m.connection_id IN (\(inList: Array(connectionIds)))"
                    + onlyProject + " ORDER BY m.connection_id, m.project_name"
            ).all() {
                projects[try row.decode(column: "connection_id", as: Int64.self), default: []].append(
                    try row.decode(column: "project_name", as: String.self))
            }
        }

        // The derived rows of a deployment in each project mapping its connection (the all scope
        // and projects that no longer hold the connection are not read, as the projects above).
        let incidentRows = try await chunkedRows(
            of: deployments, connection: \.connectionId, key: \.id,
            orderedBy: "project_name, deployment_connection_id, deployment_id, connection_id, issue_key"
        ) { connectionId, ids in
            """
            SELECT l.project_name, l.deployment_connection_id, l.deployment_id, l.connection_id, l.issue_key
            FROM project_mapping m JOIN project_incident_links l
                ON l.project_name = m.project_name AND l.deployment_connection_id = m.connection_id
            WHERE m.connection_id = \(bind: connectionId) AND l.deployment_id IN (\(inList: ids))
            AND l.reason IN ('time', 'explicit')
            """ + onlyProject
        }
        var incidentIds: [ProjectDeployment: [String]] = [:]
        for row in incidentRows {
            incidentIds[try ProjectDeployment(row), default: []].append(
                DevLakeID.issue(
                    connectionId: try row.decode(column: "connection_id", as: Int64.self),
                    issueKey: try row.decode(column: "issue_key", as: String.self)))
        }
        let pullRequestRows = try await chunkedRows(
            of: deployments, connection: \.connectionId, key: \.id,
            orderedBy: "project_name, deployment_connection_id, deployment_id, connection_id, pull_request_key"
        ) { connectionId, ids in
            """
            SELECT a.project_name, a.deployment_connection_id, a.deployment_id, a.connection_id, a.pull_request_key
            FROM project_mapping m JOIN project_pr_attributions a
                ON a.project_name = m.project_name AND a.deployment_connection_id = m.connection_id
            WHERE m.connection_id = \(bind: connectionId) AND a.deployment_id IN (\(inList: ids))
            """ + onlyProject
        }
        var pullRequestIds: [ProjectDeployment: [String]] = [:]
        for row in pullRequestRows {
            pullRequestIds[try ProjectDeployment(row), default: []].append(
                DevLakeID.pullRequest(
                    connectionId: try row.decode(column: "connection_id", as: Int64.self),
                    pullRequestKey: try row.decode(column: "pull_request_key", as: Int64.self)))
        }
        let reworkRows = try await chunkedRows(
            of: deployments, connection: \.connectionId, key: \.id,
            orderedBy: "project_name, deployment_connection_id, deployment_id"
        ) { connectionId, ids in
            """
            SELECT r.project_name, r.deployment_connection_id, r.deployment_id, r.reason, r.incident_connection_id, r.incident_key
            FROM project_mapping m JOIN project_rework r
                ON r.project_name = m.project_name AND r.deployment_connection_id = m.connection_id
            WHERE m.connection_id = \(bind: connectionId) AND r.deployment_id IN (\(inList: ids))
            """ + onlyProject
        }
        var rework: [ProjectDeployment: (reason: String, incidentId: String?)] = [:]
        for row in reworkRows {
            var incidentId: String? = nil
            if let connectionId = try row.decode(column: "incident_connection_id", as: Int64?.self),
                let key = try row.decode(column: "incident_key", as: String?.self)
            {
                incidentId = DevLakeID.issue(connectionId: connectionId, issueKey: key)
            }
            rework[try ProjectDeployment(row)] = (try row.decode(column: "reason", as: String.self), incidentId)
        }

        var records: [DeploymentIdentity: [DeploymentProjectRecord]] = [:]
        for deployment in deployments {
            records[deployment] = (projects[deployment.connectionId] ?? []).map { project in
                let slot = ProjectDeployment(project: project, deployment: deployment)
                return DeploymentProjectRecord(
                    project: project, incidentIds: incidentIds[slot] ?? [], pullRequestIds: pullRequestIds[slot] ?? [],
                    reworkReason: rework[slot]?.reason, reworkIncidentId: rework[slot]?.incidentId)
            }
        }
        return records
    }

    /// The attribution and times of each pull request in every project (the all scope excluded),
    /// in project name order.
    func pullRequestProjects(of pullRequests: some Collection<PullRequestIdentity>) async throws
        -> [PullRequestIdentity: [PullRequestProjectRecord]]
    {
        var projects = Dictionary(pullRequests.map { ($0, [PullRequestProjectRecord]()) }, uniquingKeysWith: { first, _ in first })
        let rows = try await chunkedRows(
            of: projects.keys, connection: \.connectionId, key: \.pullRequestKey,
            orderedBy: "connection_id, pull_request_key, project_name"
        ) { connectionId, keys in
            """
            SELECT project_name, connection_id, pull_request_key, rule, row_id, deployment_connection_id, deployment_id,
                deployed_date, created_to_merged, deploy_time, cycle_time
            FROM project_pr_attributions WHERE connection_id = \(bind: connectionId) AND pull_request_key IN (\(inList: keys))
            AND project_name <> \(bind: Self.allScope)
            """
        }
        for row in rows {
            let pullRequest = PullRequestIdentity(
                connectionId: try row.decode(column: "connection_id", as: Int64.self),
                pullRequestKey: try row.decode(column: "pull_request_key", as: Int64.self))
            projects[pullRequest, default: []].append(
                PullRequestProjectRecord(
                    project: try row.decode(column: "project_name", as: String.self),
                    rule: try row.decode(column: "rule", as: String?.self),
                    rowId: try row.decode(column: "row_id", as: String?.self),
                    deploymentConnectionId: try row.decode(column: "deployment_connection_id", as: Int64?.self),
                    deploymentId: try row.decode(column: "deployment_id", as: String?.self),
                    deployedDate: try row.decode(column: "deployed_date", as: Int64?.self),
                    createdToMerged: try row.decode(column: "created_to_merged", as: Int64?.self),
                    deployTime: try row.decode(column: "deploy_time", as: Int64?.self),
                    cycleTime: try row.decode(column: "cycle_time", as: Int64.self)))
        }
        return projects
    }

    /// Runs `select` for each connection's keys (see `chunkedByConnection`) and returns the rows,
    /// in `orderedBy` order (names of `select`'s columns) within each statement. The connections'
    /// selects are joined with `UNION ALL`, each statement binding at most ``keysPerReadStatement``
    /// keys: one statement per that many keys, however many connections they come from.
    private func chunkedRows<Item, Key: Comparable & Encodable & Sendable>(
        of items: some Collection<Item>, connection: (Item) -> Int64, key: (Item) -> Key, orderedBy order: String,
        _ select: (Int64, [any Encodable & Sendable]) -> SQLQueryString
    ) async throws -> [any SQLRow] {
        var statements: [[SQLQueryString]] = []
        var keysInLast = Self.keysPerReadStatement
        for (connectionId, chunk) in items.chunkedByConnection(connection, key: key, size: Self.keysPerReadStatement) {
            var keys = chunk[...]
            while !keys.isEmpty {
                if keysInLast == Self.keysPerReadStatement {
                    statements.append([])
                    keysInLast = 0
                }
                let taken = keys.prefix(Self.keysPerReadStatement - keysInLast)
                statements[statements.count - 1].append(select(connectionId, Array(taken)))
                keysInLast += taken.count
                keys = keys.dropFirst(taken.count)
            }
        }
        var rows: [any SQLRow] = []
        for branches in statements {
            let union = branches.joined(separator: " UNION ALL ")
            rows += try await db.raw("SELECT * FROM (" + union + ") AS page ORDER BY \(unsafeRaw: order)").all()
        }
        return rows
    }

    /// A deployment in one project: the key of its derived rows there.
    private struct ProjectDeployment: Hashable {
        var project: String
        var deployment: DeploymentIdentity

        init(project: String, deployment: DeploymentIdentity) {
            self.project = project
            self.deployment = deployment
        }

        /// The project and deployment of a derived row (`project_name`, `deployment_connection_id`, `deployment_id`).
        init(_ row: any SQLRow) throws {
            self.init(
                project: try row.decode(column: "project_name", as: String.self),
                deployment: DeploymentIdentity(
                    connectionId: try row.decode(column: "deployment_connection_id", as: Int64.self),
                    id: try row.decode(column: "deployment_id", as: String.self)))
        }
    }
}
