/// A commit with line counts (extension route, spec §8.1): identity `(connectionId, repoUrl, sha)`.
public struct Commit: Sendable, Equatable {
    public var connectionId: Int64
    public var repoUrl: String
    public var sha: String
    public var authoredDate: EpochMilliseconds
    public var additions: Int64
    public var deletions: Int64
    /// Merge commits are not counted as lines of code.
    public var isMerge: Bool

    public init(
        connectionId: Int64, repoUrl: String, sha: String, authoredDate: EpochMilliseconds, additions: Int64 = 0,
        deletions: Int64 = 0, isMerge: Bool = false
    ) {
        self.connectionId = connectionId
        self.repoUrl = repoUrl
        self.sha = sha
        self.authoredDate = authoredDate
        self.additions = additions
        self.deletions = deletions
        self.isMerge = isMerge
    }

    /// The DevLake-format id `webhook:{c}:{h}:{sha}`.
    public var devLakeId: String { DevLakeID.commit(connectionId: connectionId, repoUrl: repoUrl, sha: sha) }
}
