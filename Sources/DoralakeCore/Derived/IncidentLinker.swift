import Foundation

/// The stored link of one incident in one project (METRICS §5.1).
public struct IncidentLink: Sendable, Hashable {
    /// Why the incident is, or is not, linked to a deployment.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Linked by the time rule: the latest production deployment finished strictly before creation.
        case time
        /// Linked by the incident's `deploymentId` to a deployment of the project.
        case explicit
        /// The incident names a deployment that no connection of the project holds (yet).
        case explicitUnresolved = "explicit_unresolved"
        /// No production deployment of the project finished before the incident was created.
        case noPriorDeployment = "no_prior_deployment"
        /// The incident was sent with `causedByDeployment: false`.
        case notCausedByDeployment = "not_caused_by_deployment"
    }

    /// The incident.
    public var incident: IssueIdentity
    /// The rule that decided the link.
    public var reason: Reason
    /// The linked deployment; non-nil exactly for `time` and `explicit`.
    public var deployment: DeploymentIdentity?

    /// Creates a link record.
    public init(incident: IssueIdentity, reason: Reason, deployment: DeploymentIdentity?) {
        self.incident = incident
        self.reason = reason
        self.deployment = deployment
    }
}

/// Links the incidents of one project to its deployments (METRICS §5.1).
///
/// Build one linker per project from the project's connection ids and deployments, then ask it for
/// the link of each incident. Rules, first match wins:
/// 1. `causedByDeployment = false` → `not_caused_by_deployment`.
/// 2. `deploymentId` set (non-empty) → the deployment `(deploymentConnectionId ?? connectionId, deploymentId)` if
///    it exists on a connection of the project (any deployment, production or not) → `explicit`;
///    otherwise `explicit_unresolved` (no time fallback).
/// 3. The production deployment with the latest finish strictly before `createdDate`; ties → latest
///    start, then greatest `connectionId`, then greatest `id` in byte order → `time`; none →
///    `no_prior_deployment`.
public struct IncidentLinker: Sendable {
    /// The project's connections.
    public let connectionIds: Set<Int64>
    private let existing: Set<DeploymentIdentity>
    /// Production deployments of the project ordered by finish, start, `(connectionId, id)` ascending.
    private let ordered: [ProductionDeployment]

    /// A linker over the deployments of one project.
    ///
    /// - Parameters:
    ///   - connectionIds: The project's connections.
    ///   - deployments: Deployments with their rows; those on other connections are ignored.
    public init(connectionIds: Set<Int64>, deployments: [Deployment]) {
        let own = deployments.filter { connectionIds.contains($0.connectionId) }
        self.init(
            connectionIds: connectionIds, deploymentIdentities: Set(own.map(DeploymentIdentity.init)),
            productionDeployments: ProductionDeployment.productionDeployments(of: own))
    }

    /// A linker from precomputed views (for callers that load identities and production views only).
    ///
    /// - Parameters:
    ///   - connectionIds: The project's connections.
    ///   - deploymentIdentities: Every deployment that exists (any environment or result); those on
    ///     other connections are ignored.
    ///   - productionDeployments: The production deployments (§4.1); those on other connections are ignored.
    public init(
        connectionIds: Set<Int64>, deploymentIdentities: Set<DeploymentIdentity>,
        productionDeployments: [ProductionDeployment]
    ) {
        self.connectionIds = connectionIds
        self.existing = deploymentIdentities.filter { connectionIds.contains($0.connectionId) }
        self.ordered = productionDeployments.filter { connectionIds.contains($0.identity.connectionId) }
            .sorted(by: ProductionDeployment.precedesByFinish)
    }

    /// Whether `issue` is an incident of the project: canonical type `INCIDENT` on one of its connections.
    public func isIncidentOfProject(_ issue: Issue) -> Bool {
        issue.isIncident && connectionIds.contains(issue.connectionId)
    }

    /// The link of one incident (the caller decides that it is an incident of the project).
    public func link(_ incident: Issue) -> IncidentLink {
        let identity = IssueIdentity(incident)
        if incident.causedByDeployment == false {
            return IncidentLink(incident: identity, reason: .notCausedByDeployment, deployment: nil)
        }
        if let deploymentId = incident.deploymentId, !deploymentId.isEmpty {
            let target = DeploymentIdentity(
                connectionId: incident.deploymentConnectionId ?? incident.connectionId, id: deploymentId)
            return existing.contains(target)
                ? IncidentLink(incident: identity, reason: .explicit, deployment: target)
                : IncidentLink(incident: identity, reason: .explicitUnresolved, deployment: nil)
        }
        guard let deployment = latestFinished(before: incident.createdDate) else {
            return IncidentLink(incident: identity, reason: .noPriorDeployment, deployment: nil)
        }
        return IncidentLink(incident: identity, reason: .time, deployment: deployment.identity)
    }

    /// One link per incident of the project among `issues` (other issues are skipped), ordered by incident.
    public func links(for issues: [Issue]) -> [IncidentLink] {
        issues.filter(isIncidentOfProject).map(link).sorted { $0.incident < $1.incident }
    }

    /// The time rule: the production deployment with the latest finish strictly before `instant`,
    /// ties broken by latest start, greatest `connectionId`, greatest `id` (byte order).
    public func latestFinished(before instant: EpochMilliseconds) -> ProductionDeployment? {
        // First index whose finish is not before `instant`; the element before it is the latest
        // of the ascending (finish, start, connectionId, id) order, which is exactly the tie-break.
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if ordered[middle].finish < instant { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : ordered[low - 1]
    }
}
