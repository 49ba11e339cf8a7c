import DoralakeCore
import Foundation
import Testing

/// Calendar arithmetic and the text forms of times and durations (spec §5.4, §9.1).
struct TimestampTests {
    static let instants: [String] = [
        "1970-01-01T00:00:00.000Z", "2020-01-01T12:00:00.000Z", "2024-02-29T23:59:59.999Z",
        "2024-01-10T17:30:00.123Z", "2100-03-01T00:00:00.001Z", "9999-12-31T23:59:59.999Z",
    ]

    @Test("format writes RFC 3339 UTC with milliseconds", arguments: instants)
    func formatMatchesFoundation(_ text: String) {
        #expect(Timestamp.format(isoMillis(text)) == text)
    }

    @Test("daysFromCivil and civilFromDays agree with Foundation's Gregorian calendar", arguments: [
        (1970, 1, 1), (1972, 2, 29), (2000, 2, 29), (2020, 1, 1), (2100, 2, 28), (2100, 3, 1), (9999, 12, 31),
    ])
    func civilDays(_ year: Int, _ month: Int, _ day: Int) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = try #require(calendar.date(from: DateComponents(year: year, month: month, day: day)))
        let expectedDays = Int((date.timeIntervalSince1970 / 86_400).rounded())
        #expect(Timestamp.daysFromCivil(year: year, month: month, day: day) == expectedDays)
        let civil = Timestamp.civilFromDays(expectedDays)
        #expect(civil.year == year && civil.month == month && civil.day == day)
    }

    @Test("days in month follow the Gregorian leap rules", arguments: [
        (2023, 2, 28), (2024, 2, 29), (1900, 2, 28), (2000, 2, 29), (2024, 4, 30), (2024, 12, 31),
    ])
    func daysInMonth(_ year: Int, _ month: Int, _ days: Int) {
        #expect(Timestamp.daysInMonth(year: year, month: month) == days)
    }

    static let durations: [(millis: Int64, text: String)] = [
        (439_000, "439"), (439_500, "439.5"), (86_400_000, "86400"), (1, "0.001"), (10, "0.01"), (0, "0"),
        (-1_500, "-1.5"), (123_456, "123.456"),
    ]

    @Test("durations are seconds with up to three decimals", arguments: durations)
    func secondsText(_ millis: Int64, _ text: String) {
        #expect(Timestamp.secondsText(millis) == text)
    }
}
