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
        // The links that count: to a production deployment of the scope (finished in the range,
        // when given; no other link enters a metric of the range). The deployments drive the join
        // (`CROSS JOIN` fixes that order on SQLite; PostgreSQL plans it freely): without table
        // statistics SQLite otherwise walked every link of the project and scanned the range for
        // each, 0.4 s at the 1M scale.
        let links = try await db.tuples(
            """
            SELECT l.connection_id, l.issue_key, l.deployment_connection_id, l.deployment_id
            FROM production_deployments d CROSS JOIN project_incident_links l
            WHERE l.project_name = \(bind: name) AND l.deployment_connection_id = d.connection_id
                AND l.deployment_id = d.deployment_id AND l.reason IN ('time', 'explicit')
                AND d.connection_id IN (\(inList: connectionIds))
            """ + Self.within("d.finish_date", range), as: (Int64, String, Int64, String).self)
        var linked: [IssueIdentity: DeploymentIdentity] = [:]
        for (connectionId, issueKey, deploymentConnectionId, deploymentId) in links {
            linked[IssueIdentity(connectionId: connectionId, issueKey: issueKey)] = DeploymentIdentity(
                connectionId: deploymentConnectionId, id: deploymentId)
        }
        if range != nil {
            // Linked incidents created and resolved outside the range still count (CFR, recovery
            // time): read those the range read did not.
            let read = Set(inputs.incidents.map(\.identity))
            let missing = linked.keys.filter { !read.contains($0) }
            for (connectionId, keys) in missing.chunkedByConnection(\.connectionId, key: \.issueKey) {
                inputs.incidents += try await db.tuples(
                    "SELECT \(unsafeRaw: Self.incidentColumns) FROM issues WHERE connection_id = \(bind: connectionId) AND issue_key IN (\(inList: keys))",
                    as: Self.IncidentRow.self
                ).map(Self.incident)
            }
        }
        for index in inputs.incidents.indices { inputs.incidents[index].linkedDeployment = linked[inputs.incidents[index].identity] }
        inputs.attributions = try await db.tuples(
            "SELECT rule, deployed_date, created_to_merged, deploy_time, cycle_time FROM project_pr_attributions WHERE project_name = \(bind: name) AND rule IS NOT NULL"
                + Self.within("deployed_date", range), as: (String, Int64, Int64?, Int64?, Int64).self
        ).map { rule, deployedDate, createdToMerged, deployTime, cycleTime in
            MetricInputs.Attribution(
                rule: rule, deployedDate: deployedDate, createdToMerged: createdToMerged, deployTime: deployTime,
                cycleTime: cycleTime)
        }
        // Rework of the production deployments in range (each looked up by key), or all of it.
        let reworkRows: [(Int64, String, String)]
        if let range {
            reworkRows = try await db.tuples(
                """
                SELECT r.deployment_connection_id, r.deployment_id, r.reason FROM production_deployments d
                JOIN project_rework r ON r.project_name = \(bind: name) AND r.deployment_connection_id = d.connection_id
                    AND r.deployment_id = d.deployment_id
                WHERE d.connection_id IN (\(inList: connectionIds)) AND d.finish_date BETWEEN \(bind: range.lowerBound) AND \(bind: range.upperBound)
                """, as: (Int64, String, String).self)
        } else {
            reworkRows = try await db.tuples(
                "SELECT deployment_connection_id, deployment_id, reason FROM project_rework WHERE project_name = \(bind: name)",
                as: (Int64, String, String).self)
        }
        for (connectionId, deploymentId, reason) in reworkRows {
            inputs.rework[DeploymentIdentity(connectionId: connectionId, id: deploymentId)] = reason
        }
        return inputs
    }

    /// Facts read from entities: production deployments, incidents, work items, lines of code.
    /// Production deployments come from the production index. With a range, deployments, work items,
    /// incidents and lines are read for the range only and the "ever" flags are read separately; the
    /// caller adds the incidents linked to a deployment in range, which count whatever their own dates.
    private func entityFacts(connectionIds: [Int64], range: ClosedRange<EpochMilliseconds>? = nil) async throws
        -> MetricInputs
    {
        var inputs = MetricInputs()
        inputs.deployments = try await db.tuples(
            "SELECT connection_id, deployment_id, start_date, finish_date FROM production_deployments WHERE connection_id IN (\(inList: connectionIds))"
                + Self.within("finish_date", range), as: (Int64, String, Int64, Int64).self
        ).map { connectionId, deploymentId, start, finish in
            MetricInputs.Deployment(
                identity: DeploymentIdentity(connectionId: connectionId, id: deploymentId), start: start, finish: finish)
        }
        inputs.hasReworkFlags =
            try await db.raw(
                "SELECT 1 AS flagged FROM cicd_deployments WHERE connection_id IN (\(inList: connectionIds)) AND (is_rework IS NOT NULL OR kind IS NOT NULL) LIMIT 1"
            ).first() != nil
        if range != nil {
            inputs.everDeployed =
                try await db.raw(
                    "SELECT 1 AS found FROM production_deployments WHERE connection_id IN (\(inList: connectionIds)) LIMIT 1"
                ).first() != nil
            inputs.everReceivedBug =
                try await db.raw(
                    "SELECT 1 AS found FROM issues WHERE connection_id IN (\(inList: connectionIds)) AND type = 'BUG' LIMIT 1"
                ).first() != nil
        }
        // Incidents: with a range, those created or resolved in it (linked ones are added by the
        // caller) and whether there ever was one; work items created or resolved in it.
        inputs.incidents = try await db.tuples(
            "SELECT \(unsafeRaw: Self.incidentColumns) FROM issues WHERE connection_id IN (\(inList: connectionIds)) AND type = 'INCIDENT'"
                + Self.createdOrResolved(in: range), as: Self.IncidentRow.self
        ).map(Self.incident)
        // An incident in range answers "ever" already; only an empty range needs the probe.
        if range != nil {
            var ever = !inputs.incidents.isEmpty
            if !ever {
                ever = try await db.raw(
                    "SELECT 1 AS found FROM issues WHERE connection_id IN (\(inList: connectionIds)) AND type = 'INCIDENT' LIMIT 1"
                ).first() != nil
            }
            inputs.everReceivedIncident = ever
        }
        inputs.workItems = try await db.tuples(
            """
            SELECT type, status, created_date, resolution_date, lead_time_minutes, story_point
            FROM issues WHERE connection_id IN (\(inList: connectionIds)) AND type IN ('REQUIREMENT', 'BUG')
            """ + Self.createdOrResolved(in: range), as: (String, String, Int64, Int64?, Int64?, Double?).self
        ).map { type, status, createdDate, resolutionDate, leadTimeMinutes, storyPoint in
            MetricInputs.WorkItem(
                type: type, status: status, createdDate: createdDate, resolutionDate: resolutionDate,
                leadTimeMinutes: leadTimeMinutes, storyPoint: storyPoint)
        }
        // Added in Swift, each count clamped to the ingest bound: rows stored before that bound
        // existed may hold counts whose SQL sum overflows (PostgreSQL: "bigint out of range").
        inputs.commitLines = try await db.tuples(
            "SELECT authored_date, additions, deletions FROM commits WHERE connection_id IN (\(inList: connectionIds)) AND is_merge = 0"
                + Self.within("authored_date", range), as: (Int64, Int64, Int64).self
        ).map { MetricInputs.Lines(at: $0, lines: Self.lineSum($1, $2)) }
        inputs.pullRequestLines = try await db.tuples(
            "SELECT merged_date, additions, deletions FROM pull_requests WHERE connection_id IN (\(inList: connectionIds))"
                + (range == nil ? " AND merged_date IS NOT NULL" : Self.within("merged_date", range)), as: (Int64, Int64, Int64).self
        ).map { MetricInputs.Lines(at: $0, lines: Self.lineSum($1, $2)) }
        return inputs
    }

    /// `additions + deletions`, each clamped to `0...ObjectReader.lineCountLimit` (never overflows).
    static func lineSum(_ additions: Int64, _ deletions: Int64) -> Int64 {
        let limit = ObjectReader.lineCountLimit
        return min(max(additions, 0), limit) + min(max(deletions, 0), limit)
    }

    /// ` AND column BETWEEN first AND last` of `range`; nothing without a range (whole history).
    private static func within(_ column: String, _ range: ClosedRange<EpochMilliseconds>?) -> SQLQueryString {
        guard let range else { return "" }
        return " AND \(unsafeRaw: column) BETWEEN \(bind: range.lowerBound) AND \(bind: range.upperBound)"
    }

    /// Issues created or resolved in `range`; nothing without a range.
    private static func createdOrResolved(in range: ClosedRange<EpochMilliseconds>?) -> SQLQueryString {
        guard let range else { return "" }
        return " AND (created_date BETWEEN \(bind: range.lowerBound) AND \(bind: range.upperBound)"
            + " OR resolution_date BETWEEN \(bind: range.lowerBound) AND \(bind: range.upperBound))"
    }

    /// The columns an incident fact is read from.
    private static let incidentColumns = "connection_id, issue_key, status, created_date, resolution_date, lead_time_minutes"

    /// The values of ``incidentColumns``, in order.
    private typealias IncidentRow = (Int64, String, String, Int64, Int64?, Int64?)

    /// An incident fact (not linked yet) from a row of ``incidentColumns``.
    private static func incident(_ row: IncidentRow) -> MetricInputs.Incident {
        let (connectionId, issueKey, status, createdDate, resolutionDate, leadTimeMinutes) = row
        return MetricInputs.Incident(
            identity: IssueIdentity(connectionId: connectionId, issueKey: issueKey), createdDate: createdDate,
            resolutionDate: resolutionDate, leadTimeMinutes: leadTimeMinutes, status: status, linkedDeployment: nil)
    }
}
