import Foundation

/// Parses the date forms webhook clients send (spec §9.4) into epoch milliseconds.
///
/// Accepted: RFC 3339 with offset `Z`, `±hh:mm`, `±hhmm` or `±hh`; `T`, `t` or one space between
/// date and time; seconds and fraction optional (fraction of any length, `.` or `,`, truncated to
/// milliseconds); date only; zone-less date-times (read in the configured zone); JSON numbers as
/// epoch seconds (|v| < 100 000 000 000) or milliseconds. `""` and `null` are absent. Years must
/// lie in 1970–9999.
public struct DateParser: Sendable {
    /// The outcome of parsing one value.
    public enum Outcome: Equatable, Sendable {
        /// `null`, `""` or whitespace only.
        case absent
        /// A point in time; `zoneless` when the text had a time but no offset.
        case instant(EpochMilliseconds, zoneless: Bool)
        /// Not a date in any accepted form.
        case invalid
    }

    /// The zone used for values without an offset (`ingest.zonelessTimeZone`).
    public let zonelessTimeZone: TimeZone

    public init(zonelessTimeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.zonelessTimeZone = zonelessTimeZone
    }

    /// The smallest accepted instant, 1970-01-01T00:00:00Z.
    public static let minimum: EpochMilliseconds = 0
    /// The first instant after the accepted range, 10000-01-01T00:00:00Z.
    public static let maximumExclusive: EpochMilliseconds =
        EpochMilliseconds(Timestamp.daysFromCivil(year: 10000, month: 1, day: 1)) * 86_400_000

    /// Parses a JSON value.
    public func parse(_ value: JSONValue) -> Outcome {
        switch value {
        case .null: return .absent
        case .string(let text): return parse(text)
        case .number(let text): return parseEpoch(text)
        default: return .invalid
        }
    }

    /// Parses a date string.
    public func parse(_ text: String) -> Outcome {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return .absent }
        var scanner = DateScanner(Array(trimmed.utf8))
        guard let year = scanner.digits(4), scanner.take(UInt8(ascii: "-")),
            let month = scanner.digits(2), scanner.take(UInt8(ascii: "-")),
            let day = scanner.digits(2)
        else { return .invalid }
        guard (1970...9999).contains(year), (1...12).contains(month),
            (1...Timestamp.daysInMonth(year: year, month: month)).contains(day)
        else { return .invalid }
        let dayMillis = EpochMilliseconds(Timestamp.daysFromCivil(year: year, month: month, day: day)) * 86_400_000
        if scanner.atEnd {
            // A calendar date: midnight in the zone-less zone, without a warning (DevLake accepts it too).
            return checked(toUTC(localMillis: dayMillis), zoneless: false)
        }
        guard scanner.takeAny([UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")]) else { return .invalid }
        guard let hour = scanner.digits(2), scanner.take(UInt8(ascii: ":")), let minute = scanner.digits(2),
            hour <= 23, minute <= 59
        else { return .invalid }
        var second = 0
        var millis = 0
        if scanner.take(UInt8(ascii: ":")) {
            guard let parsedSecond = scanner.digits(2), parsedSecond <= 59 else { return .invalid }
            second = parsedSecond
            if scanner.takeAny([UInt8(ascii: "."), UInt8(ascii: ",")]) {
                guard let fraction = scanner.fractionMillis() else { return .invalid }
                millis = fraction
            }
        }
        let local = dayMillis + EpochMilliseconds(hour * 3_600_000 + minute * 60_000 + second * 1000 + millis)
        if scanner.atEnd {
            return checked(toUTC(localMillis: local), zoneless: true)
        }
        guard let offsetMinutes = scanner.offsetMinutes(), scanner.atEnd else { return .invalid }
        let instant = local - EpochMilliseconds(offsetMinutes) * 60_000
        guard instant >= Self.minimum, instant < Self.maximumExclusive else { return .invalid }
        return .instant(instant, zoneless: false)
    }

    /// The instant if it lies in the accepted range (years 1970–9999 in UTC), else invalid.
    private func checked(_ instant: EpochMilliseconds, zoneless: Bool) -> Outcome {
        guard instant >= Self.minimum, instant < Self.maximumExclusive else { return .invalid }
        return .instant(instant, zoneless: zoneless)
    }

    private func toUTC(localMillis: EpochMilliseconds) -> EpochMilliseconds {
        if zonelessTimeZone.identifier == "UTC" || zonelessTimeZone.identifier == "GMT" { return localMillis }
        let guess = Date(timeIntervalSince1970: Double(localMillis) / 1000)
        let firstOffset = EpochMilliseconds(zonelessTimeZone.secondsFromGMT(for: guess)) * 1000
        var instant = localMillis - firstOffset
        let secondOffset =
            EpochMilliseconds(zonelessTimeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant) / 1000)))
            * 1000
        if secondOffset != firstOffset { instant = localMillis - secondOffset }
        return instant
    }

    private func parseEpoch(_ text: String) -> Outcome {
        guard let decimal = DecimalText(text) else { return .invalid }
        guard let integer = decimal.truncatedInt64 else { return .invalid }
        let magnitudeIsSeconds = decimal.integerDigits.count < 12  // |v| < 100 000 000 000
        var millis: EpochMilliseconds
        if magnitudeIsSeconds {
            let fraction = Array(decimal.fractionDigits.utf8.prefix(3))
            var fractionMillis = 0
            for (position, digit) in fraction.enumerated() {
                fractionMillis += Int(digit - 0x30) * [100, 10, 1][position]
            }
            millis = integer * 1000 + EpochMilliseconds(decimal.isNegative ? -fractionMillis : fractionMillis)
        } else {
            millis = integer
        }
        guard millis >= Self.minimum, millis < Self.maximumExclusive else { return .invalid }
        return .instant(millis, zoneless: false)
    }
}

/// A tiny cursor over the bytes of a date string.
private struct DateScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func takeAny(_ options: [UInt8]) -> Bool {
        guard index < bytes.count, options.contains(bytes[index]) else { return false }
        index += 1
        return true
    }

    /// Exactly `count` ASCII digits.
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[index + offset]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += count
        return value
    }

    /// One or more fraction digits, truncated to milliseconds.
    mutating func fractionMillis() -> Int? {
        var millis = 0
        var count = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            if count < 3 { millis = millis * 10 + Int(bytes[index] - 0x30) }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        // Pad short fractions to milliseconds; `count..<3` would trap for fractions longer than 3 digits.
        if count < 3 {
            for _ in count..<3 { millis *= 10 }
        }
        return millis
    }

    /// `Z`, `z`, `±hh:mm`, `±hhmm` or `±hh`, as minutes east of UTC.
    mutating func offsetMinutes() -> Int? {
        if takeAny([UInt8(ascii: "Z"), UInt8(ascii: "z")]) { return 0 }
        let sign: Int
        if take(UInt8(ascii: "+")) {
            sign = 1
        } else if take(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return nil
        }
        guard let hours = digits(2), hours <= 23 else { return nil }
        var minutes = 0
        if take(UInt8(ascii: ":")) {
            guard let parsed = digits(2) else { return nil }
            minutes = parsed
        } else if !atEnd {
            guard let parsed = digits(2) else { return nil }
            minutes = parsed
        }
        guard minutes <= 59 else { return nil }
        return sign * (hours * 60 + minutes)
    }
}
