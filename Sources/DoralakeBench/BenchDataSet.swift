import DoralakeCore

/// The benchmark's synthetic data set, every entity a pure function of `(seed, kind, index)`.
///
/// Shape at scale 1.0 (every count is multiplied by the scale; the structure is fixed):
/// - 2 years (2024-01-01 … 2025-12-31 UTC), 50 repositories, 60 connections, 20 projects of 3
///   connections each. Connection `c` deploys the 5 repositories `(5c + k) mod 50`.
/// - 200 000 deployments of 5 deployment commits each (1 000 000 rows), spread evenly over each
///   connection's 2 years (increasing times with jitter): 92 % `SUCCESS`, 85 % `PRODUCTION`.
/// - 100 000 incidents (90 % resolved within 3 days), 50 000 requirements and bugs (60/40, story
///   points, 80 % done), 200 000 merged pull requests (80 % merge a deployed commit shortly before
///   its deployment), 100 000 commits with line counts (every 10th deployed commit).
struct BenchDataSet: Sendable {
    /// Fixed structure.
    static let repositoryCount = 50
    static let connectionCount = 60
    static let projectCount = 20
    static let commitsPerDeployment = 5
    /// 2024-01-01T00:00:00Z.
    static let start: EpochMilliseconds = 1_704_067_200_000
    /// Two years (731 days: 2024 is a leap year).
    static let span: EpochMilliseconds = 731 * 86_400_000
    /// The range the benchmark asks metrics for: six whole months inside the data.
    static let metricsFrom = "2025-01-01"
    static let metricsTo = "2025-06-30"

    let seed: UInt64
    let deploymentCount: Int
    let incidentCount: Int
    let issueCount: Int
    let pullRequestCount: Int
    let commitCount: Int

    /// The data set at `scale` (1.0 = the full size above; every count at least 1).
    init(scale: Double, seed: UInt64) {
        func scaled(_ base: Double) -> Int { max(1, Int((base * scale).rounded())) }
        self.seed = seed
        deploymentCount = scaled(200_000)
        incidentCount = scaled(100_000)
        issueCount = scaled(50_000)
        pullRequestCount = scaled(200_000)
        commitCount = min(scaled(100_000), deploymentCount * Self.commitsPerDeployment)
    }

    // MARK: Names

    static func connectionName(_ c: Int) -> String { "bench-conn-\(c < 10 ? "0" : "")\(c)" }
    static func projectName(_ p: Int) -> String { "bench-project-\(p < 10 ? "0" : "")\(p)" }
    /// The connections of project `p`, as indexes `0..<connectionCount`.
    static func connections(ofProject p: Int) -> [Int] { (0..<3).map { 3 * p + $0 } }
    static func repoUrl(connection c: Int, slot k: Int) -> String {
        let r = (5 * c + k) % repositoryCount
        return "https://github.com/bench-org/service-\(r < 10 ? "0" : "")\(r)"
    }

    /// A 40-hex-digit commit sha for `(a, b, c)`.
    func sha(_ a: Int, _ b: Int, _ c: Int) -> String {
        var random = SplitMix64(seed: seed, stream: 99, index: (a &* 1_000_003 &+ b) &* 7 &+ c)
        let hex = (0..<3).map { _ in String(random.next(), radix: 16).leftPad(16) }.joined()
        return String(hex.prefix(40))
    }

    // MARK: Deployments

    /// Deployments of connection `c` (deployment `i` belongs to connection `i % 60`, slot `i / 60`).
    func deploymentCount(connection c: Int) -> Int {
        c < deploymentCount ? (deploymentCount - c + Self.connectionCount - 1) / Self.connectionCount : 0
    }

    /// The start of deployment slot `j` of connection `c` (evenly spaced, jittered, increasing).
    func deploymentStart(connection c: Int, slot j: Int) -> EpochMilliseconds {
        let spacing = Self.span / EpochMilliseconds(max(1, deploymentCount(connection: c)))
        var random = SplitMix64(seed: seed, stream: 1, index: j &* Self.connectionCount &+ c)
        return Self.start + EpochMilliseconds(j) * spacing + random.int(0...max(0, spacing / 2))
    }

    /// Deployment `index` with its 5 commit rows, for the store connection `connectionId`.
    func deployment(_ index: Int, connectionId: Int64) -> Deployment {
        let c = index % Self.connectionCount
        let j = index / Self.connectionCount
        var random = SplitMix64(seed: seed, stream: 2, index: index)
        let started = deploymentStart(connection: c, slot: j)
        let created = started - random.int(60_000...1_800_000)
        let finished = started + random.int(180_000...1_800_000)
        let result = random.chance(0.92) ? "SUCCESS" : "FAILURE"
        let environment = random.chance(0.85) ? "PRODUCTION" : "STAGING"
        let id = "deploy-\(c)-\(j)"
        let commits = (0..<Self.commitsPerDeployment).map { k in
            DeploymentCommit(
                repoUrl: Self.repoUrl(connection: c, slot: k), commitSha: sha(c, j, k), name: "deploy \(id)",
                displayTitle: "release \(j)", result: result, originalResult: result, status: "DONE",
                originalStatus: "DONE", repoId: "", refName: "refs/heads/main", commitMsg: "change \(j).\(k)",
                createdDate: created, startedDate: started + EpochMilliseconds(k) * 1000,
                finishedDate: finished - EpochMilliseconds(k) * 1000, includedCommitShas: [])
        }
        return Deployment(
            connectionId: connectionId, id: id, name: "deploy \(id)", displayTitle: "release \(j)", result: result,
            originalResult: result, status: "DONE", originalStatus: "DONE", environment: environment,
            originalEnvironment: environment, kind: nil, isRework: nil, createdDate: created, startedDate: started,
            finishedDate: finished, commits: commits)
    }

    // MARK: Issues

    /// Incident `index` (connection `index % 60`).
    func incident(_ index: Int, connectionId: Int64) -> Issue {
        var random = SplitMix64(seed: seed, stream: 3, index: index)
        let created = Self.start + random.int(0...(Self.span - 1))
        var issue = Issue(
            connectionId: connectionId, issueKey: "INC-\(index)", title: "incident \(index)", status: "TODO",
            createdDate: created)
        issue.type = "INCIDENT"
        issue.originalType = "INCIDENT"
        if random.chance(0.9) {
            resolve(&issue, after: random.int(600_000...259_200_000))
        } else if random.chance(0.5) {
            issue.status = "IN_PROGRESS"
            issue.originalStatus = "IN_PROGRESS"
        }
        issue.updatedDate = issue.resolutionDate ?? created
        issue.severity = random.chance(0.2) ? "SEV1" : "SEV3"
        return issue
    }

    /// Requirement or bug `index` (connection `index % 60`), with story points.
    func workItem(_ index: Int, connectionId: Int64) -> Issue {
        var random = SplitMix64(seed: seed, stream: 4, index: index)
        let created = Self.start + random.int(0...(Self.span - 1))
        var issue = Issue(
            connectionId: connectionId, issueKey: "ISS-\(index)", title: "work item \(index)", status: "TODO",
            createdDate: created)
        issue.type = random.chance(0.6) ? "REQUIREMENT" : "BUG"
        issue.originalType = issue.type
        issue.storyPoint = [1, 2, 3, 5, 8, 13][Int(random.next() % 6)]
        if random.chance(0.8) { resolve(&issue, after: random.int(3_600_000...2_592_000_000)) }
        issue.updatedDate = issue.resolutionDate ?? created
        return issue
    }

    private func resolve(_ issue: inout Issue, after millis: EpochMilliseconds) {
        issue.status = "DONE"
        issue.originalStatus = "DONE"
        issue.resolutionDate = issue.createdDate + millis
        issue.leadTimeMinutes = Issue.leadTime(createdDate: issue.createdDate, resolutionDate: issue.resolutionDate)
    }

    // MARK: Pull requests and commits

    /// Merged pull request `index` (connection `index % 60`): 80 % merge a deployed commit of
    /// that connection 10 minutes to 2 days before its deployment started.
    func pullRequest(_ index: Int, connectionId: Int64) -> PullRequest {
        let c = index % Self.connectionCount
        var random = SplitMix64(seed: seed, stream: 5, index: index)
        let k = Int(random.next() % UInt64(Self.commitsPerDeployment))
        let repo = Self.repoUrl(connection: c, slot: k)
        let merged: EpochMilliseconds
        let mergeSha: String
        let slots = deploymentCount(connection: c)
        if slots > 0 && random.chance(0.8) {
            let j = Int(random.next() % UInt64(slots))
            mergeSha = sha(c, j, k)
            merged = deploymentStart(connection: c, slot: j) - random.int(600_000...172_800_000)
        } else {
            mergeSha = sha(1_000_000 + c, index, k)
            merged = Self.start + random.int(0...(Self.span - 1))
        }
        var pr = PullRequest(
            connectionId: connectionId, pullRequestKey: Int64(index) + 1, externalId: "pr-\(index)",
            displayTitle: "pull request \(index)", createdDate: merged - random.int(3_600_000...432_000_000))
        pr.mergedDate = merged
        pr.closedDate = merged
        pr.status = "MERGED"
        pr.originalStatus = "MERGED"
        pr.repoUrl = repo
        pr.url = "\(repo)/pull/\(index + 1)"
        pr.mergeCommitSha = mergeSha
        pr.baseRef = "main"
        pr.headRef = "feature-\(index)"
        pr.additions = random.int(1...400)
        pr.deletions = random.int(0...150)
        return pr
    }

    /// Commits with line counts of connection `c`: the first `count / 60` (rounded up, at most
    /// one per two deployments) of the connection.
    func commitCount(connection c: Int) -> Int {
        guard c < commitCount else { return 0 }
        return min((commitCount - c + Self.connectionCount - 1) / Self.connectionCount, (deploymentCount(connection: c) + 1) / 2)
    }

    /// Commit `m` of connection `c`: the deployed commit of slot `2m`, repository `m mod 5` (so
    /// every 10th deployed row of the connection has line counts).
    func commit(connection c: Int, _ m: Int, connectionId: Int64) -> Commit {
        let j = 2 * m
        let k = m % Self.commitsPerDeployment
        var random = SplitMix64(seed: seed, stream: 6, index: m &* Self.connectionCount &+ c)
        return Commit(
            connectionId: connectionId, repoUrl: Self.repoUrl(connection: c, slot: k), sha: sha(c, j, k),
            authoredDate: deploymentStart(connection: c, slot: j) - random.int(3_600_000...259_200_000),
            additions: random.int(1...500), deletions: random.int(0...200), isMerge: random.chance(0.1))
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
