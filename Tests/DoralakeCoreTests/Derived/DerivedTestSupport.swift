import DevLakeFixtureSupport
import DoralakeCore
import Foundation
import Testing

/// Builders shared by the derived-data tests.
enum DerivedFixture {
    /// Epoch milliseconds of a UTC date-time (see ``FixtureDate/utcMilliseconds(_:)``).
    static func utc(_ text: String) -> EpochMilliseconds { FixtureDate.utcMilliseconds(text) }

    /// 2024 date-time shorthand for the METRICS examples: `may("05-02 14:30")`.
    static func at2024(_ monthDayTime: String) -> EpochMilliseconds { utc("2024-" + monthDayTime) }

    /// One commit row.
    static func row(
        repo: String = shopRepo, sha: String, result: String = "SUCCESS", started: EpochMilliseconds,
        finished: EpochMilliseconds, included: [String] = []
    ) -> DeploymentCommit {
        DeploymentCommit(
            repoUrl: repo, commitSha: sha, name: "", displayTitle: "", result: result, originalResult: result,
            status: "DONE", originalStatus: "DONE", repoId: "", refName: "", commitMsg: "", createdDate: started,
            startedDate: started, finishedDate: finished, includedCommitShas: included)
    }

    /// A deployment; its own dates span its rows.
    static func deployment(
        connection: Int64 = 1, id: String, result: String = "SUCCESS", environment: String = "PRODUCTION",
        kind: String? = nil, isRework: Bool? = nil, rows: [DeploymentCommit]
    ) -> Deployment {
        let started = rows.map(\.startedDate).min() ?? 0
        let finished = rows.map(\.finishedDate).max() ?? 0
        return Deployment(
            connectionId: connection, id: id, name: id, displayTitle: id, result: result, originalResult: result,
            status: "DONE", originalStatus: "DONE", environment: environment, originalEnvironment: "", kind: kind,
            isRework: isRework, createdDate: started, startedDate: started, finishedDate: finished, commits: rows)
    }

    /// A one-row deployment on the shop repo.
    static func single(
        connection: Int64 = 1, id: String, sha: String, result: String = "SUCCESS", environment: String = "PRODUCTION",
        started: EpochMilliseconds, finished: EpochMilliseconds, included: [String] = [], kind: String? = nil,
        isRework: Bool? = nil
    ) -> Deployment {
        deployment(
            connection: connection, id: id, result: result, environment: environment, kind: kind, isRework: isRework,
            rows: [row(sha: sha, result: result, started: started, finished: finished, included: included)])
    }

    /// An incident (canonical type `INCIDENT`).
    static func incident(
        connection: Int64 = 1, key: String, created: EpochMilliseconds, resolved: EpochMilliseconds? = nil,
        causedByDeployment: Bool? = nil, deploymentId: String? = nil, deploymentConnectionId: Int64? = nil
    ) -> DoralakeCore.Issue {
        var issue = DoralakeCore.Issue(
            connectionId: connection, issueKey: key, title: key, status: resolved == nil ? "TODO" : "DONE",
            createdDate: created)
        issue.type = "INCIDENT"
        issue.originalType = "INCIDENT"
        issue.resolutionDate = resolved
        issue.causedByDeployment = causedByDeployment
        issue.deploymentId = deploymentId
        issue.deploymentConnectionId = deploymentConnectionId
        return issue
    }

    /// A pull request on the shop repo, `…/acme/shop/pull/{key}`.
    static func pullRequest(
        connection: Int64 = 1, key: Int64, created: EpochMilliseconds, merged: EpochMilliseconds?, sha: String,
        repoUrl: String? = shopRepo
    ) -> PullRequest {
        var pullRequest = PullRequest(
            connectionId: connection, pullRequestKey: key, externalId: "\(key)", displayTitle: "PR\(key)",
            createdDate: created)
        pullRequest.mergedDate = merged
        pullRequest.mergeCommitSha = sha
        pullRequest.url = "\(shopRepo)/pull/\(key)"
        pullRequest.repoUrl = repoUrl
        pullRequest.status = merged == nil ? "OPEN" : "MERGED"
        return pullRequest
    }

    static let shopRepo = "https://github.com/acme/shop"
}

/// The example data set of METRICS §6.0: project `shop`, connection 1, repo `https://github.com/acme/shop`.
enum ShopExample {
    typealias F = DerivedFixture

    static let d1 = F.single(id: "deploy-100", sha: "aaa111", started: F.at2024("05-01 09:00"), finished: F.at2024("05-01 09:20"))
    static let d2 = F.single(
        id: "deploy-101", sha: "bbb222", started: F.at2024("05-02 14:00"), finished: F.at2024("05-02 14:30"),
        included: ["ccc333", "ddd444"])
    static let f1 = F.single(
        id: "deploy-102", sha: "fff000", result: "FAILURE", started: F.at2024("05-02 17:40"), finished: F.at2024("05-02 18:00"))
    static let s1 = F.single(
        id: "stg-7", sha: "eee555", environment: "STAGING", started: F.at2024("05-03 08:00"), finished: F.at2024("05-03 08:10"))
    static let d3 = F.single(id: "deploy-103", sha: "eee555", started: F.at2024("05-03 10:00"), finished: F.at2024("05-03 10:10"))
    static let d4 = F.single(id: "deploy-104", sha: "ggg666", started: F.at2024("05-04 08:50"), finished: F.at2024("05-04 09:00"))
    static let deployments = [d1, d2, f1, s1, d3, d4]

    static let pullRequests = [
        F.pullRequest(key: 1, created: F.at2024("04-30 10:00"), merged: F.at2024("05-01 08:00"), sha: "aaa111"),
        F.pullRequest(key: 2, created: F.at2024("05-01 12:00"), merged: F.at2024("05-02 09:30"), sha: "ccc333"),
        F.pullRequest(key: 3, created: F.at2024("05-02 16:00"), merged: F.at2024("05-02 16:45:30"), sha: "999999"),
        F.pullRequest(key: 4, created: F.at2024("05-04 11:00"), merged: F.at2024("05-04 12:00"), sha: "hhh777"),
        F.pullRequest(key: 5, created: F.at2024("05-04 13:00"), merged: nil, sha: ""),
        F.pullRequest(key: 6, created: F.at2024("05-03 09:00"), merged: F.at2024("05-03 09:30"), sha: "eee555"),
    ]

    static let incidents = [
        F.incident(key: "I1", created: F.at2024("05-02 15:00"), resolved: F.at2024("05-02 16:10")),
        F.incident(key: "I2", created: F.at2024("05-02 19:00"), resolved: F.at2024("05-02 20:15")),
        F.incident(key: "I3", created: F.at2024("05-03 10:10"), resolved: F.at2024("05-03 10:40")),
        F.incident(key: "I4", created: F.at2024("04-28 22:00"), resolved: F.at2024("05-01 04:00")),
        F.incident(key: "I5", created: F.at2024("05-03 12:00"), resolved: F.at2024("05-03 18:00"), causedByDeployment: false),
    ]

    static let connections: Set<Int64> = [1]

    /// The id of the single row of a one-row deployment.
    static func rowId(_ deployment: Deployment) -> String { deployment.commitId(deployment.commits[0]) }
}


