import DoralakeCore
import Foundation
import Testing

/// Spec §1: local days, Monday-start weeks and months in the request's zone.
struct LocalCalendarTests {
    static func calendar(_ zone: String) -> LocalCalendar { LocalCalendar(timeZone: TimeZone(identifier: zone)!) }

    @Test(
        "an instant's day, week and month are those of its local date",
        arguments: [
            ("2024-03-03T23:30:00Z", "UTC", "2024-03-03", "2024-02-26", "2024-03"),
            ("2024-03-03T23:30:00Z", "Europe/Berlin", "2024-03-04", "2024-03-04", "2024-03"),
            ("2024-04-30T22:30:00Z", "Europe/Berlin", "2024-05-01", "2024-04-29", "2024-05"),
            ("2024-05-01T03:00:00Z", "America/Los_Angeles", "2024-04-30", "2024-04-29", "2024-04"),
            ("1969-12-31T23:00:00Z", "UTC", "1969-12-31", "1969-12-29", "1969-12"),
        ])
    func buckets(_ instant: String, _ zone: String, _ day: String, _ monday: String, _ month: String) {
        let calendar = Self.calendar(zone)
        #expect(calendar.day(of: isoMillis(instant)).isoText == day)
        #expect(calendar.week(of: isoMillis(instant)).isoText == monday)
        #expect(calendar.month(of: isoMillis(instant)).isoLabel == month)
    }

    @Test(
        "weeks start on Monday",
        arguments: [
            (LocalDay(year: 2024, month: 3, day: 4), 0), (LocalDay(year: 2024, month: 3, day: 3), 6),
            (LocalDay(year: 1970, month: 1, day: 1), 3), (LocalDay(year: 1969, month: 12, day: 29), 0),
        ])
    func weekday(_ day: LocalDay, _ weekdayFromMonday: Int) {
        #expect(day.weekdayFromMonday == weekdayFromMonday)
    }

    @Test(
        "a local day starts where Foundation's calendar says",
        arguments: [
            ("UTC", 2024, 5, 1), ("Europe/Berlin", 2024, 3, 31), ("Europe/Berlin", 2024, 10, 27),
            ("America/New_York", 2024, 3, 10), ("America/Sao_Paulo", 2018, 11, 4), ("Asia/Kathmandu", 2024, 1, 1),
        ])
    func startOfDay(_ zone: String, _ year: Int, _ month: Int, _ day: Int) throws {
        var foundation = Calendar(identifier: .gregorian)
        foundation.timeZone = TimeZone(identifier: zone)!
        let noon = try #require(foundation.date(from: DateComponents(year: year, month: month, day: day, hour: 12)))
        let expected = EpochMilliseconds((foundation.startOfDay(for: noon).timeIntervalSince1970 * 1000).rounded())
        let localDay = LocalDay(year: year, month: month, day: day)
        #expect(Self.calendar(zone).start(of: localDay) == expected)
        #expect(Self.calendar(zone).day(of: expected) == localDay)
        #expect(Self.calendar(zone).day(of: expected - 1) == localDay.adding(days: -1))
    }

    @Test("a local day ends one millisecond before the next begins", arguments: ["UTC", "Europe/Berlin"])
    func endOfDay(_ zone: String) {
        let calendar = Self.calendar(zone)
        let day = LocalDay(year: 2024, month: 10, day: 27)
        #expect(calendar.end(of: day) == calendar.start(of: day.adding(days: 1)) - 1)
        #expect(calendar.day(of: calendar.end(of: day)) == day)
    }

    @Test(
        "adding calendar months keeps the local time and clamps the day",
        arguments: [
            ("2024-08-31T12:00:00Z", "UTC", -6, "2024-02-29T12:00:00.000Z"),
            ("2023-03-31T08:00:00Z", "UTC", -1, "2023-02-28T08:00:00.000Z"),
            ("2024-01-15T00:00:00Z", "UTC", -1, "2023-12-15T00:00:00.000Z"),
            ("2024-11-30T10:00:00Z", "UTC", 3, "2025-02-28T10:00:00.000Z"),
            ("2024-06-15T12:00:00Z", "Europe/Berlin", -6, "2023-12-15T13:00:00.000Z"),
        ])
    func addingMonths(_ instant: String, _ zone: String, _ months: Int, _ expected: String) {
        #expect(Timestamp.format(Self.calendar(zone).adding(months: months, to: isoMillis(instant))) == expected)
    }

    @Test("every week overlapping the range is a bucket, partial weeks included")
    func weeks() {
        let mondays = Self.calendar("UTC").weeks(
            from: isoMillis("2024-03-01T00:00:00Z"),
            to: isoMillis("2024-03-31T23:59:59.999Z"))
        #expect(mondays.map(\.isoText) == ["2024-02-26", "2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25"])
    }

    @Test("every day from the day of from to the day of to is in the calendar")
    func days() {
        let days = Self.calendar("UTC").days(
            from: isoMillis("2024-02-27T18:00:00Z"), to: isoMillis("2024-03-01T06:00:00Z"))
        #expect(days.map(\.isoText) == ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"])
    }

    @Test(
        "months are labelled yy/mm and yyyy-mm",
        arguments: [
            (LocalMonth(year: 2024, month: 5), "24/05", "2024-05"),
            (LocalMonth(year: 2000, month: 1), "00/01", "2000-01"),
            (LocalMonth(year: 2023, month: 12), "23/12", "2023-12"),
        ])
    func monthLabels(_ month: LocalMonth, _ short: String, _ iso: String) {
        #expect(month.shortLabel == short)
        #expect(month.isoLabel == iso)
    }

    @Test(
        "month arithmetic crosses year boundaries",
        arguments: [
            (LocalMonth(year: 2024, month: 1), -1, LocalMonth(year: 2023, month: 12)),
            (LocalMonth(year: 2023, month: 12), 1, LocalMonth(year: 2024, month: 1)),
            (LocalMonth(year: 2024, month: 3), -15, LocalMonth(year: 2022, month: 12)),
            (LocalMonth(year: 2024, month: 3), 0, LocalMonth(year: 2024, month: 3)),
        ])
    func monthArithmetic(_ month: LocalMonth, _ months: Int, _ expected: LocalMonth) {
        #expect(month.adding(months: months) == expected)
    }

    @Test("the month series covers the month of from to the month of to in the local zone")
    func monthSeries() {
        // 2024-04-30T22:30Z is already May in Berlin.
        let months = Self.calendar("Europe/Berlin").months(
            from: isoMillis("2024-04-30T22:30:00Z"),
            to: isoMillis("2024-07-01T00:00:00Z"))
        #expect(months.map(\.shortLabel) == ["24/05", "24/06", "24/07"])
    }
}
