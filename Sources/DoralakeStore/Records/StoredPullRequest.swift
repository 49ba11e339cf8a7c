import DoralakeCore
import SQLKit

/// A pull request as read back, with bookkeeping columns.
public struct StoredPullRequest: Sendable {
    public var pullRequest: PullRequest
    public var receivedAt: EpochMilliseconds
    public var updatedAt: EpochMilliseconds
    public var lastEventId: Int64?

    init(row: any SQLRow) throws {
        var pr = PullRequest(
            connectionId: try row.decode(column: "connection_id", as: Int64.self),
            pullRequestKey: try row.decode(column: "pull_request_key", as: Int64.self),
            externalId: try row.decode(column: "external_id", as: String.self),
            displayTitle: try row.decode(column: "display_title", as: String.self),
            createdDate: try row.decode(column: "created_date", as: Int64.self))
        pr.mergedDate = try row.decode(column: "merged_date", as: Int64?.self)
        pr.closedDate = try row.decode(column: "closed_date", as: Int64?.self)
        pr.status = try row.decode(column: "status", as: String.self)
        pr.originalStatus = try row.decode(column: "original_status", as: String.self)
        pr.repoUrl = try row.decode(column: "repo_url", as: String?.self)
        pr.mergeCommitSha = try row.decode(column: "merge_commit_sha", as: String.self)
        pr.baseCommitSha = try row.decode(column: "base_commit_sha", as: String.self)
        pr.headCommitSha = try row.decode(column: "head_commit_sha", as: String.self)
        pr.description = try row.decode(column: "description", as: String.self)
        pr.url = try row.decode(column: "url", as: String.self)
        pr.authorName = try row.decode(column: "author_name", as: String.self)
        pr.authorId = try row.decode(column: "author_id", as: String.self)
        pr.mergedByName = try row.decode(column: "merged_by_name", as: String.self)
        pr.mergedById = try row.decode(column: "merged_by_id", as: String.self)
        pr.parentPrId = try row.decode(column: "parent_pr_id", as: String.self)
        pr.type = try row.decode(column: "type", as: String.self)
        pr.component = try row.decode(column: "component", as: String.self)
        pr.headRef = try row.decode(column: "head_ref", as: String.self)
        pr.baseRef = try row.decode(column: "base_ref", as: String.self)
        pr.headRepoId = try row.decode(column: "head_repo_id", as: String.self)
        pr.baseRepoId = try row.decode(column: "base_repo_id", as: String.self)
        pr.additions = try row.decode(column: "additions", as: Int64.self)
        pr.deletions = try row.decode(column: "deletions", as: Int64.self)
        pr.isDraft = try row.decode(column: "is_draft", as: Int64.self) != 0
        pullRequest = pr
        receivedAt = try row.decode(column: "received_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        lastEventId = try row.decode(column: "last_event_id", as: Int64?.self)
    }
}

/// A commit (extension route) as read back.
public struct StoredCommit: Sendable {
    public var commit: Commit
    public var receivedAt: EpochMilliseconds
    public var updatedAt: EpochMilliseconds
    public var lastEventId: Int64?

    init(row: any SQLRow) throws {
        commit = Commit(
            connectionId: try row.decode(column: "connection_id", as: Int64.self),
            repoUrl: try row.decode(column: "repo_url", as: String.self),
            sha: try row.decode(column: "sha", as: String.self),
            authoredDate: try row.decode(column: "authored_date", as: Int64.self),
            additions: try row.decode(column: "additions", as: Int64.self),
            deletions: try row.decode(column: "deletions", as: Int64.self),
            isMerge: try row.decode(column: "is_merge", as: Int64.self) != 0)
        receivedAt = try row.decode(column: "received_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        lastEventId = try row.decode(column: "last_event_id", as: Int64?.self)
    }
}
