import DoralakeCore
import SQLKit

/// The base rows one derived-data update reads (issues, pull requests, the production rows of
/// written deployments), kept for the whole update: they do not change while it runs, and every
/// scope it updates (each project containing a connection, and the all scope) needs the same ones.
final class BaseRowCache {
    private let db: any SQLDatabase
    private var issues: [IssueIdentity: Issue?] = [:]
    private var pullRequests: [PullRequestIdentity: PullRequest?] = [:]
    private var productionRows: [DeploymentIdentity: ProductionRows] = [:]

    /// A deployment's production rows, as pull request attribution looks them up.
    struct ProductionRows {
        /// The rows' own shas and included shas, lower-cased.
        var shas: Set<String> = []
        /// Each row's repository and start.
        var starts: Set<RepositoryWindow> = []
    }

    init(db: any SQLDatabase) {
        self.db = db
    }

    /// The stored issues among `identities` (absent: not stored).
    func issues(_ identities: Set<IssueIdentity>) async throws -> [IssueIdentity: Issue] {
        let missing = identities.filter { issues[$0] == nil }
        for identity in missing { issues[identity] = .some(nil) }
        for (connectionId, keys) in missing.chunkedByConnection(\.connectionId, key: \.issueKey) {
            for row in try await db.raw(
                "SELECT * FROM issues WHERE connection_id = \(bind: connectionId) AND issue_key IN (\(inList: keys))"
            ).all() {
                let issue = try StoredIssue(row: row).issue
                issues[IssueIdentity(connectionId: issue.connectionId, issueKey: issue.issueKey)] = issue
            }
        }
        return identities.reduce(into: [:]) { found, identity in found[identity] = issues[identity] ?? nil }
    }

    /// The stored pull requests among `identities` (absent: not stored).
    func pullRequests(_ identities: Set<PullRequestIdentity>) async throws -> [PullRequestIdentity: PullRequest] {
        let missing = identities.filter { pullRequests[$0] == nil }
        for identity in missing { pullRequests[identity] = .some(nil) }
        for (connectionId, keys) in missing.chunkedByConnection(\.connectionId, key: \.pullRequestKey) {
            for row in try await db.raw(
                "SELECT * FROM pull_requests WHERE connection_id = \(bind: connectionId) AND pull_request_key IN (\(inList: keys))"
            ).all() {
                let pullRequest = try StoredPullRequest(row: row).pullRequest
                pullRequests[PullRequestIdentity(connectionId: pullRequest.connectionId, pullRequestKey: pullRequest.pullRequestKey)] =
                    pullRequest
            }
        }
        return identities.reduce(into: [:]) { found, identity in found[identity] = pullRequests[identity] ?? nil }
    }

    /// The production rows of `deployments` (empty for those not in production).
    func productionRows(of deployments: Set<DeploymentIdentity>) async throws -> [DeploymentIdentity: ProductionRows] {
        let missing = deployments.filter { productionRows[$0] == nil }
        for identity in missing { productionRows[identity] = ProductionRows() }
        for (connectionId, ids) in missing.chunkedByConnection(\.connectionId, key: \.id) {
            for row in try await db.raw(
                "SELECT deployment_id, commit_sha_key, repo_key, started_date FROM production_rows WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))"
            ).all() {
                let identity = DeploymentIdentity(connectionId: connectionId, id: try row.decode(column: "deployment_id", as: String.self))
                productionRows[identity, default: ProductionRows()].shas.insert(try row.decode(column: "commit_sha_key", as: String.self))
                productionRows[identity, default: ProductionRows()].starts.insert(
                    RepositoryWindow(
                        repoKey: try row.decode(column: "repo_key", as: String.self), after: nil,
                        upTo: try row.decode(column: "started_date", as: Int64.self)))
            }
            for row in try await db.raw(
                "SELECT deployment_id, sha_key FROM production_row_shas WHERE connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))"
            ).all() {
                let identity = DeploymentIdentity(connectionId: connectionId, id: try row.decode(column: "deployment_id", as: String.self))
                productionRows[identity, default: ProductionRows()].shas.insert(try row.decode(column: "sha_key", as: String.self))
            }
        }
        return deployments.reduce(into: [:]) { found, identity in found[identity] = productionRows[identity] }
    }
}
