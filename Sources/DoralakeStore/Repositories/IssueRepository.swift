import DoralakeCore
import SQLKit

/// Reads and writes `issues` (issues and incidents).
struct IssueRepository {
    let db: any SQLDatabase

    /// Creates or replaces an issue; the first post's `received_at` is kept.
    /// - Returns: the outcome, and the sequence number of its change-log row (nil when unchanged).
    func upsert(_ issue: Issue, now: Int64, eventId: Int64?) async throws -> (outcome: WriteOutcome, changeSeq: Int64?) {
        let fingerprint = issue.fingerprint
        let existing = try await db.raw(
            "SELECT content_hash, type FROM issues WHERE connection_id = \(bind: issue.connectionId) AND issue_key = \(bind: issue.issueKey)"
        ).first()
        if let existing, try existing.decode(column: "content_hash", as: String.self) == fingerprint {
            return (.unchanged, nil)
        }
        try await save(issue, fingerprint: fingerprint, now: now, eventId: eventId)
        // Every change is logged, incident or not: with several writers the `existing` read above may
        // predate a concurrent commit, so "was it an incident before" is the deriver's to decide.
        let seq = try await ChangeLogRepository(db: db).append([.issue(IssueIdentity(issue))], now: now)
        return (existing == nil ? .created : .updated, seq)
    }

    private func save(_ i: Issue, fingerprint: String, now: Int64, eventId: Int64?) async throws {
        try await db.raw(
            """
            INSERT INTO issues (connection_id, issue_key, title, status, original_status, type, original_type,
                created_date, resolution_date, updated_date, story_point, lead_time_minutes, original_estimate_minutes,
                time_spent_minutes, time_remaining_minutes, url, description, epic_key, priority, severity, component,
                creator_id, creator_name, assignee_id, assignee_name, parent_issue_key, deployment_id,
                deployment_connection_id, caused_by_deployment, content_hash, received_at, updated_at, last_event_id)
            VALUES (\(bind: i.connectionId), \(bind: i.issueKey), \(bind: i.title), \(bind: i.status),
                \(bind: i.originalStatus), \(bind: i.type), \(bind: i.originalType), \(bind: i.createdDate),
                \(bind: i.resolutionDate), \(bind: i.updatedDate), \(bind: i.storyPoint), \(bind: i.leadTimeMinutes),
                \(bind: i.originalEstimateMinutes), \(bind: i.timeSpentMinutes), \(bind: i.timeRemainingMinutes),
                \(bind: i.url), \(bind: i.description), \(bind: i.epicKey), \(bind: i.priority), \(bind: i.severity),
                \(bind: i.component), \(bind: i.creatorId), \(bind: i.creatorName), \(bind: i.assigneeId),
                \(bind: i.assigneeName), \(bind: i.parentIssueKey), \(bind: i.deploymentId),
                \(bind: i.deploymentConnectionId), \(bind: i.causedByDeployment.map { $0 ? Int64(1) : Int64(0) }),
                \(bind: fingerprint), \(bind: now), \(bind: now), \(bind: eventId))
            ON CONFLICT (connection_id, issue_key) DO UPDATE SET title = excluded.title, status = excluded.status,
                original_status = excluded.original_status, type = excluded.type, original_type = excluded.original_type,
                created_date = excluded.created_date, resolution_date = excluded.resolution_date,
                updated_date = excluded.updated_date, story_point = excluded.story_point,
                lead_time_minutes = excluded.lead_time_minutes,
                original_estimate_minutes = excluded.original_estimate_minutes,
                time_spent_minutes = excluded.time_spent_minutes,
                time_remaining_minutes = excluded.time_remaining_minutes, url = excluded.url,
                description = excluded.description, epic_key = excluded.epic_key, priority = excluded.priority,
                severity = excluded.severity, component = excluded.component, creator_id = excluded.creator_id,
                creator_name = excluded.creator_name, assignee_id = excluded.assignee_id,
                assignee_name = excluded.assignee_name, parent_issue_key = excluded.parent_issue_key,
                deployment_id = excluded.deployment_id, deployment_connection_id = excluded.deployment_connection_id,
                caused_by_deployment = excluded.caused_by_deployment, content_hash = excluded.content_hash,
                updated_at = excluded.updated_at, last_event_id = excluded.last_event_id
            """
        ).run()
    }

    /// Closes an issue (spec §6.3): status `DONE`, resolution date, lead time, updated date.
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown issue; ``CloseRejection`` when the
    ///   resolution would precede creation.
    func close(
        connectionId: Int64, issueKey: String, request: IssueClose, receivedAt: Int64, now: Int64, eventId: Int64?
    ) async throws -> IssueCloseResult {
        guard let stored = try await find(connectionId: connectionId, issueKey: issueKey) else {
            throw StoreError.notFound("issue not found: \(issueKey)")
        }
        var issue = stored.issue
        let wasClosed = issue.status == "DONE" && issue.resolutionDate != nil
        let resolution = request.resolutionDate ?? issue.resolutionDate ?? receivedAt
        if resolution < issue.createdDate {
            throw CloseRejection(resolutionDate: resolution, createdDate: issue.createdDate)
        }
        let originalStatus = request.originalStatus ?? (wasClosed ? issue.originalStatus : "")
        if wasClosed && resolution == issue.resolutionDate && originalStatus == issue.originalStatus {
            return IssueCloseResult(issue: issue, outcome: .unchanged)
        }
        issue.status = "DONE"
        issue.originalStatus = originalStatus
        issue.resolutionDate = resolution
        issue.leadTimeMinutes = Issue.leadTime(createdDate: issue.createdDate, resolutionDate: resolution)
        issue.updatedDate = receivedAt
        try await save(issue, fingerprint: issue.fingerprint, now: now, eventId: eventId)
        try await ChangeLogRepository(db: db).append([.issue(IssueIdentity(issue))], now: now)
        return IssueCloseResult(issue: issue, outcome: wasClosed ? .updated : .closed)
    }

    func find(connectionId: Int64, issueKey: String) async throws -> StoredIssue? {
        try await db.raw(
            "SELECT * FROM issues WHERE connection_id = \(bind: connectionId) AND issue_key = \(bind: issueKey)"
        ).first().map { try StoredIssue(row: $0) }
    }
}

/// The result of a close.
public struct IssueCloseResult: Sendable {
    public var issue: Issue
    public var outcome: WriteOutcome
}

/// A close whose resolution date would precede the issue's creation (400).
public struct CloseRejection: Error, Sendable {
    public var resolutionDate: Int64
    public var createdDate: Int64
}
