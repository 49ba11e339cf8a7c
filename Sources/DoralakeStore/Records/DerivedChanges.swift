import DoralakeCore

/// What writes changed that derived data depends on, merged by a derivation round from the
/// change log (``DerivationRound``) and applied by ``DerivedDataMaintenance``.
struct DerivedChanges: Sendable {
    /// Written deployments, each with the finishes its production view had before the writes
    /// (empty when it was not a production deployment).
    var deployments: [DeploymentIdentity: Set<EpochMilliseconds>] = [:]
    /// Written issues (incident or not: a re-typed incident must leave the derived data).
    var issues: Set<IssueIdentity> = []
    /// Written pull requests.
    var pullRequests: Set<PullRequestIdentity> = []

    var isEmpty: Bool { deployments.isEmpty && issues.isEmpty && pullRequests.isEmpty }

    /// The connections the changes are on.
    var connectionIds: Set<Int64> {
        Set(deployments.keys.map(\.connectionId)).union(issues.map(\.connectionId))
            .union(pullRequests.map(\.connectionId))
    }

    /// Adds `other`'s changes (the first recorded old finishes are kept together with later ones).
    mutating func merge(_ other: DerivedChanges) {
        deployments.merge(other.deployments) { $0.union($1) }
        issues.formUnion(other.issues)
        pullRequests.formUnion(other.pullRequests)
    }
}
