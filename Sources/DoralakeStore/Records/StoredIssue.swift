import DoralakeCore
import SQLKit

/// An issue as read back, with bookkeeping columns.
public struct StoredIssue: Sendable {
    public var issue: Issue
    public var receivedAt: EpochMilliseconds
    public var updatedAt: EpochMilliseconds
    public var lastEventId: Int64?

    init(row: any SQLRow) throws {
        var issue = Issue(
            connectionId: try row.decode(column: "connection_id", as: Int64.self),
            issueKey: try row.decode(column: "issue_key", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            createdDate: try row.decode(column: "created_date", as: Int64.self))
        issue.originalStatus = try row.decode(column: "original_status", as: String.self)
        issue.type = try row.decode(column: "type", as: String.self)
        issue.originalType = try row.decode(column: "original_type", as: String.self)
        issue.resolutionDate = try row.decode(column: "resolution_date", as: Int64?.self)
        issue.updatedDate = try row.decode(column: "updated_date", as: Int64?.self)
        issue.storyPoint = try row.decode(column: "story_point", as: Double?.self)
        issue.leadTimeMinutes = try row.decode(column: "lead_time_minutes", as: Int64?.self)
        issue.originalEstimateMinutes = try row.decode(column: "original_estimate_minutes", as: Int64.self)
        issue.timeSpentMinutes = try row.decode(column: "time_spent_minutes", as: Int64.self)
        issue.timeRemainingMinutes = try row.decode(column: "time_remaining_minutes", as: Int64.self)
        issue.url = try row.decode(column: "url", as: String.self)
        issue.description = try row.decode(column: "description", as: String.self)
        issue.epicKey = try row.decode(column: "epic_key", as: String.self)
        issue.priority = try row.decode(column: "priority", as: String.self)
        issue.severity = try row.decode(column: "severity", as: String.self)
        issue.component = try row.decode(column: "component", as: String.self)
        issue.creatorId = try row.decode(column: "creator_id", as: String.self)
        issue.creatorName = try row.decode(column: "creator_name", as: String.self)
        issue.assigneeId = try row.decode(column: "assignee_id", as: String.self)
        issue.assigneeName = try row.decode(column: "assignee_name", as: String.self)
        issue.parentIssueKey = try row.decode(column: "parent_issue_key", as: String.self)
        issue.deploymentId = try row.decode(column: "deployment_id", as: String?.self)
        issue.deploymentConnectionId = try row.decode(column: "deployment_connection_id", as: Int64?.self)
        issue.causedByDeployment = try row.decode(column: "caused_by_deployment", as: Int64?.self).map { $0 != 0 }
        self.issue = issue
        receivedAt = try row.decode(column: "received_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        lastEventId = try row.decode(column: "last_event_id", as: Int64?.self)
    }
}
