import DoralakeCore
import SQLKit

/// Writes the derived rows of one scope (a project, or the all scope) in sets: one multi-row
/// upsert per table and chunk, and one delete per table, connection and chunk, so a transaction's
/// derived-data update costs a few statements whatever the number of items it decided on.
struct DerivedRowWriter {
    let db: any SQLDatabase
    /// The project, or ``DerivedDataRepository/allScope``.
    let project: String

    /// Most rows in one statement (binds stay far below both databases' limits).
    static let rowsPerStatement = 300

    // MARK: - Incident links

    /// Inserts or replaces the links of these incidents.
    func upsert(links: [IncidentLink]) async throws {
        for chunk in links.sorted(by: { $0.incident < $1.incident }).chunked(Self.rowsPerStatement) {
            var query: SQLQueryString = """
                INSERT INTO project_incident_links (project_name, connection_id, issue_key, deployment_connection_id,
                    deployment_id, reason) VALUES
                """
            for (index, link) in chunk.enumerated() {
                if index > 0 { query += ", " }
                query += """
                    (\(bind: project), \(bind: link.incident.connectionId), \(bind: link.incident.issueKey),
                    \(bind: link.deployment?.connectionId), \(bind: link.deployment?.id), \(bind: link.reason.rawValue))
                    """
            }
            query += """
                 ON CONFLICT (project_name, connection_id, issue_key) DO UPDATE SET
                    deployment_connection_id = excluded.deployment_connection_id, deployment_id = excluded.deployment_id,
                    reason = excluded.reason
                """
            try await db.raw(query).run()
        }
    }

    /// Removes the links of these issues (they are not, or no longer, incidents).
    func deleteLinks(of issues: [IssueIdentity]) async throws {
        for (connectionId, keys) in issues.chunkedByConnection(\.connectionId, key: \.issueKey, size: Self.rowsPerStatement) {
            try await db.raw(
                """
                DELETE FROM project_incident_links WHERE project_name = \(bind: project)
                AND connection_id = \(bind: connectionId) AND issue_key IN (\(inList: keys))
                """
            ).run()
        }
    }

    // MARK: - Rework

    /// Inserts or replaces the rework classification of these deployments.
    func upsert(rework: [ReworkClassification]) async throws {
        for chunk in rework.sorted(by: { $0.deployment < $1.deployment }).chunked(Self.rowsPerStatement) {
            var query: SQLQueryString = """
                INSERT INTO project_rework (project_name, deployment_connection_id, deployment_id, reason,
                    incident_connection_id, incident_key) VALUES
                """
            for (index, classification) in chunk.enumerated() {
                if index > 0 { query += ", " }
                query += """
                    (\(bind: project), \(bind: classification.deployment.connectionId), \(bind: classification.deployment.id),
                    \(bind: classification.reason.rawValue), \(bind: classification.incident?.connectionId),
                    \(bind: classification.incident?.issueKey))
                    """
            }
            query += """
                 ON CONFLICT (project_name, deployment_connection_id, deployment_id) DO UPDATE SET reason = excluded.reason,
                    incident_connection_id = excluded.incident_connection_id, incident_key = excluded.incident_key
                """
            try await db.raw(query).run()
        }
    }

    /// Removes the rework classification of these deployments (they are not rework).
    func deleteRework(of deployments: [DeploymentIdentity]) async throws {
        for (connectionId, ids) in deployments.chunkedByConnection(\.connectionId, key: \.id, size: Self.rowsPerStatement) {
            try await db.raw(
                """
                DELETE FROM project_rework WHERE project_name = \(bind: project)
                AND deployment_connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))
                """
            ).run()
        }
    }

    // MARK: - Pull request attribution

    /// Inserts or replaces the attribution and stage times of these pull requests.
    func upsert(attributions: [PullRequestDerivation]) async throws {
        for chunk in attributions.sorted(by: { $0.pullRequest < $1.pullRequest }).chunked(Self.rowsPerStatement) {
            var query: SQLQueryString = """
                INSERT INTO project_pr_attributions (project_name, connection_id, pull_request_key, rule, row_id,
                    deployment_connection_id, deployment_id, deployed_date, created_to_merged, deploy_time, cycle_time) VALUES
                """
            for (index, derivation) in chunk.enumerated() {
                if index > 0 { query += ", " }
                let attribution = derivation.attribution
                query += """
                    (\(bind: project), \(bind: derivation.pullRequest.connectionId), \(bind: derivation.pullRequest.pullRequestKey),
                    \(bind: attribution?.rule.rawValue), \(bind: attribution?.rowId), \(bind: attribution?.deployment.connectionId),
                    \(bind: attribution?.deployment.id), \(bind: attribution?.deployedDate),
                    \(bind: derivation.times.createdToMerged), \(bind: derivation.times.deployTime),
                    \(bind: derivation.times.cycleTime))
                    """
            }
            query += """
                 ON CONFLICT (project_name, connection_id, pull_request_key) DO UPDATE SET rule = excluded.rule,
                    row_id = excluded.row_id, deployment_connection_id = excluded.deployment_connection_id,
                    deployment_id = excluded.deployment_id, deployed_date = excluded.deployed_date,
                    created_to_merged = excluded.created_to_merged, deploy_time = excluded.deploy_time,
                    cycle_time = excluded.cycle_time
                """
            try await db.raw(query).run()
        }
    }

    /// Removes the attribution of these pull requests (they are not, or no longer, merged).
    func deleteAttributions(of pullRequests: [PullRequestIdentity]) async throws {
        for (connectionId, keys) in pullRequests.chunkedByConnection(\.connectionId, key: \.pullRequestKey, size: Self.rowsPerStatement) {
            try await db.raw(
                """
                DELETE FROM project_pr_attributions WHERE project_name = \(bind: project)
                AND connection_id = \(bind: connectionId) AND pull_request_key IN (\(inList: keys))
                """
            ).run()
        }
    }
}
