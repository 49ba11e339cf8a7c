import DoralakeCore
import SQLKit

/// An incident's link to a deployment in one project (METRICS.md §5.1).
public struct IncidentLinkRecord: Sendable, Equatable {
    public var project: String
    public var deploymentConnectionId: Int64?
    public var deploymentId: String?
    /// `time`, `explicit`, `explicit_unresolved`, `no_prior_deployment` or `not_caused_by_deployment`.
    public var reason: String
}

/// What one project derived for one deployment: linked incidents, attributed pull requests, rework.
public struct DeploymentProjectRecord: Sendable, Equatable {
    public var project: String
    /// DevLake-format ids of the incidents linked to the deployment.
    public var incidentIds: [String]
    /// DevLake-format ids of the pull requests attributed to the deployment.
    public var pullRequestIds: [String]
    /// The rework reason (`flagged`, `after_incident`), nil when not rework.
    public var reworkReason: String?
    /// The incident behind an `after_incident` classification.
    public var reworkIncidentId: String?
}

/// A pull request's attribution and times in one project (METRICS.md §5.2).
public struct PullRequestProjectRecord: Sendable, Equatable {
    public var project: String
    public var rule: String?
    public var rowId: String?
    public var deploymentConnectionId: Int64?
    public var deploymentId: String?
    public var deployedDate: EpochMilliseconds?
    public var createdToMerged: Int64?
    public var deployTime: Int64?
    public var cycleTime: Int64
}

extension DerivedDataRepository {
    func links(connectionId: Int64, issueKey: String) async throws -> [IncidentLinkRecord] {
        try await db.raw(
            "SELECT * FROM project_incident_links WHERE connection_id = \(bind: connectionId) AND issue_key = \(bind: issueKey) AND project_name <> \(bind: Self.allScope) ORDER BY project_name"
        ).all().map { row in
            IncidentLinkRecord(
                project: try row.decode(column: "project_name", as: String.self),
                deploymentConnectionId: try row.decode(column: "deployment_connection_id", as: Int64?.self),
                deploymentId: try row.decode(column: "deployment_id", as: String?.self),
                reason: try row.decode(column: "reason", as: String.self))
        }
    }

    /// - Parameter only: one project to read, instead of every project of the connection.
    func deploymentProjects(connectionId: Int64, id: String, only: String? = nil) async throws -> [DeploymentProjectRecord] {
        let onlyProject: SQLQueryString = only.map { " AND project_name = \(bind: $0)" } ?? ""
        let projects = try await db.raw(
            "SELECT project_name FROM project_mapping WHERE connection_id = \(bind: connectionId)" + onlyProject
                + " ORDER BY project_name"
        ).all().map { try $0.decode(column: "project_name", as: String.self) }
        var records: [DeploymentProjectRecord] = []
        for project in projects {
            let incidents = try await db.raw(
                "SELECT connection_id, issue_key FROM project_incident_links WHERE project_name = \(bind: project) AND deployment_connection_id = \(bind: connectionId) AND deployment_id = \(bind: id) AND reason IN ('time', 'explicit') ORDER BY connection_id, issue_key"
            ).all().map {
                DevLakeID.issue(
                    connectionId: try $0.decode(column: "connection_id", as: Int64.self),
                    issueKey: try $0.decode(column: "issue_key", as: String.self))
            }
            let pullRequests = try await db.raw(
                "SELECT connection_id, pull_request_key FROM project_pr_attributions WHERE project_name = \(bind: project) AND deployment_connection_id = \(bind: connectionId) AND deployment_id = \(bind: id) ORDER BY connection_id, pull_request_key"
            ).all().map {
                DevLakeID.pullRequest(
                    connectionId: try $0.decode(column: "connection_id", as: Int64.self),
                    pullRequestKey: try $0.decode(column: "pull_request_key", as: Int64.self))
            }
            let rework = try await db.raw(
                "SELECT reason, incident_connection_id, incident_key FROM project_rework WHERE project_name = \(bind: project) AND deployment_connection_id = \(bind: connectionId) AND deployment_id = \(bind: id)"
            ).first()
            var incidentId: String? = nil
            if let rework, let incidentConnection = try rework.decode(column: "incident_connection_id", as: Int64?.self),
                let key = try rework.decode(column: "incident_key", as: String?.self)
            {
                incidentId = DevLakeID.issue(connectionId: incidentConnection, issueKey: key)
            }
            records.append(
                DeploymentProjectRecord(
                    project: project, incidentIds: incidents, pullRequestIds: pullRequests,
                    reworkReason: try rework?.decode(column: "reason", as: String.self), reworkIncidentId: incidentId))
        }
        return records
    }

    func pullRequestProjects(connectionId: Int64, pullRequestKey: Int64) async throws -> [PullRequestProjectRecord] {
        try await db.raw(
            "SELECT * FROM project_pr_attributions WHERE connection_id = \(bind: connectionId) AND pull_request_key = \(bind: pullRequestKey) AND project_name <> \(bind: Self.allScope) ORDER BY project_name"
        ).all().map { row in
            PullRequestProjectRecord(
                project: try row.decode(column: "project_name", as: String.self),
                rule: try row.decode(column: "rule", as: String?.self),
                rowId: try row.decode(column: "row_id", as: String?.self),
                deploymentConnectionId: try row.decode(column: "deployment_connection_id", as: Int64?.self),
                deploymentId: try row.decode(column: "deployment_id", as: String?.self),
                deployedDate: try row.decode(column: "deployed_date", as: Int64?.self),
                createdToMerged: try row.decode(column: "created_to_merged", as: Int64?.self),
                deployTime: try row.decode(column: "deploy_time", as: Int64?.self),
                cycleTime: try row.decode(column: "cycle_time", as: Int64.self))
        }
    }
}
