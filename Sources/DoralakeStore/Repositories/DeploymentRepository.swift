import DoralakeCore
import Foundation
import SQLKit

/// Reads and writes `cicd_deployments` and `cicd_deployment_commits`.
struct DeploymentRepository {
    let db: any SQLDatabase

    /// Most rows in one multi-row statement (keeps bind counts far below database limits).
    static let rowsPerStatement = 400

    /// Creates or replaces deployments, each with its event-log entry and its change-log row, using
    /// one set of statements for all of them: commit rows not in a new body are deleted, the others
    /// upserted; the first post's `received_at` is kept; identical re-posts write nothing but their
    /// event. Derived data (the production index, the chain, links…) is the deriver's, after commit.
    /// Identities must be distinct within one call (the writer's batch guarantees it or falls back).
    ///
    /// Concurrent writers (several instances on PostgreSQL) are serialised per deployment by its row:
    /// the upsert locks it (rows in identity order, so two batches cannot deadlock on each other), and
    /// the commit rows are replaced only after that, so the last commit wins whole.
    func ingest(_ items: [DeploymentIngest], now: Int64) async throws -> [Accepted<DeploymentWriteResult>] {
        let eventIds = try await EventLogRepository(db: db).insert(items.map(\.event), now: now)
        return try await write(items, eventIds: eventIds, now: now)
    }

    /// Like ``ingest(_:now:)`` for deployments whose event-log entries exist already (`eventIds`, one
    /// per item: a batch's items share its request's entry).
    func write(_ items: [DeploymentIngest], eventIds: [Int64], now: Int64) async throws -> [Accepted<DeploymentWriteResult>] {
        let deployments = items.map(\.deployment)
        let fingerprints = items.map(\.fingerprint)

        var existing: [String: String] = [:]  // identity → content hash
        // Per connection, `id IN (…)` uses the primary key (a row-value IN over VALUES would scan).
        for (connectionId, group) in Dictionary(grouping: deployments, by: \.connectionId) {
            var rows: [any SQLRow] = []
            if db.runsPreparedStatementsInline {
                // On the SQLite writer one prepared statement per deployment beats an `IN` list
                // whose text changes with its length.
                for deployment in group {
                    rows += try db.runInline(
                        sql: "SELECT id, content_hash FROM cicd_deployments WHERE connection_id = ?1 AND id = ?2",
                        binds: [connectionId, deployment.id])
                }
            } else {
                for chunk in group.chunked(Self.rowsPerStatement) {
                    let ids: [any Encodable & Sendable] = chunk.map(\.id)
                    rows += try await db.raw(
                        "SELECT id, content_hash FROM cicd_deployments WHERE connection_id = \(bind: connectionId) AND id IN (\(inList: ids))"
                    ).all()
                }
            }
            for row in rows {
                existing[Self.identity(connectionId, try row.decode(column: "id", as: String.self))] =
                    try row.decode(column: "content_hash", as: String.self)
            }
        }

        var outcomes: [WriteOutcome] = []
        var changed: [(Deployment, String, Int64, [String])] = []
        var updated: [Deployment] = []
        for (index, deployment) in deployments.enumerated() {
            switch existing[Self.identity(deployment.connectionId, deployment.id)] {
            case nil:
                outcomes.append(.created)
                changed.append((deployment, fingerprints[index], eventIds[index], items[index].commitIds))
            case fingerprints[index]?:
                outcomes.append(.unchanged)
            default:
                outcomes.append(.updated)
                changed.append((deployment, fingerprints[index], eventIds[index], items[index].commitIds))
                updated.append(deployment)
            }
        }
        changed.sort { DeploymentIdentity($0.0) < DeploymentIdentity($1.0) }
        try await upsertRows(changed[...], now: now)
        var removed: [String: [String]] = [:]
        for deployment in updated { removed[Self.identity(deployment.connectionId, deployment.id)] = try await deleteUnlistedCommits(of: deployment) }
        let commitRows = changed.flatMap { entry in
            entry.0.commits.enumerated().map { (entry.0, $0.offset, $0.element, entry.3[$0.offset]) }
        }
        try await upsertCommitRows(commitRows[...])
        try await ChangeLogRepository(db: db).append(changed.map { .deployment(DeploymentIdentity($0.0)) }, now: now)

        return deployments.enumerated().map { index, deployment in
            Accepted(
                eventId: eventIds[index],
                result: DeploymentWriteResult(
                    outcome: outcomes[index], commitIds: items[index].commitIds,
                    removedCommitIds: removed[Self.identity(deployment.connectionId, deployment.id)] ?? []))
        }
    }

    private static func identity(_ connectionId: Int64, _ id: String) -> String { "\(connectionId)\u{0}\(id)" }

    /// Deletes the commit rows of a re-posted deployment that its new body no longer lists, in one
    /// statement (after the deployment's row is locked by its upsert).
    /// - Returns: the removed rows' DevLake-format ids, in their old body order.
    private func deleteUnlistedCommits(of deployment: Deployment) async throws -> [String] {
        var query: SQLQueryString = """
            DELETE FROM cicd_deployment_commits WHERE connection_id = \(bind: deployment.connectionId)
                AND deployment_id = \(bind: deployment.id)
            """
        if !deployment.commits.isEmpty {
            query += " AND (repo_url, commit_sha) NOT IN (VALUES "
            for (index, commit) in deployment.commits.enumerated() {
                if index > 0 { query += ", " }
                query += "(\(bind: commit.repoUrl), \(bind: commit.commitSha))"
            }
            query += ")"
        }
        query += " RETURNING id, position"
        return try await db.raw(query).all()
            .map { (try $0.decode(column: "position", as: Int64.self), try $0.decode(column: "id", as: String.self)) }
            .sorted { $0.0 < $1.0 }.map(\.1)
    }

    private func upsertRows(_ rows: ArraySlice<(Deployment, String, Int64, [String])>, now: Int64) async throws {
        try await db.insertRows(Array(rows), rowsPerStatement: Self.rowsPerStatement, head: """
            INSERT INTO cicd_deployments (connection_id, id, name, display_title, result, original_result, status,
                original_status, environment, original_environment, kind, is_rework, created_date, started_date,
                finished_date, duration_ms, content_hash, received_at, updated_at, last_event_id)
            VALUES
            """,
            tail: Self.deploymentConflict
        ) { d, fingerprint, eventId, _ in
            [
                d.connectionId, d.id, d.name, d.displayTitle, d.result, d.originalResult, d.status, d.originalStatus,
                d.environment, d.originalEnvironment, d.kind, d.isRework.map { $0 ? Int64(1) : Int64(0) }, d.createdDate,
                d.startedDate, d.finishedDate, d.durationMillis, fingerprint, now, now, eventId,
            ]
        }
    }

    private static let deploymentConflict = """
             ON CONFLICT (connection_id, id) DO UPDATE SET name = excluded.name, display_title = excluded.display_title,
                result = excluded.result, original_result = excluded.original_result, status = excluded.status,
                original_status = excluded.original_status, environment = excluded.environment,
                original_environment = excluded.original_environment, kind = excluded.kind,
                is_rework = excluded.is_rework, created_date = excluded.created_date,
                started_date = excluded.started_date, finished_date = excluded.finished_date,
                duration_ms = excluded.duration_ms, content_hash = excluded.content_hash,
                updated_at = excluded.updated_at, last_event_id = excluded.last_event_id
            """

    /// Upserts commit rows. `prev_success_deployment_commit_id` is the deriver's: a new row starts
    /// empty, an existing one keeps its value until the deriver sets it.
    private func upsertCommitRows(_ rows: ArraySlice<(Deployment, Int, DeploymentCommit, String)>) async throws {
        try await db.insertRows(Array(rows), rowsPerStatement: Self.rowsPerStatement, head: """
            INSERT INTO cicd_deployment_commits (connection_id, deployment_id, repo_url, commit_sha, id, name,
                display_title, result, original_result, status, original_status, environment, original_environment,
                repo_id, ref_name, commit_msg, created_date, started_date, finished_date, duration_ms,
                included_commit_shas, position)
            VALUES
            """,
            tail: Self.commitRowConflict
        ) { d, position, c, commitId in
            [
                d.connectionId, d.id, c.repoUrl, c.commitSha, commitId, c.name, c.displayTitle, c.result,
                c.originalResult, c.status, c.originalStatus, d.environment, d.originalEnvironment, c.repoId, c.refName,
                c.commitMsg, c.createdDate, c.startedDate, c.finishedDate, c.durationMillis,
                JSONValue.array(c.includedCommitShas.map { .string($0) }).serialized(), Int64(position),
            ]
        }
    }

    private static let commitRowConflict = """
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

    /// Joins each commit row `c` to its chain row `r`: the derived `prevSuccessDeploymentCommitId`
    /// lives in `chain_rows.prev_row_id` (the deriver writes no base table), and rows that are not
    /// in a chain (not successful) have none.
    static let chainJoin: SQLQueryString =
        "LEFT JOIN chain_rows r ON r.connection_id = c.connection_id AND r.row_id = c.id"

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

    /// The commit rows of many deployments (a page), in body order: one statement per connection
    /// and chunk, instead of one per deployment.
    func commits(of identities: [DeploymentIdentity]) async throws -> [DeploymentIdentity: [StoredDeploymentCommit]] {
        var found: [DeploymentIdentity: [StoredDeploymentCommit]] = [:]
        for (connectionId, ids) in identities.chunkedByConnection(\.connectionId, key: \.id) {
            for row in try await db.raw(
                "SELECT c.*, r.prev_row_id AS chain_prev FROM cicd_deployment_commits c " + Self.chainJoin
                    + " WHERE c.connection_id = \(bind: connectionId) AND c.deployment_id IN (\(inList: ids)) ORDER BY c.deployment_id, c.position"
            ).all() {
                let commit = try StoredDeploymentCommit(row: row)
                let id = try row.decode(column: "deployment_id", as: String.self)
                found[DeploymentIdentity(connectionId: connectionId, id: id), default: []].append(commit)
            }
        }
        return found
    }

    func commits(connectionId: Int64, deploymentId: String) async throws -> [StoredDeploymentCommit] {
        try await db.raw(
            "SELECT c.*, r.prev_row_id AS chain_prev FROM cicd_deployment_commits c " + Self.chainJoin
                + " WHERE c.connection_id = \(bind: connectionId) AND c.deployment_id = \(bind: deploymentId) ORDER BY c.position"
        ).all().map { try StoredDeploymentCommit(row: $0) }
    }
}

/// A deployment to write and the event-log entry of its request, with what the writer needs of it
/// computed beforehand, on the request's task (the writer is the serial part of ingest).
struct DeploymentIngest: Sendable {
    var deployment: Deployment
    var event: EventDraft
    /// ``Deployment/fingerprint``: equal for an identical re-post.
    var fingerprint: String
    /// The DevLake-format id of each commit row, in body order.
    var commitIds: [String]

    init(deployment: Deployment, event: EventDraft) {
        self.deployment = deployment
        self.event = event
        self.fingerprint = deployment.fingerprint
        self.commitIds = deployment.commits.map { deployment.commitId($0) }
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

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
