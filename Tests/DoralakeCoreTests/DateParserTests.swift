import DoralakeCore
import Foundation
import Testing

/// Spec §9.4: every accepted date form, every rejected form, epoch numbers and absent values.
struct DateParserTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        var input: String
        /// The expected instant as RFC 3339 UTC; converted with Foundation, not with DateParser.
        var expectedUTC: String
        var zoneless: Bool = false
        var testDescription: String { "\"\(input)\"" }
    }

    static let acceptedStrings: [Accepted] = [
        // RFC 3339, offset Z/z or ±hh:mm, any fraction length, `.` or `,`
        Accepted(input: "2020-01-01T12:00:00.1234567+01:00", expectedUTC: "2020-01-01T11:00:00.123Z"),
        Accepted(input: "2020-01-01T12:00:00Z", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01T12:00:00z", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01t12:00:00Z", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01T12:00:00.1Z", expectedUTC: "2020-01-01T12:00:00.100Z"),
        Accepted(input: "2020-01-01T12:00:00.12Z", expectedUTC: "2020-01-01T12:00:00.120Z"),
        Accepted(input: "2020-01-01T12:00:00.123Z", expectedUTC: "2020-01-01T12:00:00.123Z"),
        Accepted(input: "2020-01-01T12:00:00.123456Z", expectedUTC: "2020-01-01T12:00:00.123Z"),
        Accepted(input: "2020-01-01T12:00:00.999999999Z", expectedUTC: "2020-01-01T12:00:00.999Z"),
        Accepted(input: "2020-01-01T12:00:00,5Z", expectedUTC: "2020-01-01T12:00:00.500Z"),
        Accepted(input: "2020-01-01T12:00:00+00:00", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01T12:00:00-00:00", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01T12:00:00.250-05:30", expectedUTC: "2020-01-01T17:30:00.250Z"),
        Accepted(input: "2020-01-01T00:30:00+01:00", expectedUTC: "2019-12-31T23:30:00Z"),
        Accepted(input: "2020-01-01T23:30:00-01:00", expectedUTC: "2020-01-02T00:30:00Z"),
        // offset ±hhmm (shell `date +%z`)
        Accepted(input: "2020-01-01T12:00:00+0000", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2024-01-10T17:30:00+0000", expectedUTC: "2024-01-10T17:30:00Z"),
        Accepted(input: "2020-01-01T12:00:00-0130", expectedUTC: "2020-01-01T13:30:00Z"),
        Accepted(input: "2020-01-01T12:00:00.5+0200", expectedUTC: "2020-01-01T10:00:00.500Z"),
        // offset ±hh
        Accepted(input: "2020-01-01T12:00+01", expectedUTC: "2020-01-01T11:00:00Z"),
        Accepted(input: "2020-01-01T12:00:00-08", expectedUTC: "2020-01-01T20:00:00Z"),
        // one space instead of T, with or without offset
        Accepted(input: "2020-01-01 12:00:00+00:00", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01 12:00:00Z", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01 12:00:00", expectedUTC: "2020-01-01T12:00:00Z", zoneless: true),
        // without seconds
        Accepted(input: "2020-01-01T12:00Z", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "2020-01-01 12:00", expectedUTC: "2020-01-01T12:00:00Z", zoneless: true),
        Accepted(input: "2020-01-01T12:00", expectedUTC: "2020-01-01T12:00:00Z", zoneless: true),
        // date only
        Accepted(input: "2020-01-01", expectedUTC: "2020-01-01T00:00:00Z"),
        // zone-less date-time
        Accepted(input: "2020-01-01T12:00:00", expectedUTC: "2020-01-01T12:00:00Z", zoneless: true),
        Accepted(input: "2020-01-01T12:00:00.75", expectedUTC: "2020-01-01T12:00:00.750Z", zoneless: true),
        // surrounding white space is trimmed
        Accepted(input: "  2020-01-01T12:00:00Z\n", expectedUTC: "2020-01-01T12:00:00Z"),
        Accepted(input: "\t2020-01-01 ", expectedUTC: "2020-01-01T00:00:00Z"),
        // calendar edges
        Accepted(input: "2024-02-29T00:00:00Z", expectedUTC: "2024-02-29T00:00:00Z"),
        Accepted(input: "2000-02-29", expectedUTC: "2000-02-29T00:00:00Z"),
        Accepted(input: "2023-12-31T23:59:59.999Z", expectedUTC: "2023-12-31T23:59:59.999Z"),
        Accepted(input: "1970-01-01T00:00:00Z", expectedUTC: "1970-01-01T00:00:00Z"),
        Accepted(input: "9999-12-31T23:59:59.999Z", expectedUTC: "9999-12-31T23:59:59.999Z"),
    ]

    @Test("accepted date strings are stored as UTC milliseconds", arguments: acceptedStrings)
    func acceptedString(_ testCase: Accepted) {
        // Given a parser reading zone-less values in UTC
        let parser = DateParser()
        // When the string is parsed
        let outcome = parser.parse(testCase.input)
        // Then it is the expected instant, flagged zone-less only when it had a time but no offset
        #expect(outcome == .instant(isoMillis(testCase.expectedUTC), zoneless: testCase.zoneless))
    }

    @Test("a date string inside a JSON value is parsed like the bare string")
    func jsonStringValue() {
        let parser = DateParser()
        #expect(parser.parse(JSONValue.string("2020-01-01T12:00:00Z")) == .instant(1_577_880_000_000, zoneless: false))
    }

    static let acceptedNumbers: [(text: String, millis: EpochMilliseconds)] = [
        ("1577880000", 1_577_880_000_000),  // seconds: 2020-01-01T12:00:00Z
        ("1577880000000", 1_577_880_000_000),  // milliseconds
        ("1577880000.5", 1_577_880_000_500),  // fractional seconds
        ("1577880000.1239", 1_577_880_000_123),  // truncated to milliseconds
        ("1577880000000.9", 1_577_880_000_000),  // fractional milliseconds truncated
        ("1.57788e9", 1_577_880_000_000),  // exponent, exact decimal
        ("0", 0),
        ("99999999999", 99_999_999_999_000),  // largest magnitude still read as seconds
        ("100000000000", 100_000_000_000),  // smallest magnitude read as milliseconds
        ("1e12", 1_000_000_000_000),
        ("253402300799999", 253_402_300_799_999),  // 9999-12-31T23:59:59.999Z
    ]

    @Test("JSON numbers are epoch seconds below 100 000 000 000 and milliseconds above", arguments: acceptedNumbers)
    func acceptedNumber(_ text: String, _ millis: EpochMilliseconds) {
        // Given a JSON number
        let value = JSONValue.number(text)
        // When it is parsed as a date
        let outcome = DateParser().parse(value)
        // Then it is that instant, never zone-less
        #expect(outcome == .instant(millis, zoneless: false))
    }

    @Test("the seconds/milliseconds boundary matches the documented instant")
    func epochExampleMatchesFoundation() {
        #expect(DateParser().parse(JSONValue.number("1577880000")) == .instant(isoMillis("2020-01-01T12:00:00Z"), zoneless: false))
    }

    static let absentValues: [JSONValue] = [.null, .string(""), .string("   "), .string("\n\t")]

    @Test("null, empty and blank strings are absent, not invalid", arguments: absentValues)
    func absent(_ value: JSONValue) {
        #expect(DateParser().parse(value) == .absent)
    }

    static let rejectedStrings: [String] = [
        // other separators
        "2024/01/10", "2024.01.10", "2024_01_10", "20240110", "20240110T173000Z",
        "2024-01-10_17:30:00Z", "2024-01-10  17:30:00Z", "2024-01-10T17.30.00Z",
        // unpadded fields
        "2024-1-1", "2024-01-1", "2024-1-01", "24-01-10", "2024-01-10T1:00:00Z", "2024-01-10T17:3:00Z",
        "2024-01-10T17:30:0Z",
        // invalid calendar values
        "2023-02-29", "2100-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2024-04-31",
        "2024-01-10T24:00:00Z", "2024-01-10T17:60:00Z", "2024-01-10T17:30:60Z",
        // malformed offsets
        "2024-01-10T17:30:00+24:00", "2024-01-10T17:30:00+01:60", "2024-01-10T17:30:00+1",
        "2024-01-10T17:30:00+01:0", "2024-01-10T17:30:00+013", "2024-01-10T17:30:00 Z", "2024-01-10T17:30:00UTC",
        "2024-01-10T17:30:00Zjunk",
        // numeric strings
        "1704907800", "1577880000000", "0",
        // years outside 1970–9999
        "1969-12-31", "1969-12-31T23:59:59Z", "0001-01-01", "10000-01-01",
        // incomplete or trailing parts
        "2024-01-10T", "2024-01-10T17", "2024-01-10T17:30:00.", "2024-01-10T17:30.5Z", "2024-01-10Tjunk",
        "2024-01", "2024", "yesterday", "not a date",
    ]

    @Test("date strings outside the accepted forms are invalid", arguments: rejectedStrings)
    func rejectedString(_ input: String) {
        #expect(DateParser().parse(input) == .invalid)
    }

    static let rejectedValues: [JSONValue] = [
        .number("-1"),  // before 1970
        .number("-1577880000"),
        .number("253402300800000"),  // 10000-01-01T00:00:00Z in milliseconds
        .number("1e30"),  // does not fit in 64 bits
        .bool(true), .bool(false),
        .array([.string("2020-01-01")]),
        .object([JSONMember("date", .string("2020-01-01"))]),
    ]

    @Test("numbers out of range and non-date JSON types are invalid", arguments: rejectedValues)
    func rejectedValue(_ value: JSONValue) {
        #expect(DateParser().parse(value) == .invalid)
    }

    struct ZonedCase: Sendable, CustomTestStringConvertible {
        var zone: String
        var input: String
        var expectedUTC: String
        var zoneless: Bool
        var testDescription: String { "\(input) in \(zone)" }
    }

    static let zonedCases: [ZonedCase] = [
        ZonedCase(zone: "Europe/Berlin", input: "2020-01-01T12:00:00", expectedUTC: "2020-01-01T11:00:00Z", zoneless: true),
        ZonedCase(zone: "Europe/Berlin", input: "2020-07-01T12:00:00", expectedUTC: "2020-07-01T10:00:00Z", zoneless: true),
        ZonedCase(zone: "Europe/Berlin", input: "2020-01-01", expectedUTC: "2019-12-31T23:00:00Z", zoneless: false),
        ZonedCase(zone: "America/New_York", input: "2020-03-08 12:00", expectedUTC: "2020-03-08T16:00:00Z", zoneless: true),
        ZonedCase(zone: "America/New_York", input: "2020-03-07 12:00", expectedUTC: "2020-03-07T17:00:00Z", zoneless: true),
        // an explicit offset ignores the configured zone
        ZonedCase(zone: "Europe/Berlin", input: "2020-01-01T12:00:00Z", expectedUTC: "2020-01-01T12:00:00Z", zoneless: false),
        ZonedCase(zone: "Asia/Tokyo", input: "2020-01-01T12:00:00+01:00", expectedUTC: "2020-01-01T11:00:00Z", zoneless: false),
    ]

    @Test("values without an offset are read in the configured zone", arguments: zonedCases)
    func zonelessTimeZone(_ testCase: ZonedCase) {
        // Given a parser configured with ingest.zonelessTimeZone
        let parser = DateParser(zonelessTimeZone: TimeZone(identifier: testCase.zone)!)
        // When a value is parsed
        // Then local wall-clock values are converted from that zone, offset values are not
        #expect(parser.parse(testCase.input) == .instant(isoMillis(testCase.expectedUTC), zoneless: testCase.zoneless))
    }
}
