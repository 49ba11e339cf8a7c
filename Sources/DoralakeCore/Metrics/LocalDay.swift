/// A calendar date in some time zone, counted in days since 1970-01-01 (proleptic Gregorian).
///
/// It carries no zone: ``LocalCalendar`` maps instants to days and back.
public struct LocalDay: Sendable, Hashable, Comparable {
    /// Days since 1970-01-01 (negative before).
    public let daysSinceEpoch: Int

    /// The day `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The day of a calendar date; the components must form a valid date.
    public init(year: Int, month: Int, day: Int) {
        self.daysSinceEpoch = Timestamp.daysFromCivil(year: year, month: month, day: day)
    }

    /// The calendar date.
    public var components: (year: Int, month: Int, day: Int) { Timestamp.civilFromDays(daysSinceEpoch) }

    /// The day of the week, 0 for Monday through 6 for Sunday.
    public var weekdayFromMonday: Int {
        // 1970-01-01 was a Thursday (3).
        let weekday = (daysSinceEpoch + 3) % 7
        return weekday < 0 ? weekday + 7 : weekday
    }

    /// The Monday that starts this day's week (the week bucket, §1).
    public var monday: LocalDay { adding(days: -weekdayFromMonday) }

    /// The calendar month of this day.
    public var month: LocalMonth {
        let (year, month, _) = components
        return LocalMonth(year: year, month: month)
    }

    /// The day `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDay { LocalDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// `yyyy-mm-dd`.
    public var isoText: String {
        let (year, month, day) = components
        return "\(LocalMonth.pad(year, 4))-\(LocalMonth.pad(month, 2))-\(LocalMonth.pad(day, 2))"
    }

    /// Earlier days first.
    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}

/// A calendar month in some time zone: the month bucket of the monthly series (§1).
public struct LocalMonth: Sendable, Hashable, Comparable {
    /// The year.
    public let year: Int
    /// The month, 1–12.
    public let month: Int

    /// The month `month` (1–12) of `year`.
    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// DevLake's series label `yy/mm`, e.g. `24/05`.
    public var shortLabel: String {
        let shortYear = year % 100
        return "\(Self.pad(shortYear < 0 ? shortYear + 100 : shortYear, 2))/\(Self.pad(month, 2))"
    }

    /// The ISO label `yyyy-mm`, e.g. `2024-05`.
    public var isoLabel: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))" }

    /// The first day of the month.
    public var firstDay: LocalDay { LocalDay(year: year, month: month, day: 1) }

    /// The last day of the month.
    public var lastDay: LocalDay {
        LocalDay(year: year, month: month, day: Timestamp.daysInMonth(year: year, month: month))
    }

    /// The month `months` months later (earlier when negative).
    public func adding(months: Int) -> LocalMonth {
        let index = year * 12 + (month - 1) + months
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        return LocalMonth(year: newYear, month: index - newYear * 12 + 1)
    }

    /// Every month from `first` to `last`, both included, oldest first; empty when `last < first`.
    public static func sequence(from first: LocalMonth, through last: LocalMonth) -> [LocalMonth] {
        var months: [LocalMonth] = []
        var month = first
        while month <= last {
            months.append(month)
            month = month.adding(months: 1)
        }
        return months
    }

    /// Earlier months first.
    public static func < (lhs: LocalMonth, rhs: LocalMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
