import DoralakeCore
import Foundation
import Testing

/// Spec §6.1: deployment days bucketed into local weeks and months, W, M and S, and the examples.
struct DeploymentFrequencyCalendarTests {
    static func range(_ from: String, _ to: String, tz: String = "UTC") throws -> MetricRange {
        try MetricRange.parse(
            from: from, to: to, tz: tz, now: isoMillis("2025-01-01T00:00:00Z"),
            defaultTimeZone: TimeZone(identifier: "UTC")!)
    }

    /// §6.1 example 1: production deployments of March 2024 (the FAILURE and STAGING ones are not passed).
    static let march = [
        "2024-03-01T10:00:00Z", "2024-03-01T15:00:00Z", "2024-03-05T12:00:00Z", "2024-03-06T12:00:00Z",
        "2024-03-07T12:00:00Z", "2024-03-12T12:00:00Z",
    ].map(isoMillis)

    @Test("example 1: deployment days per Monday week, partial weeks kept")
    func example1Weeks() throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: Self.march, range: try Self.range("2024-03-01", "2024-03-31"))
        #expect(
            calendar.weeks.map(\.monday.isoText) == [
                "2024-02-26", "2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25",
            ])
        #expect(calendar.weeks.map(\.deploymentDays) == [1, 3, 1, 0, 0])
    }

    @Test("example 1: W, M, counts and the week summary")
    func example1Figures() throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: Self.march, range: try Self.range("2024-03-01", "2024-03-31"))
        #expect(calendar.weekly == 1)
        #expect(calendar.monthly == 5)
        #expect(calendar.deploymentDays == 5)
        #expect(calendar.deployments == 6)
        #expect(calendar.weekSummary == SampleSummary(n: 5, p50: 1, p75: 1, p90: 1, mean: 1.0))
    }

    @Test(
        "example 1: labels per report",
        arguments: [
            (MetricReport.r2023, "1 deployment days per week(high)", 1),
            (.r2021, "5 deployment days per month(high)", 5),
        ])
    func example1Labels(_ report: MetricReport, _ label: String, _ value: Int) throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: Self.march, range: try Self.range("2024-03-01", "2024-03-31"))
        #expect(calendar.classification(report: report) == TierResult(tier: .high, label: label, tierNote: nil))
        #expect(calendar.figure(report: report).value == value)
    }

    @Test(
        "example 1: a deployment at 2024-03-03T23:30Z is Sunday in UTC and Monday 4 March in Berlin",
        arguments: [
            ("UTC", [1, 0, 0, 0, 0]), ("Europe/Berlin", [0, 1, 0, 0, 0]),
        ])
    func example1Zone(_ tz: String, _ weeks: [Int]) throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: [isoMillis("2024-03-03T23:30:00Z")], range: try Self.range("2024-03-01", "2024-03-31", tz: tz))
        #expect(calendar.weeks.map(\.deploymentDays) == weeks)
    }

    static let example2Days = ["2023-11-02", "2023-12-05", "2024-01-09", "2024-03-20"].map {
        isoMillis("\($0)T12:00:00Z")
    }

    @Test("example 2: six-month windows are taken newest first and S is their upper median")
    func example2Figures() throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: Self.example2Days, range: try Self.range("2023-04-01", "2024-03-31"))
        #expect(calendar.months.count == 12)
        #expect(calendar.sixMonthWindows == [4, 0])
        #expect(calendar.sixMonthly == 4)
        #expect(calendar.monthly == 0)
        #expect(calendar.weekly == 0)
    }

    @Test(
        "example 2: labels per report",
        arguments: [
            (MetricReport.r2021, Tier.medium, "4 deployment days per six months(medium)"),
            (.r2023, .low, "0 deployment days per month(low)"),
        ])
    func example2Labels(_ report: MetricReport, _ tier: Tier, _ label: String) throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: Self.example2Days, range: try Self.range("2023-04-01", "2024-03-31"))
        #expect(calendar.classification(report: report) == TierResult(tier: tier, label: label, tierNote: nil))
    }

    @Test("example 2: equal windows still give a six-month figure (S = 2, medium)")
    func example2EqualWindows() throws {
        let days = ["2023-05-02", "2023-06-02", "2023-11-02", "2024-01-09"].map { isoMillis("\($0)T12:00:00Z") }
        let calendar = DeploymentFrequencyCalendar(finishes: days, range: try Self.range("2023-04-01", "2024-03-31"))
        #expect(calendar.sixMonthWindows == [2, 2])
        #expect(calendar.classification(report: .r2021).label == "2 deployment days per six months(medium)")
    }

    @Test("example 3: one deployment in six months")
    func example3() throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: [isoMillis("2024-02-14T12:00:00Z")], range: try Self.range("2024-01-01", "2024-06-30"))
        #expect(calendar.weeks.count == 26)
        #expect(calendar.weekly == 0)
        #expect(calendar.months.map(\.deploymentDays) == [0, 1, 0, 0, 0, 0])
        #expect(calendar.monthly == 0)
        #expect(calendar.sixMonthWindows == [1])
        #expect(calendar.sixMonthly == 1)
        #expect(calendar.classification(report: .r2021).label == "1 deployment days per six months(medium)")
        #expect(calendar.classification(report: .r2023).label == "0 deployment days per month(low)")
    }

    @Test("the oldest six-month window may be shorter")
    func shortOldestWindow() throws {
        let days = ["2023-02-10", "2023-09-10", "2024-01-10", "2024-02-10"].map { isoMillis("\($0)T12:00:00Z") }
        let calendar = DeploymentFrequencyCalendar(finishes: days, range: try Self.range("2023-02-01", "2024-03-31"))
        // 14 months newest first: Mar 2024–Oct 2023, Sep 2023–Apr 2023, Mar 2023–Feb 2023.
        #expect(calendar.sixMonthWindows == [2, 1, 1])
        #expect(calendar.sixMonthly == 1)
    }

    @Test("several deployments on one day are one deployment day; the monthly series counts deployments")
    func deploymentDaysAndDeployments() throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: Self.march, range: try Self.range("2024-03-01", "2024-03-31"))
        #expect(calendar.months.map(\.deploymentDays) == [5])
        #expect(calendar.months.map(\.deployments) == [6])
        #expect(calendar.months.map(\.month.shortLabel) == ["24/03"])
    }

    @Test(
        "finishes outside the inclusive range are ignored",
        arguments: [
            ("2024-03-31T23:59:59.999Z", 1), ("2024-03-01T00:00:00.000Z", 1), ("2024-04-01T00:00:00.000Z", 0),
            ("2024-02-29T23:59:59.999Z", 0),
        ])
    func rangeIsInclusive(_ finish: String, _ expected: Int) throws {
        let calendar = DeploymentFrequencyCalendar(
            finishes: [isoMillis(finish)], range: try Self.range("2024-03-01", "2024-03-31"))
        #expect(calendar.deployments == expected)
        #expect(calendar.deploymentDays == expected)
    }

    @Test("a range without deployments is low, with every bucket at zero")
    func noDeployments() throws {
        let calendar = DeploymentFrequencyCalendar(finishes: [], range: try Self.range("2024-03-01", "2024-03-31"))
        #expect(calendar.weeks.allSatisfy { $0.deploymentDays == 0 })
        #expect(
            calendar.classification(report: .r2023)
                == TierResult(
                    tier: .low, label: "0 deployment days per month(low)", tierNote: nil))
        #expect(
            calendar.classification(report: .r2021)
                == TierResult(
                    tier: .low, label: "0 deployment days per six months(low)", tierNote: nil))
    }

    @Test("the first day of a default now−6M…now range belongs to the calendar")
    func firstDayOfDefaultRange() throws {
        let now = isoMillis("2024-06-15T12:00:00Z")
        let range = try MetricRange.parse(
            from: nil, to: nil, tz: nil, now: now, defaultTimeZone: TimeZone(identifier: "UTC")!)
        let calendar = DeploymentFrequencyCalendar(finishes: [isoMillis("2023-12-15T13:00:00Z")], range: range)
        #expect(calendar.weeks.first?.deploymentDays == 1)
        #expect(calendar.months.first?.month.isoLabel == "2023-12")
        #expect(calendar.months.first?.deploymentDays == 1)
    }
}
