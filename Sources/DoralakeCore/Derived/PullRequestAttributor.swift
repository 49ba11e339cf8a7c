import Foundation

/// A production deployment row that a pull request can be attributed to (METRICS §5.2).
public struct AttributionCandidate: Sendable, Hashable {
    /// The row's id.
    public var rowId: String
    /// The row's deployment.
    public var deployment: DeploymentIdentity
    /// Repository URL as sent.
    public var repoUrl: String
    public var commitSha: String
    /// Extension: the commits this deployment shipped for this repo.
    public var includedCommitShas: [String]
    public var startedDate: EpochMilliseconds
    public var finishedDate: EpochMilliseconds

    /// Creates a candidate from its parts.
    public init(
        rowId: String, deployment: DeploymentIdentity, repoUrl: String, commitSha: String,
        includedCommitShas: [String], startedDate: EpochMilliseconds, finishedDate: EpochMilliseconds
    ) {
        self.rowId = rowId
        self.deployment = deployment
        self.repoUrl = repoUrl
        self.commitSha = commitSha
        self.includedCommitShas = includedCommitShas
        self.startedDate = startedDate
        self.finishedDate = finishedDate
    }

    /// The production deployment rows (`SUCCESS` + `PRODUCTION`) of `deployment`.
    public static func candidates(of deployment: Deployment) -> [AttributionCandidate] {
        deployment.commits.compactMap { row in
            guard ProductionDeployment.isProductionRow(result: row.result, environment: deployment.environment)
            else { return nil }
            return AttributionCandidate(
                rowId: deployment.commitId(row), deployment: DeploymentIdentity(deployment), repoUrl: row.repoUrl,
                commitSha: row.commitSha, includedCommitShas: row.includedCommitShas, startedDate: row.startedDate,
                finishedDate: row.finishedDate)
        }
    }

    /// The order within a rule: earliest `startedDate`, then smallest row id (byte order).
    public static func precedesByStart(_ lhs: Self, _ rhs: Self) -> Bool {
        if lhs.startedDate != rhs.startedDate { return lhs.startedDate < rhs.startedDate }
        return ByteOrder.precedes(lhs.rowId, rhs.rowId)
    }
}

/// The stored attribution of a merged pull request to a deployment row (METRICS §5.2).
public struct PullRequestAttribution: Sendable, Hashable {
    /// The rule that found the row.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        /// `row.commitSha` equals the merge commit sha (case-insensitive).
        case mergeSha = "merge_sha"
        /// `row.includedCommitShas` contains the merge commit sha (case-insensitive).
        case includedSha = "included_sha"
        /// Same normalized repository and the row started at or after the merge.
        case time
    }

    public var rule: Rule
    /// The attributed row's id.
    public var rowId: String
    /// The attributed row's deployment.
    public var deployment: DeploymentIdentity
    /// The attributed row's own `finishedDate`.
    public var deployedDate: EpochMilliseconds

    /// Creates an attribution from its parts.
    public init(rule: Rule, rowId: String, deployment: DeploymentIdentity, deployedDate: EpochMilliseconds) {
        self.rule = rule
        self.rowId = rowId
        self.deployment = deployment
        self.deployedDate = deployedDate
    }
}

/// The times of a merged pull request, in minutes (METRICS §5.2).
public struct PullRequestTimes: Sendable, Hashable {
    /// First commit authored → created; always absent for webhook data (no PR commits).
    public var codingTime: Int64?
    /// Created → first review comment; always absent for webhook data (no comments).
    public var pickupTime: Int64?
    /// First review comment → merged; always absent for webhook data (no comments).
    public var reviewTime: Int64?
    /// `span(createdDate, mergedDate)`.
    public var createdToMerged: Int64?
    /// `span(mergedDate, deployedDate)`; absent when not attributed or negative.
    public var deployTime: Int64?
    /// `(codingTime ?? 0) + (createdToMerged ?? 0) + (deployTime ?? 0)`.
    public var cycleTime: Int64

    /// Creates times from their parts.
    public init(
        codingTime: Int64? = nil, pickupTime: Int64? = nil, reviewTime: Int64? = nil, createdToMerged: Int64?,
        deployTime: Int64?, cycleTime: Int64
    ) {
        self.codingTime = codingTime
        self.pickupTime = pickupTime
        self.reviewTime = reviewTime
        self.createdToMerged = createdToMerged
        self.deployTime = deployTime
        self.cycleTime = cycleTime
    }
}

/// Everything derived for one merged pull request of a project.
public struct PullRequestDerivation: Sendable, Hashable {
    public var pullRequest: PullRequestIdentity
    /// The deployment row the pull request shipped with, if any.
    public var attribution: PullRequestAttribution?
    public var times: PullRequestTimes

    /// Creates a derivation from its parts.
    public init(pullRequest: PullRequestIdentity, attribution: PullRequestAttribution?, times: PullRequestTimes) {
        self.pullRequest = pullRequest
        self.attribution = attribution
        self.times = times
    }
}

/// Attributes merged pull requests of one project to its production deployment rows (METRICS §5.2).
///
/// Rules, first that yields wins; within a rule the row with the earliest `startedDate`, then the
/// smallest row id (byte order):
/// 1. `merge_sha`: `row.commitSha` equals `pr.mergeCommitSha`, case-insensitively;
/// 2. `included_sha`: `row.includedCommitShas` contains `pr.mergeCommitSha` (also case-insensitively);
/// 3. `time`: `RepoURL.normalize(row.repoUrl) == RepoURL.normalize(pr.repoUrl)` and
///    `row.startedDate ≥ pr.mergedDate`.
/// Rules 1–2 are skipped when `mergeCommitSha` is empty, rule 3 when the PR has no repo.
public struct PullRequestAttributor: Sendable {
    /// The project's connections.
    public let connectionIds: Set<Int64>
    private let byCommitSha: [String: AttributionCandidate]
    private let byIncludedSha: [String: AttributionCandidate]
    /// Per normalized repo, candidates ordered by `precedesByStart`.
    private let byRepo: [String: [AttributionCandidate]]

    /// An attributor over the production rows of a project's deployments.
    ///
    /// - Parameters:
    ///   - connectionIds: The project's connections.
    ///   - deployments: Deployments with their rows; those on other connections are ignored.
    public init(connectionIds: Set<Int64>, deployments: [Deployment]) {
        self.init(
            connectionIds: connectionIds,
            candidates: deployments.filter { connectionIds.contains($0.connectionId) }
                .flatMap(AttributionCandidate.candidates(of:)))
    }

    /// An attributor over precomputed candidate rows; those on other connections are ignored.
    public init(connectionIds: Set<Int64>, candidates: [AttributionCandidate]) {
        self.connectionIds = connectionIds
        var byCommitSha: [String: AttributionCandidate] = [:]
        var byIncludedSha: [String: AttributionCandidate] = [:]
        var byRepo: [String: [AttributionCandidate]] = [:]
        func keepEarliest(_ candidate: AttributionCandidate, in index: inout [String: AttributionCandidate], key: String) {
            if let current = index[key], !AttributionCandidate.precedesByStart(candidate, current) { return }
            index[key] = candidate
        }
        for candidate in candidates where connectionIds.contains(candidate.deployment.connectionId) {
            if !candidate.commitSha.isEmpty {
                keepEarliest(candidate, in: &byCommitSha, key: candidate.commitSha.lowercased())
            }
            for sha in Set(candidate.includedCommitShas.map { $0.lowercased() }) where !sha.isEmpty {
                keepEarliest(candidate, in: &byIncludedSha, key: sha)
            }
            byRepo[RepoURL.normalize(candidate.repoUrl), default: []].append(candidate)
        }
        self.byCommitSha = byCommitSha
        self.byIncludedSha = byIncludedSha
        self.byRepo = byRepo.mapValues { $0.sorted(by: AttributionCandidate.precedesByStart) }
    }

    /// The attribution of `pullRequest`, or nil when it is not merged or no rule yields a row.
    public func attribution(for pullRequest: PullRequest) -> PullRequestAttribution? {
        guard let mergedDate = pullRequest.mergedDate else { return nil }
        let sha = pullRequest.mergeCommitSha.lowercased()
        if !sha.isEmpty {
            if let row = byCommitSha[sha] { return Self.attribution(.mergeSha, row) }
            if let row = byIncludedSha[sha] { return Self.attribution(.includedSha, row) }
        }
        guard let repo = pullRequest.repoUrl, !repo.trimmingWhitespace().isEmpty,
            let rows = byRepo[RepoURL.normalize(repo)]
        else { return nil }
        // First row (in start order) that started at or after the merge.
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].startedDate < mergedDate { low = middle + 1 } else { high = middle }
        }
        return low < rows.count ? Self.attribution(.time, rows[low]) : nil
    }

    /// The attribution and times of `pullRequest`, or nil when it is not merged.
    public func derivation(for pullRequest: PullRequest) -> PullRequestDerivation? {
        guard let mergedDate = pullRequest.mergedDate else { return nil }
        let attribution = attribution(for: pullRequest)
        return PullRequestDerivation(
            pullRequest: PullRequestIdentity(pullRequest), attribution: attribution,
            times: Self.times(
                createdDate: pullRequest.createdDate, mergedDate: mergedDate, deployedDate: attribution?.deployedDate))
    }

    /// The derivations of the eligible pull requests among `pullRequests` (merged, on a connection of
    /// the project), ordered by pull request identity.
    public func derivations(for pullRequests: [PullRequest]) -> [PullRequestDerivation] {
        pullRequests.filter { connectionIds.contains($0.connectionId) }.compactMap(derivation(for:))
            .sorted { $0.pullRequest < $1.pullRequest }
    }

    /// The times of a merged pull request from webhook data (no commits, no review comments).
    ///
    /// - Parameters:
    ///   - createdDate: The PR's `createdDate`.
    ///   - mergedDate: The PR's `mergedDate`.
    ///   - deployedDate: The attributed row's `finishedDate`, nil when not attributed.
    public static func times(
        createdDate: EpochMilliseconds, mergedDate: EpochMilliseconds, deployedDate: EpochMilliseconds?
    ) -> PullRequestTimes {
        let createdToMerged = span(from: createdDate, to: mergedDate)
        let deployTime = deployedDate.flatMap { span(from: mergedDate, to: $0) }
        return PullRequestTimes(
            createdToMerged: createdToMerged, deployTime: deployTime,
            cycleTime: (createdToMerged ?? 0) + (deployTime ?? 0))
    }

    /// `span(a, b)`: the ceiling of `b − a` in minutes; nil when either is absent or the result is
    /// negative (`−30 s` gives `ceil(−0.5) = 0`, kept).
    public static func span(from start: EpochMilliseconds?, to end: EpochMilliseconds?) -> Int64? {
        guard let start, let end else { return nil }
        let millis = end - start
        // Integer division truncates toward zero, which is the ceiling for negative values.
        let minutes = millis > 0 ? (millis + 59_999) / 60_000 : millis / 60_000
        return minutes >= 0 ? minutes : nil
    }

    private static func attribution(_ rule: PullRequestAttribution.Rule, _ row: AttributionCandidate)
        -> PullRequestAttribution
    {
        PullRequestAttribution(rule: rule, rowId: row.rowId, deployment: row.deployment, deployedDate: row.finishedDate)
    }
}
