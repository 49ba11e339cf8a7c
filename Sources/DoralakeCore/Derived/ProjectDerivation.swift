import Foundation

/// All derived data of one project (METRICS §2): the previous-successful-deployment chain (§4.2),
/// incident links (§5.1), pull request attribution and times (§5.2) and rework classification (§5.3).
///
/// ``recompute(connectionIds:deployments:incidents:pullRequests:)`` is the full recomputation that
/// the stored derived data must equal after any sequence of writes (the test oracle). Every
/// collection is in a canonical order, so two derivations compare with `==`.
public struct ProjectDerivation: Sendable, Hashable {
    /// `prevSuccessDeploymentCommitId` of every deployment-commit row of the project's connections,
    /// by row id (`""` for the first row of a chain and for rows that are not `SUCCESS`).
    public var previousSuccessIds: [String: String]
    /// One link per incident of the project, ordered by incident identity.
    public var incidentLinks: [IncidentLink]
    /// One entry per merged pull request of the project, ordered by pull request identity.
    public var pullRequests: [PullRequestDerivation]
    /// The rework deployments, ordered by finish, start, identity.
    public var rework: [ReworkClassification]

    /// Creates a derivation from its parts.
    public init(
        previousSuccessIds: [String: String], incidentLinks: [IncidentLink], pullRequests: [PullRequestDerivation],
        rework: [ReworkClassification]
    ) {
        self.previousSuccessIds = previousSuccessIds
        self.incidentLinks = incidentLinks
        self.pullRequests = pullRequests
        self.rework = rework
    }

    /// Recomputes every piece of derived data of one project from its stored entities.
    ///
    /// Entities on connections outside `connectionIds` are ignored, as are issues whose canonical type
    /// is not `INCIDENT` and pull requests without a `mergedDate`, so callers may pass supersets (the
    /// *all* scope passes every connection).
    ///
    /// - Parameters:
    ///   - connectionIds: The project's connections.
    ///   - deployments: Deployments with their commit rows.
    ///   - incidents: Issues; only incidents count.
    ///   - pullRequests: Pull requests.
    /// - Returns: The project's derived data.
    public static func recompute(
        connectionIds: Set<Int64>, deployments: [Deployment], incidents: [Issue], pullRequests: [PullRequest]
    ) -> ProjectDerivation {
        let ownDeployments = deployments.filter { connectionIds.contains($0.connectionId) }
        let ownIncidents = incidents.filter { $0.isIncident && connectionIds.contains($0.connectionId) }
        let production = ProductionDeployment.productionDeployments(of: ownDeployments)
        let linker = IncidentLinker(
            connectionIds: connectionIds, deploymentIdentities: Set(ownDeployments.map(DeploymentIdentity.init)),
            productionDeployments: production)
        return ProjectDerivation(
            previousSuccessIds: PreviousSuccessChain.previousSuccessIds(
                ownDeployments.flatMap(PreviousSuccessChain.rows(of:))),
            incidentLinks: linker.links(for: ownIncidents),
            pullRequests: PullRequestAttributor(connectionIds: connectionIds, deployments: ownDeployments)
                .derivations(for: pullRequests),
            rework: ReworkClassifier.classify(productionDeployments: production, incidents: ownIncidents))
    }
}
