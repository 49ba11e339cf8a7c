import Crypto

/// DevLake's id formats (spec §12), so exports and joins match DevLake.
public enum DevLakeID {
    /// The first 16 characters of the lowercase hex MD5 of `repoUrl` exactly as sent.
    public static func repoHash(_ repoUrl: String) -> String {
        let digest = Insecure.MD5.hash(data: Array(repoUrl.utf8))
        return String(Hex.encode(digest).prefix(16))
    }

    /// `webhook:{c}`: the scope (board, CI/CD scope, repo) of a connection.
    public static func scope(connectionId: Int64) -> String { "webhook:\(connectionId)" }

    /// `webhook:{c}:{deploymentId}:{h}:{commitSha}`.
    public static func deploymentCommit(connectionId: Int64, deploymentId: String, repoUrl: String, commitSha: String)
        -> String
    {
        "webhook:\(connectionId):\(deploymentId):\(repoHash(repoUrl)):\(commitSha)"
    }

    /// `webhook:{c}:{issueKey}`.
    public static func issue(connectionId: Int64, issueKey: String) -> String { "webhook:\(connectionId):\(issueKey)" }

    /// `webhook:{c}:{pullRequestKey}`.
    public static func pullRequest(connectionId: Int64, pullRequestKey: Int64) -> String {
        "webhook:\(connectionId):\(pullRequestKey)"
    }

    /// `webhook:{c}:{h}:{sha}`.
    public static func commit(connectionId: Int64, repoUrl: String, sha: String) -> String {
        "webhook:\(connectionId):\(repoHash(repoUrl)):\(sha)"
    }
}
