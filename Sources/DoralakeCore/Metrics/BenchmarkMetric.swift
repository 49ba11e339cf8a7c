/// The metrics that DORA reports benchmark, named by their metrics API keys (§9).
public enum BenchmarkMetric: String, CaseIterable, Sendable {
    /// Deployment frequency (§6.1).
    case deploymentFrequency
    /// Lead time for changes (§6.2).
    case leadTimeForChanges
    /// Change failure rate (§6.3).
    case changeFailureRate
    /// Failed deployment recovery time (§6.4), the fourth key from 2023.
    case failedDeploymentRecoveryTime
    /// Time to restore service (§6.5), the fourth key of 2021.
    case timeToRestoreService
    /// Deployment rework rate (§6.6).
    case deploymentReworkRate
}
