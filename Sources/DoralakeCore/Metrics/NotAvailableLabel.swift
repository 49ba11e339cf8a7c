/// DevLake's "N/A" texts, returned as `label` with `status: insufficient_data` (§6.1–§6.6).
public enum NotAvailableLabel {
    /// Deployment frequency, and deployment rework rate with no production deployment in range.
    public static let deployments = "N/A. Please check if you have collected deployments."
    /// Lead time for changes with an empty sample.
    public static let deploymentsOrPullRequests = "N/A. Please check if you have collected deployments/pull_requests."
    /// Change failure rate when the project has never received an incident; time to restore
    /// service with an empty sample.
    public static let incidents = "N/A. Please check if you have collected incidents."
    /// Change failure rate with neither production deployments in range nor any incident.
    public static let deploymentsAndIncidents = "N/A. Please check if you have collected deployments/incidents."
    /// Failed deployment recovery time with an empty sample.
    public static let deploymentsOrIncidents = "N/A. Please check if you have collected deployments or incidents."

    /// §6.1: the project has no production deployment at all.
    public static let deploymentFrequency = deployments
    /// §6.2: no attributed pull request deployed in range.
    public static let leadTimeForChanges = deploymentsOrPullRequests
    /// §6.4: no recovery time in the sample.
    public static let failedDeploymentRecoveryTime = deploymentsOrIncidents
    /// §6.5: no incident resolved in range.
    public static let timeToRestoreService = incidents
    /// §6.6: no production deployment in range.
    public static let deploymentReworkRate = deployments

    /// §6.3: the label for a change failure rate that cannot be computed.
    ///
    /// - Parameters:
    ///   - hasDeploymentsInRange: Whether the project has a production deployment in range.
    ///   - hasIncidents: Whether the project has ever received an incident.
    /// - Returns: The matching text, or `nil` when both are present (the rate can be computed).
    public static func changeFailureRate(hasDeploymentsInRange: Bool, hasIncidents: Bool) -> String? {
        switch (hasDeploymentsInRange, hasIncidents) {
        case (true, true): return nil
        case (false, true): return deployments
        case (true, false): return incidents
        case (false, false): return deploymentsAndIncidents
        }
    }
}
