import DoralakeCore
import SQLKit

/// Row counts of a delete (spec §10), by kind, e.g. `deployments: 1, deploymentCommits: 2`.
public struct DeletedCounts: Sendable, Equatable {
    /// The counts in answer order.
    public var counts: [(name: String, count: Int)]

    public static func == (lhs: DeletedCounts, rhs: DeletedCounts) -> Bool {
        lhs.counts.map(\.name) == rhs.counts.map(\.name) && lhs.counts.map(\.count) == rhs.counts.map(\.count)
    }
}

extension Store {
    /// Deletes a deployment with its commit rows, and records the change for derivation in the
    /// same transaction (links, attribution, rework and the chain follow; reads wait for them).
    /// - Returns: the counts, or nil when there is no such deployment.
    public func deleteDeployment(connectionId: Int64, id: String) async throws -> DeletedCounts? {
        try await write { db in
            // The commit rows first (they reference the deployment); their count is the answer's.
            let commits = try await db.raw(
                "DELETE FROM cicd_deployment_commits WHERE connection_id = \(bind: connectionId) AND deployment_id = \(bind: id) RETURNING position"
            ).all().count
            let removed = try await db.raw(
                "DELETE FROM cicd_deployments WHERE connection_id = \(bind: connectionId) AND id = \(bind: id) RETURNING id"
            ).all().count
            guard removed > 0 else { return nil }
            _ = try await ChangeLogRepository(db: db).append(
                [.deployment(DeploymentIdentity(connectionId: connectionId, id: id))], now: self.clock.now())
            return DeletedCounts(counts: [("deployments", removed), ("deploymentCommits", commits)])
        }
    }

    /// Deletes an issue and records the change for derivation (its incident links go with it).
    /// - Returns: the counts (`incidents` 1 when it was an incident; `links` its per-project links
    ///   as derived before the delete), or nil when there is no such issue.
    public func deleteIssue(connectionId: Int64, issueKey: String) async throws -> DeletedCounts? {
        try await derivation.waitUntilDerived()
        return try await write { db in
            guard let stored = try await IssueRepository(db: db).find(connectionId: connectionId, issueKey: issueKey) else {
                return nil
            }
            let links = try await Self.count(
                db, """
                    SELECT count(*) AS n FROM project_incident_links WHERE connection_id = \(bind: connectionId)
                        AND issue_key = \(bind: issueKey) AND project_name <> \(bind: DerivedDataRepository.allScope)
                    """)
            try await db.raw("DELETE FROM issues WHERE connection_id = \(bind: connectionId) AND issue_key = \(bind: issueKey)").run()
            _ = try await ChangeLogRepository(db: db).append(
                [.issue(IssueIdentity(connectionId: connectionId, issueKey: issueKey))], now: self.clock.now())
            return DeletedCounts(counts: [("issues", 1), ("incidents", stored.issue.isIncident ? 1 : 0), ("links", links)])
        }
    }

    /// Deletes a pull request and records the change for derivation.
    /// - Returns: the counts (`attributions`: its per-project attributions before the delete), or nil.
    public func deletePullRequest(connectionId: Int64, pullRequestKey: Int64) async throws -> DeletedCounts? {
        try await derivation.waitUntilDerived()
        return try await write { db in
            let removed = try await db.raw(
                "DELETE FROM pull_requests WHERE connection_id = \(bind: connectionId) AND pull_request_key = \(bind: pullRequestKey) RETURNING pull_request_key"
            ).all().count
            guard removed > 0 else { return nil }
            let attributions = try await Self.count(
                db, """
                    SELECT count(*) AS n FROM project_pr_attributions WHERE connection_id = \(bind: connectionId)
                        AND pull_request_key = \(bind: pullRequestKey) AND project_name <> \(bind: DerivedDataRepository.allScope)
                    """)
            _ = try await ChangeLogRepository(db: db).append(
                [.pullRequest(PullRequestIdentity(connectionId: connectionId, pullRequestKey: pullRequestKey))], now: self.clock.now())
            return DeletedCounts(counts: [("pullRequests", removed), ("attributions", attributions)])
        }
    }

    /// Deletes a commit (line counts); nothing is derived from it (metrics read commits directly).
    /// - Returns: the counts, or nil when there is no such commit.
    public func deleteCommit(connectionId: Int64, repoUrl: String, sha: String) async throws -> DeletedCounts? {
        try await write { db in
            let removed = try await db.raw(
                "DELETE FROM commits WHERE connection_id = \(bind: connectionId) AND repo_url = \(bind: repoUrl) AND sha = \(bind: sha) RETURNING sha"
            ).all().count
            return removed > 0 ? DeletedCounts(counts: [("commits", removed)]) : nil
        }
    }

    private static func count(_ db: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        Int(try await db.raw(query).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }
}
