import DoralakeCore

/// An incident's link to a deployment in one project (METRICS.md §5.1).
public struct IncidentLinkRecord: Sendable, Equatable {
    public var project: String
    public var deploymentConnectionId: Int64?
    public var deploymentId: String?
    /// `time`, `explicit`, `explicit_unresolved`, `no_prior_deployment` or `not_caused_by_deployment`.
    public var reason: String
}

/// What one project derived for one deployment: linked incidents, attributed pull requests, rework.
public struct DeploymentProjectRecord: Sendable, Equatable {
    public var project: String
    /// DevLake-format ids of the incidents linked to the deployment.
    public var incidentIds: [String]
    /// DevLake-format ids of the pull requests attributed to the deployment.
    public var pullRequestIds: [String]
    /// The rework reason (`flagged`, `after_incident`), nil when not rework.
    public var reworkReason: String?
    /// The incident behind an `after_incident` classification.
    public var reworkIncidentId: String?
}

/// A pull request's attribution and times in one project (METRICS.md §5.2).
public struct PullRequestProjectRecord: Sendable, Equatable {
    public var project: String
    public var rule: String?
    public var rowId: String?
    public var deploymentConnectionId: Int64?
    public var deploymentId: String?
    public var deployedDate: EpochMilliseconds?
    public var createdToMerged: Int64?
    public var deployTime: Int64?
    public var cycleTime: Int64
}
