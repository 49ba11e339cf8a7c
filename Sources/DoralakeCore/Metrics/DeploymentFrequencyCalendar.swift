/// The deployment-day calendar of deployment frequency (§6.1): week and month buckets of the
/// local calendar with the number of deployment days in each, and the figures `W`, `M` and `S`.
///
/// DF counts deployment days, not deployments: a day with several production deployments counts
/// once. Every local day from the day of `from` to the day of `to` belongs to the calendar, and
/// buckets at the ends are kept even when partial.
public struct DeploymentFrequencyCalendar: Sendable, Equatable {
    /// A local Monday-to-Sunday week.
    public struct Week: Sendable, Equatable {
        /// The Monday that starts the week (it may precede the range).
        public let monday: LocalDay
        /// Deployment days in the week.
        public let deploymentDays: Int
    }

    /// A local calendar month.
    public struct Month: Sendable, Equatable {
        /// The month.
        public let month: LocalMonth
        /// Deployment days in the month (the bucket value).
        public let deploymentDays: Int
        /// Production deployments finished in the month (the monthly series value).
        public let deployments: Int
    }

    /// Every week overlapping the range, oldest first.
    public let weeks: [Week]
    /// Every month from the month of `from` to the month of `to`, oldest first.
    public let months: [Month]
    /// The six-month window sums, newest first: months m1–m6, m7–m12, … (the oldest may be shorter).
    public let sixMonthWindows: [Int]
    /// `W`: the lower median of the week values.
    public let weekly: Int
    /// `M`: the lower median of the month values.
    public let monthly: Int
    /// `S`: the upper median of the six-month window sums (report 2021).
    public let sixMonthly: Int
    /// The number of distinct local deployment days in range.
    public let deploymentDays: Int
    /// The number of production deployments in range (the metric's `n`).
    public let deployments: Int
    /// p50, p75, p90 and mean of the week values; `n` is the number of weeks.
    public let weekSummary: SampleSummary

    /// Builds the calendar.
    ///
    /// - Parameters:
    ///   - finishes: The finish instant of each production deployment of the project (§4.1), one
    ///     per deployment; instants outside the range are ignored.
    ///   - range: The request range; its zone defines days, weeks and months. An inverted range
    ///     is treated as the single day of `from`.
    public init(finishes: [EpochMilliseconds], range: MetricRange) {
        let calendar = range.calendar
        let end = max(range.from, range.to)
        let inRange = finishes.filter { range.from <= $0 && $0 <= end }
        let days = Set(inRange.map { calendar.day(of: $0) })

        var daysPerWeek: [LocalDay: Int] = [:]
        var daysPerMonth: [LocalMonth: Int] = [:]
        for day in days {
            daysPerWeek[day.monday, default: 0] += 1
            daysPerMonth[day.month, default: 0] += 1
        }
        var deploymentsPerMonth: [LocalMonth: Int] = [:]
        for finish in inRange { deploymentsPerMonth[calendar.month(of: finish), default: 0] += 1 }

        let weeks = calendar.weeks(from: range.from, to: end).map { monday in
            Week(monday: monday, deploymentDays: daysPerWeek[monday] ?? 0)
        }
        let months = calendar.months(from: range.from, to: end).map { month in
            Month(month: month, deploymentDays: daysPerMonth[month] ?? 0, deployments: deploymentsPerMonth[month] ?? 0)
        }
        let newestFirst = months.reversed().map(\.deploymentDays)
        let windows = stride(from: 0, to: newestFirst.count, by: 6).map { start in
            newestFirst[start..<min(start + 6, newestFirst.count)].reduce(0, +)
        }

        let weekValues = weeks.map { Double($0.deploymentDays) }
        self.weeks = weeks
        self.months = months
        self.sixMonthWindows = windows
        self.weekly = Int(Statistics.lowerMedian(weekValues) ?? 0)
        self.monthly = Int(Statistics.lowerMedian(months.map { Double($0.deploymentDays) }) ?? 0)
        self.sixMonthly = Int(Statistics.upperMedian(windows.map(Double.init)) ?? 0)
        self.deploymentDays = days.count
        self.deployments = inRange.count
        self.weekSummary = SampleSummary.of(weekValues) ?? SampleSummary(n: 0, p50: 0, p75: 0, p90: 0, mean: 0)
    }

    /// The tier and label under `report`
    /// (``Benchmarks/classifyDeploymentFrequency(weekly:monthly:sixMonthly:report:)``).
    public func classification(report: MetricReport) -> TierResult {
        Benchmarks.classifyDeploymentFrequency(weekly: weekly, monthly: monthly, sixMonthly: sixMonthly, report: report)
    }

    /// The figure the label shows under `report`; its value is the metric's `value`.
    public func figure(report: MetricReport) -> DeploymentFrequencyFigure {
        Benchmarks.deploymentFrequencyFigure(weekly: weekly, monthly: monthly, sixMonthly: sixMonthly, report: report)
    }
}
