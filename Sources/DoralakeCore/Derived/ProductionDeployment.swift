import Foundation

/// A deployment as the metrics see it (METRICS §4.1): only its production deployment rows count.
///
/// A deployment is a production deployment when at least one of its rows is a production
/// deployment row (`result = SUCCESS` and `environment = PRODUCTION`). Its finish is the latest
/// `finishedDate` and its start the earliest `startedDate` over those rows only. Rows carry their
/// own result, already inherited from the deployment at ingest when none was sent.
public struct ProductionDeployment: Sendable, Hashable {
    /// `(connectionId, id)` of the deployment.
    public var identity: DeploymentIdentity
    /// Earliest `startedDate` of the production deployment rows.
    public var start: EpochMilliseconds
    /// Latest `finishedDate` of the production deployment rows.
    public var finish: EpochMilliseconds
    /// Extension `kind` of the deployment (`HOTFIX`, `ROLLBACK`, `REGULAR`), if sent.
    public var kind: String?
    /// Extension `isRework` of the deployment, if sent.
    public var isRework: Bool?

    /// Creates a production deployment from already computed values.
    public init(
        identity: DeploymentIdentity, start: EpochMilliseconds, finish: EpochMilliseconds, kind: String? = nil,
        isRework: Bool? = nil
    ) {
        self.identity = identity
        self.start = start
        self.finish = finish
        self.kind = kind
        self.isRework = isRework
    }

    /// The production view of `deployment`, or nil when none of its rows is a production deployment row.
    ///
    /// - Parameter deployment: A stored deployment with its commit rows.
    public init?(_ deployment: Deployment) {
        var start: EpochMilliseconds? = nil
        var finish: EpochMilliseconds? = nil
        for row in deployment.commits
        where Self.isProductionRow(result: row.result, environment: deployment.environment) {
            start = min(start ?? row.startedDate, row.startedDate)
            finish = max(finish ?? row.finishedDate, row.finishedDate)
        }
        guard let start, let finish else { return nil }
        self.init(
            identity: DeploymentIdentity(deployment), start: start, finish: finish, kind: deployment.kind,
            isRework: deployment.isRework)
    }

    /// Whether a deployment-commit row is a production deployment row (METRICS §1):
    /// `result = SUCCESS` and `environment = PRODUCTION` (canonical values).
    ///
    /// - Parameters:
    ///   - result: The row's canonical result.
    ///   - environment: The row's (its deployment's) canonical environment.
    public static func isProductionRow(result: String, environment: String) -> Bool {
        result == "SUCCESS" && environment == "PRODUCTION"
    }

    /// Flagged as rework by its sender (METRICS §5.3): `isRework = true` or `kind ∈ {HOTFIX, ROLLBACK}`.
    public var isFlaggedRework: Bool {
        isRework == true || kind == "HOTFIX" || kind == "ROLLBACK"
    }

    /// Explicitly not rework (METRICS §5.3): `isRework = false` or `kind = REGULAR`.
    public var isReworkVetoed: Bool {
        isRework == false || kind == "REGULAR"
    }

    /// The order "first" uses in rework classification (METRICS §5.3): finish, then start, then
    /// `(connectionId, id)`, ascending.
    public static func precedesByFinish(_ lhs: Self, _ rhs: Self) -> Bool {
        if lhs.finish != rhs.finish { return lhs.finish < rhs.finish }
        if lhs.start != rhs.start { return lhs.start < rhs.start }
        return lhs.identity < rhs.identity
    }

    /// The production views of those `deployments` that are production deployments, in input order.
    public static func productionDeployments(of deployments: [Deployment]) -> [ProductionDeployment] {
        deployments.compactMap(ProductionDeployment.init)
    }
}
