import DoralakeCore
import Foundation
import Testing

/// Spec §1: the inclusive `[from, to]` range, date-only bounds in the request's zone, defaults
/// and parameter errors.
struct MetricRangeTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// 2024-06-15T12:00:00Z.
    static let now = isoMillis("2024-06-15T12:00:00Z")

    struct Bounds: Sendable, CustomTestStringConvertible {
        var from: String?
        var to: String?
        var tz: String?
        var expectedFrom: String
        var expectedTo: String
        var testDescription: String { "from=\(from ?? "-") to=\(to ?? "-") tz=\(tz ?? "-")" }
    }

    static let bounds: [Bounds] = [
        // date-only: start of the day of from, end of the day of to, in the request's zone
        Bounds(
            from: "2024-05-01", to: "2024-05-31", tz: nil,
            expectedFrom: "2024-05-01T00:00:00.000Z", expectedTo: "2024-05-31T23:59:59.999Z"),
        Bounds(
            from: "2024-05-01", to: "2024-05-31", tz: "Europe/Berlin",
            expectedFrom: "2024-04-30T22:00:00.000Z", expectedTo: "2024-05-31T21:59:59.999Z"),
        Bounds(
            from: "2024-01-01", to: "2024-01-01", tz: "America/New_York",
            expectedFrom: "2024-01-01T05:00:00.000Z", expectedTo: "2024-01-02T04:59:59.999Z"),
        // days on which Berlin changes its clocks have 23 and 25 hours
        Bounds(
            from: "2024-03-31", to: "2024-03-31", tz: "Europe/Berlin",
            expectedFrom: "2024-03-30T23:00:00.000Z", expectedTo: "2024-03-31T21:59:59.999Z"),
        Bounds(
            from: "2024-10-27", to: "2024-10-27", tz: "Europe/Berlin",
            expectedFrom: "2024-10-26T22:00:00.000Z", expectedTo: "2024-10-27T22:59:59.999Z"),
        // timestamps are taken as they are; one without offset is read in the request's zone
        Bounds(
            from: "2024-05-01T10:00:00+02:00", to: "2024-05-02T00:00:00.5Z", tz: nil,
            expectedFrom: "2024-05-01T08:00:00.000Z", expectedTo: "2024-05-02T00:00:00.500Z"),
        Bounds(
            from: "2024-05-01T10:00:00", to: "2024-05-31", tz: "Europe/Berlin",
            expectedFrom: "2024-05-01T08:00:00.000Z", expectedTo: "2024-05-31T21:59:59.999Z"),
        // defaults: to = now, from = to minus 6 calendar months
        Bounds(
            from: nil, to: nil, tz: nil,
            expectedFrom: "2023-12-15T12:00:00.000Z", expectedTo: "2024-06-15T12:00:00.000Z"),
        Bounds(
            from: "", to: "", tz: "", expectedFrom: "2023-12-15T12:00:00.000Z", expectedTo: "2024-06-15T12:00:00.000Z"),
        Bounds(
            from: nil, to: "2024-05-31", tz: nil,
            expectedFrom: "2023-11-30T23:59:59.999Z", expectedTo: "2024-05-31T23:59:59.999Z"),
        Bounds(
            from: nil, to: "2024-08-31T12:00:00Z", tz: nil,
            expectedFrom: "2024-02-29T12:00:00.000Z", expectedTo: "2024-08-31T12:00:00.000Z"),
        // six months back in the local calendar keeps the local time across a clock change
        Bounds(
            from: nil, to: nil, tz: "Europe/Berlin",
            expectedFrom: "2023-12-15T13:00:00.000Z", expectedTo: "2024-06-15T12:00:00.000Z"),
        Bounds(
            from: "2024-06-01", to: nil, tz: nil,
            expectedFrom: "2024-06-01T00:00:00.000Z", expectedTo: "2024-06-15T12:00:00.000Z"),
        // a one-millisecond range is allowed
        Bounds(
            from: "2024-05-01T00:00:00Z", to: "2024-05-01T00:00:00Z", tz: nil,
            expectedFrom: "2024-05-01T00:00:00.000Z", expectedTo: "2024-05-01T00:00:00.000Z"),
    ]

    @Test("from, to and tz define the inclusive range", arguments: bounds)
    func parse(_ example: Bounds) throws {
        let range = try MetricRange.parse(
            from: example.from, to: example.to, tz: example.tz, now: Self.now,
            defaultTimeZone: Self.utc)
        #expect(Timestamp.format(range.from) == example.expectedFrom)
        #expect(Timestamp.format(range.to) == example.expectedTo)
    }

    @Test("both ends are in range at millisecond precision")
    func inclusiveEnds() throws {
        let range = try MetricRange.parse(
            from: "2024-05-01", to: "2024-05-31", tz: nil, now: Self.now,
            defaultTimeZone: Self.utc)
        #expect(range.contains(isoMillis("2024-05-01T00:00:00.000Z")))
        #expect(range.contains(isoMillis("2024-05-31T23:59:59.999Z")))
        #expect(!range.contains(isoMillis("2024-04-30T23:59:59.999Z")))
        #expect(!range.contains(isoMillis("2024-06-01T00:00:00.000Z")))
    }

    @Test(
        "the configured zone applies when tz is absent, and the requested zone is echoed",
        arguments: [
            (String?.none, "Europe/Berlin", "2024-04-30T22:00:00.000Z"),
            ("UTC", "UTC", "2024-05-01T00:00:00.000Z"),
            ("Asia/Kolkata", "Asia/Kolkata", "2024-04-30T18:30:00.000Z"),
        ])
    func zone(_ tz: String?, _ name: String, _ expectedFrom: String) throws {
        let range = try MetricRange.parse(
            from: "2024-05-01", to: "2024-05-31", tz: tz, now: Self.now,
            defaultTimeZone: Self.berlin)
        #expect(range.timeZoneName == name)
        #expect(Timestamp.format(range.from) == expectedFrom)
    }

    @Test("the UTC default zone is echoed as UTC")
    func utcName() throws {
        let range = try MetricRange.parse(from: nil, to: nil, tz: nil, now: Self.now, defaultTimeZone: Self.utc)
        #expect(range.timeZoneName == "UTC")
    }

    @Test("the monthly series runs from the month of from to the month of to")
    func months() throws {
        let range = try MetricRange.parse(
            from: "2023-11-15", to: "2024-02-10", tz: nil, now: Self.now,
            defaultTimeZone: Self.utc)
        #expect(range.months.map(\.shortLabel) == ["23/11", "23/12", "24/01", "24/02"])
        #expect(range.months.map(\.isoLabel) == ["2023-11", "2023-12", "2024-01", "2024-02"])
    }

    @Test(
        "an unknown or non-IANA zone is rejected naming tz",
        arguments: ["Mars/Olympus", "utc", "GMT+1", "+01:00", "Europe/berlin"])
    func invalidZone(_ tz: String) {
        #expect(parameterOfError(from: nil, to: nil, tz: tz) == "tz")
    }

    static let unreadable: [(String?, String?, String)] = [
        ("2024-13-01", nil, "from"), ("2024-02-30", nil, "from"), ("yesterday", nil, "from"),
        (nil, "2024-05-31T25:00:00Z", "to"), (nil, "31.05.2024", "to"), (nil, "1969-12-31", "to"),
    ]

    @Test("an unreadable date is rejected naming its parameter", arguments: unreadable)
    func invalidDate(_ from: String?, _ to: String?, _ parameter: String) {
        #expect(parameterOfError(from: from, to: to, tz: nil) == parameter)
    }

    @Test(
        "from later than to is rejected naming from",
        arguments: [
            ("2024-06-01", "2024-05-31"), ("2024-05-01T00:00:00.001Z", "2024-05-01T00:00:00Z"), ("2024-07-01", nil),
        ])
    func invertedRange(_ from: String, _ to: String?) {
        #expect(parameterOfError(from: from, to: to, tz: nil) == "from")
    }

    @Test(
        "a range longer than ten years is rejected naming from; exactly ten years is accepted",
        arguments: [
            ("1970-01-01", "9999-12-31", false), ("2014-01-01", "2024-01-01", false),
            ("2014-01-01", "2023-12-31", true), ("2014-01-01T00:00:00Z", "2024-01-01T00:00:00Z", true),
        ])
    func rangeBound(_ from: String, _ to: String, _ accepted: Bool) {
        #expect(parameterOfError(from: from, to: to, tz: nil) == (accepted ? nil : "from"))
    }

    private func parameterOfError(from: String?, to: String?, tz: String?) -> String? {
        do {
            _ = try MetricRange.parse(from: from, to: to, tz: tz, now: Self.now, defaultTimeZone: Self.utc)
            return nil
        } catch {
            return (error as? MetricParameterError)?.parameter
        }
    }
}
