import DoralakeCore
import Foundation
import Testing

/// METRICS.md §7.5 (bug and incident count per 1k lines of code) through `MetricDefinitions.compute`.
@Suite("MetricsEngine: bug and incident count per 1k LOC (METRICS §7.5)")
struct MetricsEngineLinesOfCodeTests {
    typealias F = DerivedFixture
    typealias M = MetricsFixture

    /// Commits a1 (+120/−30) and a2 (+400/−50) of May, and the merge commit m9 (+900).
    static let mayCommits = [
        M.commit("a1", authored: F.at2024("05-03 10:00"), additions: 120, deletions: 30),
        M.commit("a2", authored: F.at2024("05-20 10:00"), additions: 400, deletions: 50),
        M.commit("m9", authored: F.at2024("05-21 10:00"), additions: 900, deletions: 0, isMerge: true),
    ]

    /// Bugs and incidents of the examples: B1–B6 and the §6.0 incidents.
    static func issues() throws -> [DoralakeCore.Issue] {
        try MetricsEngineIssueMetricTests.bugs() + ShopExample.incidents
    }

    @Test("bugs: 5 created in May / 600 lines × 1000 = 8.33 (merge commit excluded)")
    func bugsPer1k() throws {
        // Given commits a1, a2 (600 lines) and merge commit m9, and bugs B1–B6
        let inputs = M.inputs(issues: try Self.issues(), commits: Self.mayCommits)
        // When bug count per 1k LOC is computed for May 2024
        let result = M.compute(.bugCountPer1kLoc, inputs, try M.may2024())
        // Then B1, B3, B4, B5, B6 over 600 lines from commits
        #expect(result.status == .ok)
        #expect(M.close(result.value, 8.33))
        #expect(result.numerator == 5)
        #expect(result.denominator == 600)
        #expect(result.details["locSource"] == .string("commits"))
        #expect(result.tier == nil)
    }

    @Test("incidents: 4 created in May / 600 lines × 1000 = 6.67")
    func incidentsPer1k() throws {
        // Given commits a1, a2, m9 and the §6.0 incidents (I4 created in April)
        let inputs = M.inputs(issues: try Self.issues(), commits: Self.mayCommits)
        // When incident count per 1k LOC is computed for May 2024
        let result = M.compute(.incidentCountPer1kLoc, inputs, try M.may2024())
        // Then I1, I2, I3, I5 over 600 lines
        #expect(result.status == .ok)
        #expect(M.close(result.value, 6.67))
        #expect(result.numerator == 4)
        #expect(result.denominator == 600)
    }

    @Test("fallback: no commits, PRs merged in May carry 750 lines → 6.67 with locSource pull_requests")
    func pullRequestFallback() throws {
        // Given no commits and five PRs merged in May with 250, 350, 40, 10 and 100 lines
        let lines: [Int64] = [250, 350, 40, 10, 100]
        let pullRequests = lines.enumerated().map { index, count in
            M.mergedPullRequest(Int64(index + 1), merged: F.at2024("05-1\(index) 12:00"), lines: count)
        }
        let inputs = M.inputs(issues: try Self.issues(), pullRequests: pullRequests)
        // When bug count per 1k LOC is computed for May 2024
        let result = M.compute(.bugCountPer1kLoc, inputs, try M.may2024())
        // Then 5 bugs over 750 lines from pull requests
        #expect(result.status == .ok)
        #expect(M.close(result.value, 6.67))
        #expect(result.denominator == 750)
        #expect(result.details["locSource"] == .string("pull_requests"))
    }

    @Test("series: a month with LOC and no bugs is 0; a month without LOC has no value")
    func series() throws {
        // Given May's commits, a June commit of 100 lines, no commit in July, and bugs B1–B6
        // (none created in June or July)
        let commits = Self.mayCommits + [M.commit("j1", authored: F.at2024("06-10 10:00"), additions: 60, deletions: 40)]
        let inputs = M.inputs(issues: try Self.issues(), commits: commits)
        // When bug count per 1k LOC is computed for May–July 2024
        let result = M.compute(.bugCountPer1kLoc, inputs, try M.range("2024-05-01", "2024-07-31"))
        // Then May is 8.33, June 0 and July absent
        #expect(M.months(result) == ["24/05", "24/06", "24/07"])
        #expect(M.close(result.series[0].value, 8.33))
        #expect(result.series[1].value == 0)
        #expect(result.series[2].value == nil)
    }

    @Test("insufficient: no lines of code in range → no_lines_of_code")
    func noLines() throws {
        // Given bugs but neither commits nor merged PRs
        let inputs = M.inputs(issues: try Self.issues())
        // When bug count per 1k LOC is computed for May 2024
        let result = M.compute(.bugCountPer1kLoc, inputs, try M.may2024())
        // Then LOC 0 is insufficient, not a division by zero
        #expect(result.status == .insufficientData)
        #expect(result.reason == "no_lines_of_code")
        #expect(result.value == nil)
    }

    @Test(
        "insufficient: the project never received an issue of that type",
        arguments: [MetricKey.bugCountPer1kLoc, .incidentCountPer1kLoc])
    func neverReceived(_ key: MetricKey) throws {
        // Given commits but no bug and no incident at all
        let inputs = M.inputs(commits: Self.mayCommits)
        // When the count per 1k LOC is computed for May 2024
        let result = M.compute(key, inputs, try M.may2024())
        // Then the data is insufficient, not 0
        #expect(result.status == .insufficientData)
        #expect(result.value == nil)
        #expect(result.reason != nil)
        #expect(result.reason != "no_lines_of_code")
    }

    @Test("bugs of the project exist but none created in range → value 0, not insufficient")
    func zeroBugsInRange() throws {
        // Given a June commit and bugs all created in April/May
        let inputs = M.inputs(
            issues: try Self.issues(),
            commits: [M.commit("j1", authored: F.at2024("06-10 10:00"), additions: 60, deletions: 40)])
        // When bug count per 1k LOC is computed for June 2024
        let result = M.compute(.bugCountPer1kLoc, inputs, try M.range("2024-06-01", "2024-06-30"))
        // Then the value is 0
        #expect(result.status == .ok)
        #expect(result.value == 0)
    }
}
