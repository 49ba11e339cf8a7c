import DoralakeCore
import Foundation
import Testing

/// Shared helpers of the metric-definition tests (METRICS.md §6–§7): request ranges, a converter
/// from domain values through ``ProjectDerivation/recompute(connectionIds:deployments:incidents:pullRequests:)``
/// to ``MetricInputs`` (mirroring what the store reads), and readers for results.
///
/// Every suite of this folder is named `MetricsEngine…` so that `swift test --filter MetricsEngine`
/// selects exactly these tests.
enum MetricsFixture {
    typealias F = DerivedFixture

    /// The pinned "now" of every range (never used: every test names `from` and `to`).
    static let now: EpochMilliseconds = isoMillis("2025-01-01T00:00:00Z")

    /// A request range as the API parses it (§1): date-only `from` is the start of that local day,
    /// date-only `to` the end of that day (23:59:59.999), in `tz`.
    static func range(_ from: String, _ to: String, tz: String = "UTC") throws -> MetricRange {
        try MetricRange.parse(from: from, to: to, tz: tz, now: now, defaultTimeZone: TimeZone(identifier: "UTC")!)
    }

    /// May 2024, UTC: the range of §6.2–§6.5 and §7.
    static func may2024() throws -> MetricRange { try range("2024-05-01", "2024-05-31") }

    /// One metric computed through the public entry point.
    static func compute(
        _ key: MetricKey, _ inputs: MetricInputs, _ range: MetricRange, report: MetricReport = .r2023
    ) -> MetricResult {
        let results = MetricDefinitions(inputs: inputs, range: range, report: report).compute([key])
        precondition(results.count == 1 && results[0].key == key)
        return results[0]
    }

    // MARK: Converter: domain values → derived data → MetricInputs

    /// The facts a project's metrics read, built as the store builds them: production deployments
    /// (§4.1) from the deployments, incident links / PR attributions and times / rework from a full
    /// recomputation of the derived data (§2), issues and lines of code from the entities.
    ///
    /// - Incidents: issues of canonical type `INCIDENT`, with `leadTimeMinutes` as stored (the value
    ///   sent, else floor minutes from creation to resolution) and their link when the reason is
    ///   `time` or `explicit`.
    /// - Work items: issues of type `REQUIREMENT` or `BUG`.
    /// - Lines: non-merge commits at their authored date; merged PRs at their merged date.
    static func inputs(
        connectionIds: Set<Int64> = [1], deployments: [Deployment] = [], issues: [DoralakeCore.Issue] = [],
        pullRequests: [PullRequest] = [], commits: [Commit] = []
    ) -> MetricInputs {
        let derivation = ProjectDerivation.recompute(
            connectionIds: connectionIds, deployments: deployments, incidents: issues, pullRequests: pullRequests)
        let ownDeployments = deployments.filter { connectionIds.contains($0.connectionId) }
        let ownIssues = issues.filter { connectionIds.contains($0.connectionId) }

        var links: [IssueIdentity: DeploymentIdentity] = [:]
        for link in derivation.incidentLinks where link.reason == .time || link.reason == .explicit {
            links[link.incident] = link.deployment
        }
        func storedLeadTime(_ issue: DoralakeCore.Issue) -> Int64? {
            issue.leadTimeMinutes ?? DoralakeCore.Issue.leadTime(
                createdDate: issue.createdDate, resolutionDate: issue.resolutionDate)
        }

        var rework: [DeploymentIdentity: String] = [:]
        for classification in derivation.rework { rework[classification.deployment] = classification.reason.rawValue }

        return MetricInputs(
            deployments: ProductionDeployment.productionDeployments(of: ownDeployments).map {
                MetricInputs.Deployment(identity: $0.identity, start: $0.start, finish: $0.finish)
            },
            incidents: ownIssues.filter { $0.type == "INCIDENT" }.map { issue in
                MetricInputs.Incident(
                    identity: IssueIdentity(issue), createdDate: issue.createdDate,
                    resolutionDate: issue.resolutionDate, leadTimeMinutes: storedLeadTime(issue), status: issue.status,
                    linkedDeployment: links[IssueIdentity(issue)])
            },
            attributions: derivation.pullRequests.compactMap { pr in
                guard let attribution = pr.attribution else { return nil }
                return MetricInputs.Attribution(
                    rule: attribution.rule.rawValue, deployedDate: attribution.deployedDate,
                    createdToMerged: pr.times.createdToMerged, deployTime: pr.times.deployTime,
                    cycleTime: pr.times.cycleTime)
            },
            rework: rework,
            hasReworkFlags: ownDeployments.contains { $0.isRework != nil || $0.kind != nil },
            workItems: ownIssues.filter { $0.type == "REQUIREMENT" || $0.type == "BUG" }.map { issue in
                MetricInputs.WorkItem(
                    type: issue.type, status: issue.status, createdDate: issue.createdDate,
                    resolutionDate: issue.resolutionDate, leadTimeMinutes: storedLeadTime(issue),
                    storyPoint: issue.storyPoint)
            },
            commitLines: commits.filter { connectionIds.contains($0.connectionId) && !$0.isMerge }.map {
                MetricInputs.Lines(at: $0.authoredDate, lines: $0.additions + $0.deletions)
            },
            pullRequestLines: pullRequests.filter { connectionIds.contains($0.connectionId) }.compactMap { pr in
                pr.mergedDate.map { MetricInputs.Lines(at: $0, lines: pr.additions + pr.deletions) }
            })
    }

    /// The §6.0 data set (project `shop`) as metric inputs.
    static var shopInputs: MetricInputs {
        inputs(deployments: ShopExample.deployments, issues: ShopExample.incidents, pullRequests: ShopExample.pullRequests)
    }

    // MARK: Builders

    /// An issue decoded from a webhook body (§7 examples name values "as sent").
    static func issue(
        _ key: String, type: String, status: String, created: String, resolved: String? = nil,
        storyPoint: String? = nil, leadTimeMinutes: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> DoralakeCore.Issue {
        var fields = [
            #""issueKey":"\#(key)""#, #""title":"\#(key)""#, #""type":"\#(type)""#, #""status":"\#(status)""#,
            #""createdDate":"\#(created)""#,
        ]
        if let resolved { fields.append(#""resolutionDate":"\#(resolved)""#) }
        if let storyPoint { fields.append(#""storyPoint":\#(storyPoint)"#) }
        if let leadTimeMinutes { fields.append(#""leadTimeMinutes":\#(leadTimeMinutes)"#) }
        let body = try members("{" + fields.joined(separator: ",") + "}", sourceLocation: sourceLocation)
        return try IssueDecoder.decode(body, connectionId: 1, context: Fixture.context())
    }

    /// A commit of the shop repo with line counts (commits route).
    static func commit(
        _ sha: String, authored: EpochMilliseconds, additions: Int64, deletions: Int64, isMerge: Bool = false
    ) -> Commit {
        Commit(
            connectionId: 1, repoUrl: DerivedFixture.shopRepo, sha: sha, authoredDate: authored, additions: additions,
            deletions: deletions, isMerge: isMerge)
    }

    /// A merged pull request of the shop repo carrying `lines` changed lines (all additions).
    static func mergedPullRequest(_ key: Int64, merged: EpochMilliseconds, lines: Int64) -> PullRequest {
        var pullRequest = DerivedFixture.pullRequest(
            key: key, created: merged - 3_600_000, merged: merged, sha: "sha\(key)")
        pullRequest.additions = lines
        return pullRequest
    }

    // MARK: Readers

    /// A JSON number of `details` as a `Double` (nil when absent or not a number).
    static func number(_ value: JSONValue?) -> Double? {
        guard case .number(let text)? = value else { return nil }
        return Double(text)
    }

    /// The series month labels `yy/mm`.
    static func months(_ result: MetricResult) -> [String] { result.series.map(\.month.shortLabel) }

    /// The series values.
    static func values(_ result: MetricResult) -> [Double?] { result.series.map(\.value) }

    /// Whether `value` is within `tolerance` of `expected`.
    static func close(_ value: Double?, _ expected: Double, tolerance: Double = 0.005) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= tolerance
    }
}
