import Foundation

/// The previous-successful-deployment chain (METRICS §4.2).
///
/// Eligible rows are those with `result = SUCCESS`, in any environment. Rows are chained per
/// `(connectionId, repoUrl as sent, environment)` and ordered by `finishedDate`, then `startedDate`,
/// then row id in byte order. Each row's `prevSuccessDeploymentCommitId` is the id of the row before
/// it in its chain; `""` for the first row of a chain and for ineligible rows.
public enum PreviousSuccessChain {
    /// One deployment-commit row as the chain sees it.
    public struct Row: Sendable, Hashable {
        /// The row's id (`webhook:{c}:{deploymentId}:{h}:{commitSha}` for webhook data).
        public var rowId: String
        /// The connection of the row's deployment.
        public var connectionId: Int64
        /// The repository URL exactly as sent (not normalized).
        public var repoUrl: String
        /// Canonical environment (the deployment's).
        public var environment: String
        /// Canonical result of the row.
        public var result: String
        public var startedDate: EpochMilliseconds
        public var finishedDate: EpochMilliseconds

        /// Creates a row from its parts.
        public init(
            rowId: String, connectionId: Int64, repoUrl: String, environment: String, result: String,
            startedDate: EpochMilliseconds, finishedDate: EpochMilliseconds
        ) {
            self.rowId = rowId
            self.connectionId = connectionId
            self.repoUrl = repoUrl
            self.environment = environment
            self.result = result
            self.startedDate = startedDate
            self.finishedDate = finishedDate
        }
    }

    /// The chain a row belongs to: `(connectionId, repoUrl as sent, environment)`.
    public struct Key: Sendable, Hashable {
        public var connectionId: Int64
        public var repoUrl: String
        public var environment: String

        /// Creates a key from its parts.
        public init(connectionId: Int64, repoUrl: String, environment: String) {
            self.connectionId = connectionId
            self.repoUrl = repoUrl
            self.environment = environment
        }
    }

    /// The chain of `row`, or nil when the row is not eligible (its result is not `SUCCESS`).
    public static func key(of row: Row) -> Key? {
        guard row.result == "SUCCESS" else { return nil }
        return Key(connectionId: row.connectionId, repoUrl: row.repoUrl, environment: row.environment)
    }

    /// The chain rows of a stored deployment: one per commit row, with the deployment's environment.
    public static func rows(of deployment: Deployment) -> [Row] {
        deployment.commits.map { commit in
            Row(
                rowId: deployment.commitId(commit), connectionId: deployment.connectionId, repoUrl: commit.repoUrl,
                environment: deployment.environment, result: commit.result, startedDate: commit.startedDate,
                finishedDate: commit.finishedDate)
        }
    }

    /// The chain order: `finishedDate`, then `startedDate`, then row id in byte order, ascending.
    public static func precedes(_ lhs: Row, _ rhs: Row) -> Bool {
        if lhs.finishedDate != rhs.finishedDate { return lhs.finishedDate < rhs.finishedDate }
        if lhs.startedDate != rhs.startedDate { return lhs.startedDate < rhs.startedDate }
        return ByteOrder.precedes(lhs.rowId, rhs.rowId)
    }

    /// `prevSuccessDeploymentCommitId` of every row.
    ///
    /// Pass every row of the chains concerned (for a full recomputation, every row of the project's
    /// connections); a chain is only correct when all its rows are given.
    ///
    /// - Parameter rows: Rows with distinct ids.
    /// - Returns: For every input row id, the id of the previous row of its chain, or `""`.
    public static func previousSuccessIds(_ rows: [Row]) -> [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(rows.count)
        var chains: [Key: [Row]] = [:]
        for row in rows {
            result[row.rowId] = ""
            if let key = key(of: row) { chains[key, default: []].append(row) }
        }
        for chain in chains.values {
            let ordered = chain.sorted(by: precedes)
            for index in ordered.indices.dropFirst() {
                result[ordered[index].rowId] = ordered[index - 1].rowId
            }
        }
        return result
    }
}
