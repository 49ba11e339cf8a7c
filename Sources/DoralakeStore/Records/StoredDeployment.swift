import DoralakeCore
import SQLKit

/// A deployment as read back, with bookkeeping columns.
public struct StoredDeployment: Sendable {
    /// The deployment; its `commits` are the stored rows in body order.
    public var deployment: Deployment
    public var commits: [StoredDeploymentCommit]
    public var receivedAt: EpochMilliseconds
    public var updatedAt: EpochMilliseconds
    public var lastEventId: Int64?

    init(row: any SQLRow) throws {
        deployment = Deployment(
            connectionId: try row.decode(column: "connection_id", as: Int64.self),
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            displayTitle: try row.decode(column: "display_title", as: String.self),
            result: try row.decode(column: "result", as: String.self),
            originalResult: try row.decode(column: "original_result", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            originalStatus: try row.decode(column: "original_status", as: String.self),
            environment: try row.decode(column: "environment", as: String.self),
            originalEnvironment: try row.decode(column: "original_environment", as: String.self),
            kind: try row.decode(column: "kind", as: String?.self),
            isRework: try row.decode(column: "is_rework", as: Int64?.self).map { $0 != 0 },
            createdDate: try row.decode(column: "created_date", as: Int64.self),
            startedDate: try row.decode(column: "started_date", as: Int64.self),
            finishedDate: try row.decode(column: "finished_date", as: Int64.self),
            commits: [])
        commits = []
        receivedAt = try row.decode(column: "received_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        lastEventId = try row.decode(column: "last_event_id", as: Int64?.self)
    }
}

/// One stored deployment-commit row.
public struct StoredDeploymentCommit: Sendable {
    public var id: String
    public var commit: DeploymentCommit
    /// The previous successful row of the same chain, or `""` (maintained by the metrics engine).
    public var prevSuccessDeploymentCommitId: String

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        let includedText = try row.decode(column: "included_commit_shas", as: String.self)
        var included: [String] = []
        if case .array(let values)? = try? JSONParser.parse(includedText).value {
            included = values.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        }
        commit = DeploymentCommit(
            repoUrl: try row.decode(column: "repo_url", as: String.self),
            commitSha: try row.decode(column: "commit_sha", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            displayTitle: try row.decode(column: "display_title", as: String.self),
            result: try row.decode(column: "result", as: String.self),
            originalResult: try row.decode(column: "original_result", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            originalStatus: try row.decode(column: "original_status", as: String.self),
            repoId: try row.decode(column: "repo_id", as: String.self),
            refName: try row.decode(column: "ref_name", as: String.self),
            commitMsg: try row.decode(column: "commit_msg", as: String.self),
            createdDate: try row.decode(column: "created_date", as: Int64.self),
            startedDate: try row.decode(column: "started_date", as: Int64.self),
            finishedDate: try row.decode(column: "finished_date", as: Int64.self),
            includedCommitShas: included)
        // The chain is derived data, read from `chain_rows` (see `DeploymentRepository.chainJoin`).
        prevSuccessDeploymentCommitId =
            row.contains(column: "chain_prev") ? try row.decode(column: "chain_prev", as: String?.self) ?? "" : ""
    }
}
