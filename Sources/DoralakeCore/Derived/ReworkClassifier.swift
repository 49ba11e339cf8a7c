import Foundation

/// A production deployment classified as rework, with the reason (METRICS §5.3).
public struct ReworkClassification: Sendable, Hashable {
    /// Why the deployment is rework.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Sent with `isRework: true` or `kind` `HOTFIX` / `ROLLBACK`.
        case flagged
        /// The first production deployment finishing after an incident was created and by its resolution.
        case afterIncident = "after_incident"
    }

    /// The rework deployment.
    public var deployment: DeploymentIdentity
    public var reason: Reason
    /// For `after_incident`: the incident it answers (the earliest created one when several qualify).
    public var incident: IssueIdentity?

    /// Creates a classification from its parts.
    public init(deployment: DeploymentIdentity, reason: Reason, incident: IssueIdentity?) {
        self.deployment = deployment
        self.reason = reason
        self.incident = incident
    }
}

/// Classifies the production deployments of one project as rework (METRICS §5.3).
///
/// - `flagged`: `isRework = true` or `kind ∈ {HOTFIX, ROLLBACK}`.
/// - `after_incident`: for some incident `i` of the project (any incident, `causedByDeployment: false`
///   included), the deployment is the first production deployment with
///   `i.createdDate < finish ≤ i.resolutionDate` (no upper bound while unresolved), in the order finish,
///   start, `(connectionId, id)`; unless it is vetoed (`isRework = false` or `kind = REGULAR`). A vetoed
///   deployment still takes the slot: no later deployment replaces it for that incident.
public enum ReworkClassifier {
    /// The rework deployments among `productionDeployments`, ordered by finish, start, identity.
    ///
    /// - Parameters:
    ///   - productionDeployments: The project's production deployments (§4.1).
    ///   - incidents: The project's incidents (callers pass incidents only; the type is not rechecked).
    /// - Returns: One classification per rework deployment; non-rework deployments are absent.
    ///   `flagged` wins over `after_incident`; when a deployment is first for several incidents, the
    ///   incident with the earliest `createdDate`, then the smallest identity, is recorded.
    public static func classify(productionDeployments: [ProductionDeployment], incidents: [Issue])
        -> [ReworkClassification]
    {
        let ordered = productionDeployments.sorted(by: ProductionDeployment.precedesByFinish)
        var answering: [Int: Issue] = [:]
        for incident in incidents {
            guard let index = firstIndex(in: ordered, finishingAfter: incident.createdDate) else { continue }
            if let resolution = incident.resolutionDate, ordered[index].finish > resolution { continue }
            if let current = answering[index], !precedesByCreation(incident, current) { continue }
            answering[index] = incident
        }
        return ordered.indices.compactMap { index in
            let deployment = ordered[index]
            if deployment.isFlaggedRework {
                return ReworkClassification(deployment: deployment.identity, reason: .flagged, incident: nil)
            }
            guard let incident = answering[index], !deployment.isReworkVetoed else { return nil }
            return ReworkClassification(
                deployment: deployment.identity, reason: .afterIncident, incident: IssueIdentity(incident))
        }
    }

    /// The first production deployment (finish, start, identity order) with `finish > instant`: the
    /// slot of an incident created at `instant`, before checking its resolution date.
    public static func firstFinishing(after instant: EpochMilliseconds, among productionDeployments: [ProductionDeployment])
        -> ProductionDeployment?
    {
        let ordered = productionDeployments.sorted(by: ProductionDeployment.precedesByFinish)
        return firstIndex(in: ordered, finishingAfter: instant).map { ordered[$0] }
    }

    private static func firstIndex(in ordered: [ProductionDeployment], finishingAfter instant: EpochMilliseconds)
        -> Int?
    {
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if ordered[middle].finish <= instant { low = middle + 1 } else { high = middle }
        }
        return low < ordered.count ? low : nil
    }

    private static func precedesByCreation(_ lhs: Issue, _ rhs: Issue) -> Bool {
        if lhs.createdDate != rhs.createdDate { return lhs.createdDate < rhs.createdDate }
        return IssueIdentity(lhs) < IssueIdentity(rhs)
    }
}
