import DoralakeCore
import SQLKit

/// Reads the narrow facts metrics need (`MetricInputs`) for one project, or for every connection
/// (the *all* scope), from stored entities and stored derived data.
struct MetricsRepository {
    let db: any SQLDatabase

    /// The facts of project `name`, or nil when it does not exist.
    func inputs(project name: String, range: ClosedRange<EpochMilliseconds>? = nil) async throws -> MetricInputs? {
        guard try await db.raw("SELECT name FROM projects WHERE name = \(bind: name)").first() != nil else { return nil }
        return try await inputs(scope: name, range: range)
    }

    /// The facts of every connection together (the *all* scope), from its stored derived data.
    func inputsOfAllConnections(range: ClosedRange<EpochMilliseconds>? = nil) async throws -> MetricInputs {
        try await inputs(scope: DerivedDataRepository.allScope, range: range)
    }

    /// The facts of a project or of the all scope, by the name its derived data is stored under.
    private func inputs(scope name: String, range: ClosedRange<EpochMilliseconds>?) async throws -> MetricInputs {
        let connectionIds = try await DerivedDataRepository(db: db).connectionIds(of: name)
        guard !connectionIds.isEmpty else { return MetricInputs() }
        var inputs = try await entityFacts(connectionIds: connectionIds, range: range)
        let links = try await db.raw(
            "SELECT connection_id, issue_key, deployment_connection_id, deployment_id FROM project_incident_links WHERE project_name = \(bind: name) AND reason IN ('time', 'explicit')"
        ).all()
        var linked: [IssueIdentity: DeploymentIdentity] = [:]
        for row in links {
            guard let deploymentId = try row.decode(column: "deployment_id", as: String?.self),
                let deploymentConnection = try row.decode(column: "deployment_connection_id", as: Int64?.self)
            else { continue }
            linked[
                IssueIdentity(
                    connectionId: try row.decode(column: "connection_id", as: Int64.self),
                    issueKey: try row.decode(column: "issue_key", as: String.self))] = DeploymentIdentity(
                    connectionId: deploymentConnection, id: deploymentId)
        }
        for index in inputs.incidents.indices { inputs.incidents[index].linkedDeployment = linked[inputs.incidents[index].identity] }
        let deployedInRange: SQLQueryString =
            range.map { " AND deployed_date BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound)" } ?? ""
        inputs.attributions = try await db.raw(
            "SELECT rule, deployed_date, created_to_merged, deploy_time, cycle_time FROM project_pr_attributions WHERE project_name = \(bind: name) AND rule IS NOT NULL"
                + deployedInRange
        ).all().map { row in
            MetricInputs.Attribution(
                rule: try row.decode(column: "rule", as: String.self),
                deployedDate: try row.decode(column: "deployed_date", as: Int64.self),
                createdToMerged: try row.decode(column: "created_to_merged", as: Int64?.self),
                deployTime: try row.decode(column: "deploy_time", as: Int64?.self),
                cycleTime: try row.decode(column: "cycle_time", as: Int64.self))
        }
        for row in try await db.raw(
            "SELECT deployment_connection_id, deployment_id, reason FROM project_rework WHERE project_name = \(bind: name)"
        ).all() {
            inputs.rework[
                DeploymentIdentity(
                    connectionId: try row.decode(column: "deployment_connection_id", as: Int64.self),
                    id: try row.decode(column: "deployment_id", as: String.self))] = try row.decode(
                    column: "reason", as: String.self)
        }
        return inputs
    }

    /// Facts read from entities: production deployments, incidents, work items, lines of code.
    /// Production deployments come from the production index. With a range, deployments, work items
    /// and lines are read for the range only and the "ever" flags are read separately; incidents are read whole, because
    /// an incident linked to a deployment in range counts whatever its own dates.
    private func entityFacts(connectionIds: [Int64], range: ClosedRange<EpochMilliseconds>? = nil) async throws
        -> MetricInputs
    {
        var inputs = MetricInputs()
        let finishedInRange: SQLQueryString =
            range.map { " AND finish_date BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound)" } ?? ""
        inputs.deployments = try await db.raw(
            "SELECT connection_id, deployment_id, start_date, finish_date FROM production_deployments WHERE connection_id IN (\(binds: connectionIds))"
                + finishedInRange
        ).all().map { row in
            MetricInputs.Deployment(
                identity: DeploymentIdentity(
                    connectionId: try row.decode(column: "connection_id", as: Int64.self),
                    id: try row.decode(column: "deployment_id", as: String.self)),
                start: try row.decode(column: "start_date", as: Int64.self),
                finish: try row.decode(column: "finish_date", as: Int64.self))
        }
        inputs.hasReworkFlags =
            try await db.raw(
                "SELECT 1 AS flagged FROM cicd_deployments WHERE connection_id IN (\(binds: connectionIds)) AND (is_rework IS NOT NULL OR kind IS NOT NULL) LIMIT 1"
            ).first() != nil
        if range != nil {
            inputs.everDeployed =
                try await db.raw(
                    "SELECT 1 AS found FROM production_deployments WHERE connection_id IN (\(binds: connectionIds)) LIMIT 1"
                ).first() != nil
            inputs.everReceivedBug =
                try await db.raw(
                    "SELECT 1 AS found FROM issues WHERE connection_id IN (\(binds: connectionIds)) AND type = 'BUG' LIMIT 1"
                ).first() != nil
        }
        let workItemsInRange: SQLQueryString =
            range.map {
                " OR (type IN ('REQUIREMENT', 'BUG') AND (created_date BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound) OR resolution_date BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound)))"
            } ?? " OR type IN ('REQUIREMENT', 'BUG')"
        let issues = try await db.raw(
            """
            SELECT connection_id, issue_key, type, status, created_date, resolution_date, lead_time_minutes, story_point
            FROM issues WHERE connection_id IN (\(binds: connectionIds)) AND (type = 'INCIDENT'
            """ + workItemsInRange + ")"
        ).all()
        for row in issues {
            let type = try row.decode(column: "type", as: String.self)
            let status = try row.decode(column: "status", as: String.self)
            let created = try row.decode(column: "created_date", as: Int64.self)
            let resolution = try row.decode(column: "resolution_date", as: Int64?.self)
            let lead = try row.decode(column: "lead_time_minutes", as: Int64?.self)
            if type == "INCIDENT" {
                inputs.incidents.append(
                    MetricInputs.Incident(
                        identity: IssueIdentity(
                            connectionId: try row.decode(column: "connection_id", as: Int64.self),
                            issueKey: try row.decode(column: "issue_key", as: String.self)),
                        createdDate: created, resolutionDate: resolution, leadTimeMinutes: lead, status: status,
                        linkedDeployment: nil))
            } else {
                inputs.workItems.append(
                    MetricInputs.WorkItem(
                        type: type, status: status, createdDate: created, resolutionDate: resolution,
                        leadTimeMinutes: lead, storyPoint: try row.decode(column: "story_point", as: Double?.self)))
            }
        }
        let authoredInRange: SQLQueryString =
            range.map { " AND authored_date BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound)" } ?? ""
        inputs.commitLines = try await db.raw(
            "SELECT authored_date, additions + deletions AS lines FROM commits WHERE connection_id IN (\(binds: connectionIds)) AND is_merge = 0"
                + authoredInRange
        ).all().map {
            MetricInputs.Lines(at: try $0.decode(column: "authored_date", as: Int64.self), lines: try $0.decode(column: "lines", as: Int64.self))
        }
        let mergedInRange: SQLQueryString =
            range.map { " AND merged_date BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound)" } ?? " AND merged_date IS NOT NULL"
        inputs.pullRequestLines = try await db.raw(
            "SELECT merged_date, additions + deletions AS lines FROM pull_requests WHERE connection_id IN (\(binds: connectionIds))"
                + mergedInRange
        ).all().map {
            MetricInputs.Lines(at: try $0.decode(column: "merged_date", as: Int64.self), lines: try $0.decode(column: "lines", as: Int64.self))
        }
        return inputs
    }
}
