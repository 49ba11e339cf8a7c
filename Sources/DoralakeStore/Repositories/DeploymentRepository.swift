import DoralakeCore
import Foundation
import SQLKit

/// Reads and writes `cicd_deployments` and `cicd_deployment_commits`.
struct DeploymentRepository {
    let db: any SQLDatabase

    /// Creates or replaces a deployment: commit rows not in the new body are deleted, the others
    /// upserted; the first post's `received_at` is kept.
    func upsert(_ deployment: Deployment, now: Int64, eventId: Int64?) async throws -> DeploymentWriteResult {
        let commitIds = deployment.commits.map { deployment.commitId($0) }
        let fingerprint = deployment.fingerprint
        let existing = try await db.raw(
            "SELECT content_hash FROM cicd_deployments WHERE connection_id = \(bind: deployment.connectionId) AND id = \(bind: deployment.id)"
        ).first()
        var removed: [String] = []
        if let existing {
            if try existing.decode(column: "content_hash", as: String.self) == fingerprint {
                return DeploymentWriteResult(outcome: .unchanged, commitIds: commitIds, removedCommitIds: [])
            }
            let rows = try await db.raw(
                "SELECT repo_url, commit_sha, id FROM cicd_deployment_commits WHERE connection_id = \(bind: deployment.connectionId) AND deployment_id = \(bind: deployment.id)"
            ).all()
            let kept = Set(deployment.commits.map { $0.repoUrl + "\u{0}" + $0.commitSha })
            for row in rows {
                let repoUrl = try row.decode(column: "repo_url", as: String.self)
                let sha = try row.decode(column: "commit_sha", as: String.self)
                if !kept.contains(repoUrl + "\u{0}" + sha) {
                    removed.append(try row.decode(column: "id", as: String.self))
                    try await db.raw(
                        "DELETE FROM cicd_deployment_commits WHERE connection_id = \(bind: deployment.connectionId) AND deployment_id = \(bind: deployment.id) AND repo_url = \(bind: repoUrl) AND commit_sha = \(bind: sha)"
                    ).run()
                }
            }
        }
        let d = deployment
        try await db.raw(
            """
            INSERT INTO cicd_deployments (connection_id, id, name, display_title, result, original_result, status,
                original_status, environment, original_environment, kind, is_rework, created_date, started_date,
                finished_date, duration_ms, content_hash, received_at, updated_at, last_event_id)
            VALUES (\(bind: d.connectionId), \(bind: d.id), \(bind: d.name), \(bind: d.displayTitle), \(bind: d.result),
                \(bind: d.originalResult), \(bind: d.status), \(bind: d.originalStatus), \(bind: d.environment),
                \(bind: d.originalEnvironment), \(bind: d.kind), \(bind: d.isRework.map { $0 ? Int64(1) : Int64(0) }),
                \(bind: d.createdDate), \(bind: d.startedDate), \(bind: d.finishedDate), \(bind: d.durationMillis),
                \(bind: fingerprint), \(bind: now), \(bind: now), \(bind: eventId))
            ON CONFLICT (connection_id, id) DO UPDATE SET name = excluded.name, display_title = excluded.display_title,
                result = excluded.result, original_result = excluded.original_result, status = excluded.status,
                original_status = excluded.original_status, environment = excluded.environment,
                original_environment = excluded.original_environment, kind = excluded.kind,
                is_rework = excluded.is_rework, created_date = excluded.created_date,
                started_date = excluded.started_date, finished_date = excluded.finished_date,
                duration_ms = excluded.duration_ms, content_hash = excluded.content_hash,
                updated_at = excluded.updated_at, last_event_id = excluded.last_event_id
            """
        ).run()
        var query: SQLQueryString = """
            INSERT INTO cicd_deployment_commits (connection_id, deployment_id, repo_url, commit_sha, id, name,
                display_title, result, original_result, status, original_status, environment, original_environment,
                repo_id, ref_name, commit_msg, created_date, started_date, finished_date, duration_ms,
                included_commit_shas, position)
            VALUES
            """
        for (position, c) in d.commits.enumerated() {
            if position > 0 { query += ", " }
            let included = JSONValue.array(c.includedCommitShas.map { .string($0) }).serialized()
            query += """
                (\(bind: d.connectionId), \(bind: d.id), \(bind: c.repoUrl), \(bind: c.commitSha), \(bind: commitIds[position]),
                \(bind: c.name), \(bind: c.displayTitle), \(bind: c.result), \(bind: c.originalResult), \(bind: c.status),
                \(bind: c.originalStatus), \(bind: d.environment), \(bind: d.originalEnvironment), \(bind: c.repoId),
                \(bind: c.refName), \(bind: c.commitMsg), \(bind: c.createdDate), \(bind: c.startedDate),
                \(bind: c.finishedDate), \(bind: c.durationMillis), \(bind: included), \(bind: Int64(position)))
                """
        }
        query += """
             ON CONFLICT (connection_id, deployment_id, repo_url, commit_sha) DO UPDATE SET name = excluded.name,
                display_title = excluded.display_title, result = excluded.result,
                original_result = excluded.original_result, status = excluded.status,
                original_status = excluded.original_status, environment = excluded.environment,
                original_environment = excluded.original_environment, repo_id = excluded.repo_id,
                ref_name = excluded.ref_name, commit_msg = excluded.commit_msg, created_date = excluded.created_date,
                started_date = excluded.started_date, finished_date = excluded.finished_date,
                duration_ms = excluded.duration_ms, included_commit_shas = excluded.included_commit_shas,
                position = excluded.position
            """
        try await db.raw(query).run()
        return DeploymentWriteResult(
            outcome: existing == nil ? .created : .updated, commitIds: commitIds, removedCommitIds: removed)
    }

    /// One deployment with its commit rows, or nil.
    func find(connectionId: Int64, id: String) async throws -> StoredDeployment? {
        guard
            let row = try await db.raw(
                "SELECT * FROM cicd_deployments WHERE connection_id = \(bind: connectionId) AND id = \(bind: id)"
            ).first()
        else { return nil }
        var stored = try StoredDeployment(row: row)
        stored.commits = try await commits(connectionId: connectionId, deploymentId: id)
        return stored
    }

    func commits(connectionId: Int64, deploymentId: String) async throws -> [StoredDeploymentCommit] {
        try await db.raw(
            "SELECT * FROM cicd_deployment_commits WHERE connection_id = \(bind: connectionId) AND deployment_id = \(bind: deploymentId) ORDER BY position"
        ).all().map { try StoredDeploymentCommit(row: $0) }
    }
}

/// The result of writing a deployment.
public struct DeploymentWriteResult: Sendable {
    public var outcome: WriteOutcome
    /// DevLake-format ids of the commit rows, in body order.
    public var commitIds: [String]
    /// DevLake-format ids of the rows a re-post removed.
    public var removedCommitIds: [String]
}
