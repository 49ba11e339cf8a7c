import DoralakeCore
import SQLKit

@testable import DoralakeStore

/// The derived-data reads as they were before they were batched: one item per call, with the
/// statements the read API ran per row of a page. The batched reads must answer exactly as these
/// do; keeping the old statements here makes that comparison independent of the new code.
struct PerItemDerivedReads {
    let db: any SQLDatabase

    /// An incident's links, one statement.
    func links(connectionId: Int64, issueKey: String) async throws -> [IncidentLinkRecord] {
        try await db.raw(
            "SELECT * FROM project_incident_links WHERE connection_id = \(bind: connectionId) AND issue_key = \(bind: issueKey) AND project_name <> \(bind: DerivedDataRepository.allScope) ORDER BY project_name"
        ).all().map { row in
            IncidentLinkRecord(
                project: try row.decode(column: "project_name", as: String.self),
                deploymentConnectionId: try row.decode(column: "deployment_connection_id", as: Int64?.self),
                deploymentId: try row.decode(column: "deployment_id", as: String?.self),
                reason: try row.decode(column: "reason", as: String.self))
        }
    }

    /// What each project derived for a deployment: 1 + 3 statements per project.
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

    /// A pull request's attributions, one statement.
    func pullRequestProjects(connectionId: Int64, pullRequestKey: Int64) async throws -> [PullRequestProjectRecord] {
        try await db.raw(
            "SELECT * FROM project_pr_attributions WHERE connection_id = \(bind: connectionId) AND pull_request_key = \(bind: pullRequestKey) AND project_name <> \(bind: DerivedDataRepository.allScope) ORDER BY project_name"
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
