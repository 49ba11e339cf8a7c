import Foundation

/// Days, Monday-start weeks and months in one time zone (§1): maps instants to local calendar
/// buckets and local dates back to instants, with the zone's daylight-saving rules.
public struct LocalCalendar: Sendable {
    /// The zone whose calendar this is.
    public let timeZone: TimeZone

    private static let millisPerDay: EpochMilliseconds = 86_400_000

    /// A calendar for `timeZone`.
    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The zone's offset from UTC at `instant`, in milliseconds (east positive).
    public func offset(at instant: EpochMilliseconds) -> EpochMilliseconds {
        let date = Date(timeIntervalSince1970: Double(instant) / 1000)
        return EpochMilliseconds(timeZone.secondsFromGMT(for: date)) * 1000
    }

    /// The local wall-clock time of `instant`, as milliseconds since local 1970-01-01 00:00.
    public func localMillis(of instant: EpochMilliseconds) -> EpochMilliseconds {
        instant + offset(at: instant)
    }

    /// The instant at which local clocks show `localMillis` (milliseconds since local
    /// 1970-01-01 00:00). When clocks are set back and the time occurs twice, the earlier
    /// instant; when it is skipped, the instant the same distance after the transition.
    public func instant(ofLocal local: EpochMilliseconds) -> EpochMilliseconds {
        let before = offset(at: local - Self.millisPerDay)
        let after = offset(at: local + Self.millisPerDay)
        let candidates = Set([before, after]).map { local - $0 }.filter { localMillis(of: $0) == local }
        if let earliest = candidates.min() { return earliest }
        // A skipped local time: read it with the offset in force before the transition.
        return local - before
    }

    /// The local calendar date of `instant`.
    public func day(of instant: EpochMilliseconds) -> LocalDay {
        LocalDay(daysSinceEpoch: Int(Self.floorDivide(localMillis(of: instant), Self.millisPerDay)))
    }

    /// The Monday of the local week containing `instant`.
    public func week(of instant: EpochMilliseconds) -> LocalDay { day(of: instant).monday }

    /// The local calendar month containing `instant`.
    public func month(of instant: EpochMilliseconds) -> LocalMonth { day(of: instant).month }

    /// The first instant of a local day (normally local 00:00:00.000).
    public func start(of day: LocalDay) -> EpochMilliseconds {
        instant(ofLocal: EpochMilliseconds(day.daysSinceEpoch) * Self.millisPerDay)
    }

    /// The last millisecond of a local day (normally local 23:59:59.999).
    public func end(of day: LocalDay) -> EpochMilliseconds {
        start(of: day.adding(days: 1)) - 1
    }

    /// The same local wall-clock time `months` calendar months later (earlier when negative); the
    /// day is clamped to the end of a shorter month (Aug 31 − 6 months = Feb 29 or 28).
    public func adding(months: Int, to base: EpochMilliseconds) -> EpochMilliseconds {
        let local = localMillis(of: base)
        let days = Self.floorDivide(local, Self.millisPerDay)
        let timeOfDay = local - days * Self.millisPerDay
        let (year, month, day) = Timestamp.civilFromDays(Int(days))
        let target = LocalMonth(year: year, month: month).adding(months: months)
        let clampedDay = min(day, Timestamp.daysInMonth(year: target.year, month: target.month))
        let targetDay = LocalDay(year: target.year, month: target.month, day: clampedDay)
        return instant(ofLocal: EpochMilliseconds(targetDay.daysSinceEpoch) * Self.millisPerDay + timeOfDay)
    }

    /// Every local day from the day of `from` to the day of `to`, both included; empty when `to`
    /// falls on an earlier day.
    public func days(from: EpochMilliseconds, to: EpochMilliseconds) -> [LocalDay] {
        let first = day(of: from).daysSinceEpoch
        let last = day(of: to).daysSinceEpoch
        guard first <= last else { return [] }
        return (first...last).map(LocalDay.init(daysSinceEpoch:))
    }

    /// The Mondays of every local week overlapping `[from, to]`, oldest first (partial weeks
    /// included).
    public func weeks(from: EpochMilliseconds, to: EpochMilliseconds) -> [LocalDay] {
        let first = week(of: from).daysSinceEpoch
        let last = week(of: to).daysSinceEpoch
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 7).map(LocalDay.init(daysSinceEpoch:))
    }

    /// Every local month from the month of `from` to the month of `to`, oldest first: the
    /// entries of a monthly series (labels ``LocalMonth/shortLabel`` and ``LocalMonth/isoLabel``).
    public func months(from: EpochMilliseconds, to: EpochMilliseconds) -> [LocalMonth] {
        LocalMonth.sequence(from: month(of: from), through: month(of: to))
    }

    private static func floorDivide(_ value: EpochMilliseconds, _ divisor: EpochMilliseconds) -> EpochMilliseconds {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
