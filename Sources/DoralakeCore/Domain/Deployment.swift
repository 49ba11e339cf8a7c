/// A deployment as stored: identity `(connectionId, id)`, with its commit rows (spec §5).
public struct Deployment: Sendable, Equatable {
    public var connectionId: Int64
    public var id: String
    public var name: String
    public var displayTitle: String
    public var result: String
    public var originalResult: String
    public var status: String
    public var originalStatus: String
    public var environment: String
    public var originalEnvironment: String
    /// Extension: `HOTFIX`, `ROLLBACK` or `REGULAR`.
    public var kind: String?
    /// Extension: explicit rework flag.
    public var isRework: Bool?
    public var createdDate: EpochMilliseconds
    public var startedDate: EpochMilliseconds
    public var finishedDate: EpochMilliseconds
    public var commits: [DeploymentCommit]

    public init(
        connectionId: Int64, id: String, name: String, displayTitle: String, result: String, originalResult: String,
        status: String, originalStatus: String, environment: String, originalEnvironment: String, kind: String?,
        isRework: Bool?, createdDate: EpochMilliseconds, startedDate: EpochMilliseconds,
        finishedDate: EpochMilliseconds, commits: [DeploymentCommit]
    ) {
        self.connectionId = connectionId
        self.id = id
        self.name = name
        self.displayTitle = displayTitle
        self.result = result
        self.originalResult = originalResult
        self.status = status
        self.originalStatus = originalStatus
        self.environment = environment
        self.originalEnvironment = originalEnvironment
        self.kind = kind
        self.isRework = isRework
        self.createdDate = createdDate
        self.startedDate = startedDate
        self.finishedDate = finishedDate
        self.commits = commits
    }

    /// `finishedDate − startedDate`, in milliseconds.
    public var durationMillis: Int64 { finishedDate - startedDate }

    /// The DevLake-format id of one of this deployment's commit rows (spec §12).
    public func commitId(_ commit: DeploymentCommit) -> String {
        DevLakeID.deploymentCommit(
            connectionId: connectionId, deploymentId: id, repoUrl: commit.repoUrl, commitSha: commit.commitSha)
    }
}

/// One row of a deployment: a repository and the commit deployed from it.
public struct DeploymentCommit: Sendable, Equatable {
    public var repoUrl: String
    public var commitSha: String
    public var name: String
    public var displayTitle: String
    public var result: String
    public var originalResult: String
    public var status: String
    public var originalStatus: String
    public var repoId: String
    public var refName: String
    public var commitMsg: String
    public var createdDate: EpochMilliseconds
    public var startedDate: EpochMilliseconds
    public var finishedDate: EpochMilliseconds
    /// Extension: the commits this deployment shipped for this repo.
    public var includedCommitShas: [String]

    public init(
        repoUrl: String, commitSha: String, name: String, displayTitle: String, result: String,
        originalResult: String, status: String, originalStatus: String, repoId: String, refName: String,
        commitMsg: String, createdDate: EpochMilliseconds, startedDate: EpochMilliseconds,
        finishedDate: EpochMilliseconds, includedCommitShas: [String]
    ) {
        self.repoUrl = repoUrl
        self.commitSha = commitSha
        self.name = name
        self.displayTitle = displayTitle
        self.result = result
        self.originalResult = originalResult
        self.status = status
        self.originalStatus = originalStatus
        self.repoId = repoId
        self.refName = refName
        self.commitMsg = commitMsg
        self.createdDate = createdDate
        self.startedDate = startedDate
        self.finishedDate = finishedDate
        self.includedCommitShas = includedCommitShas
    }

    /// `finishedDate − startedDate`, in milliseconds.
    public var durationMillis: Int64 { finishedDate - startedDate }
}
