import Foundation

/// Date-times of the fixtures and the METRICS examples, computed with Foundation's calendar so that
/// expected values do not come from the code under test.
public enum FixtureDate {
    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Epoch milliseconds of a UTC date-time whose numbers come in the order year, month, day, hour,
    /// minute, second, milliseconds (missing trailing parts are 0). Accepts `2024-05-01 09:00`,
    /// `2024-05-02 16:45:30`, DevLake's `2022-09-10T06:51:47.000+00:00` and `2023-4-10 6:51:47`
    /// (an offset after the time is ignored: the fixtures are all UTC).
    public static func utcMilliseconds(_ text: String) -> Int64 {
        var body = Substring(text)
        if let plus = body.lastIndex(of: "+"), body[..<plus].contains(":") { body = body[..<plus] }
        if body.hasSuffix("Z") { body = body.dropLast() }
        let numbers = body.split(whereSeparator: { !$0.isNumber }).map { Int($0)! }
        precondition(numbers.count >= 3, "not a date: \(text)")
        let part = { (index: Int) in index < numbers.count ? numbers[index] : 0 }
        let components = DateComponents(
            year: part(0), month: part(1), day: part(2), hour: part(3), minute: part(4), second: part(5))
        let date = utcCalendar.date(from: components)!
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) + Int64(part(6))
    }
}
