import DoralakeCore
import SQLKit

/// Reads and writes `pull_requests`.
struct PullRequestRepository {
    let db: any SQLDatabase

    /// Creates or replaces a pull request; the first post's `received_at` is kept.
    func upsert(_ pr: PullRequest, now: Int64, eventId: Int64?) async throws -> PullRequestWriteResult {
        let fingerprint = pr.fingerprint
        let existing = try await db.raw(
            "SELECT content_hash, repo_url, merged_date FROM pull_requests WHERE connection_id = \(bind: pr.connectionId) AND pull_request_key = \(bind: pr.pullRequestKey)"
        ).first()
        var previousRepoUrl: String? = nil
        if let existing {
            if try existing.decode(column: "content_hash", as: String.self) == fingerprint {
                return PullRequestWriteResult(outcome: .unchanged, previousRepoUrl: nil)
            }
            previousRepoUrl = try existing.decode(column: "repo_url", as: String?.self)
        }
        try await db.raw(
            """
            INSERT INTO pull_requests (connection_id, pull_request_key, external_id, display_title, created_date,
                merged_date, closed_date, status, original_status, repo_url, merge_commit_sha, base_commit_sha,
                head_commit_sha, description, url, author_name, author_id, merged_by_name, merged_by_id, parent_pr_id,
                type, component, head_ref, base_ref, head_repo_id, base_repo_id, additions, deletions, is_draft,
                content_hash, received_at, updated_at, last_event_id, repo_key, merge_sha_key)
            VALUES (\(bind: pr.connectionId), \(bind: pr.pullRequestKey), \(bind: pr.externalId),
                \(bind: pr.displayTitle), \(bind: pr.createdDate), \(bind: pr.mergedDate), \(bind: pr.closedDate),
                \(bind: pr.status), \(bind: pr.originalStatus), \(bind: pr.repoUrl), \(bind: pr.mergeCommitSha),
                \(bind: pr.baseCommitSha), \(bind: pr.headCommitSha), \(bind: pr.description), \(bind: pr.url),
                \(bind: pr.authorName), \(bind: pr.authorId), \(bind: pr.mergedByName), \(bind: pr.mergedById),
                \(bind: pr.parentPrId), \(bind: pr.type), \(bind: pr.component), \(bind: pr.headRef),
                \(bind: pr.baseRef), \(bind: pr.headRepoId), \(bind: pr.baseRepoId), \(bind: pr.additions),
                \(bind: pr.deletions), \(bind: pr.isDraft ? Int64(1) : Int64(0)), \(bind: fingerprint), \(bind: now),
                \(bind: now), \(bind: eventId), \(bind: ProductionIndexRepository.repoKey(pr.repoUrl)),
                \(bind: pr.mergeCommitSha.lowercased()))
            ON CONFLICT (connection_id, pull_request_key) DO UPDATE SET external_id = excluded.external_id,
                display_title = excluded.display_title, created_date = excluded.created_date,
                merged_date = excluded.merged_date, closed_date = excluded.closed_date, status = excluded.status,
                original_status = excluded.original_status, repo_url = excluded.repo_url,
                merge_commit_sha = excluded.merge_commit_sha, base_commit_sha = excluded.base_commit_sha,
                head_commit_sha = excluded.head_commit_sha, description = excluded.description, url = excluded.url,
                author_name = excluded.author_name, author_id = excluded.author_id,
                merged_by_name = excluded.merged_by_name, merged_by_id = excluded.merged_by_id,
                parent_pr_id = excluded.parent_pr_id, type = excluded.type, component = excluded.component,
                head_ref = excluded.head_ref, base_ref = excluded.base_ref, head_repo_id = excluded.head_repo_id,
                base_repo_id = excluded.base_repo_id, additions = excluded.additions, deletions = excluded.deletions,
                is_draft = excluded.is_draft, content_hash = excluded.content_hash, updated_at = excluded.updated_at,
                last_event_id = excluded.last_event_id, repo_key = excluded.repo_key,
                merge_sha_key = excluded.merge_sha_key
            """
        ).run()
        // Every change is logged, merged or not: with several writers the `existing` read above may
        // predate a concurrent commit, so "was it merged before" is the deriver's to decide.
        try await ChangeLogRepository(db: db).append([.pullRequest(PullRequestIdentity(pr))], now: now)
        return PullRequestWriteResult(outcome: existing == nil ? .created : .updated, previousRepoUrl: previousRepoUrl)
    }

    func find(connectionId: Int64, pullRequestKey: Int64) async throws -> StoredPullRequest? {
        try await db.raw(
            "SELECT * FROM pull_requests WHERE connection_id = \(bind: connectionId) AND pull_request_key = \(bind: pullRequestKey)"
        ).first().map { try StoredPullRequest(row: $0) }
    }
}

/// The result of writing a pull request.
public struct PullRequestWriteResult: Sendable {
    public var outcome: WriteOutcome
    /// The repo the key pointed at before an update (for the `pull_request_repo_changed` warning).
    public var previousRepoUrl: String?
}
