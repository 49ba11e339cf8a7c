import DoralakeCore
import SQLKit

/// Reads and writes `commits` (the extension route's lines-of-code data).
struct CommitRepository {
    let db: any SQLDatabase

    /// Creates or replaces commits, all in the caller's transaction.
    func upsert(_ commits: [Commit], now: Int64, eventId: Int64?) async throws -> CommitWriteResult {
        var result = CommitWriteResult()
        for commit in commits {
            let fingerprint = commit.fingerprint
            let existing = try await db.raw(
                "SELECT content_hash FROM commits WHERE connection_id = \(bind: commit.connectionId) AND repo_url = \(bind: commit.repoUrl) AND sha = \(bind: commit.sha)"
            ).first()
            result.commitIds.append(commit.devLakeId)
            if let existing {
                if try existing.decode(column: "content_hash", as: String.self) == fingerprint {
                    result.unchanged += 1
                    continue
                }
                result.updated += 1
            } else {
                result.created += 1
            }
            try await db.raw(
                """
                INSERT INTO commits (connection_id, repo_url, sha, authored_date, additions, deletions, is_merge,
                    content_hash, received_at, updated_at, last_event_id)
                VALUES (\(bind: commit.connectionId), \(bind: commit.repoUrl), \(bind: commit.sha),
                    \(bind: commit.authoredDate), \(bind: commit.additions), \(bind: commit.deletions),
                    \(bind: commit.isMerge ? Int64(1) : Int64(0)), \(bind: fingerprint), \(bind: now), \(bind: now),
                    \(bind: eventId))
                ON CONFLICT (connection_id, repo_url, sha) DO UPDATE SET authored_date = excluded.authored_date,
                    additions = excluded.additions, deletions = excluded.deletions, is_merge = excluded.is_merge,
                    content_hash = excluded.content_hash, updated_at = excluded.updated_at,
                    last_event_id = excluded.last_event_id
                """
            ).run()
        }
        return result
    }

    func find(connectionId: Int64, repoUrl: String, sha: String) async throws -> StoredCommit? {
        try await db.raw(
            "SELECT * FROM commits WHERE connection_id = \(bind: connectionId) AND repo_url = \(bind: repoUrl) AND sha = \(bind: sha)"
        ).first().map { try StoredCommit(row: $0) }
    }
}

/// The result of writing commits.
public struct CommitWriteResult: Sendable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var commitIds: [String] = []
}
