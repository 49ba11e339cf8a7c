import Foundation

/// The time range and zone of a metrics request (§1): `[from, to]`, inclusive on both ends at
/// millisecond precision, with days, weeks and months taken in ``timeZone``.
public struct MetricRange: Sendable, Equatable {
    /// The first instant in range.
    public let from: EpochMilliseconds
    /// The last instant in range (included).
    public let to: EpochMilliseconds
    /// The zone of the local calendar.
    public let timeZone: TimeZone
    /// The zone's name as echoed in responses: the requested IANA name, or `UTC` for the UTC zone
    /// (which Foundation may call `GMT`).
    public let timeZoneName: String

    /// Creates a range. `from` should not be later than `to` (``parse(from:to:tz:now:defaultTimeZone:)``
    /// guarantees it).
    ///
    /// - Parameters:
    ///   - from: The first instant in range.
    ///   - to: The last instant in range.
    ///   - timeZone: The zone of the local calendar.
    ///   - timeZoneName: The name to echo; defaults to the zone's identifier, with `GMT` shown as `UTC`.
    public init(from: EpochMilliseconds, to: EpochMilliseconds, timeZone: TimeZone, timeZoneName: String? = nil) {
        self.from = from
        self.to = to
        self.timeZone = timeZone
        self.timeZoneName = timeZoneName ?? (timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier)
    }

    /// The local calendar of ``timeZone``.
    public var calendar: LocalCalendar { LocalCalendar(timeZone: timeZone) }

    /// Whether `instant` lies in `[from, to]`.
    public func contains(_ instant: EpochMilliseconds) -> Bool { from <= instant && instant <= to }

    /// Every local month from the month of ``from`` to the month of ``to``: the entries of a monthly
    /// series.
    public var months: [LocalMonth] { calendar.months(from: from, to: to) }

    /// Reads the `from`, `to` and `tz` request parameters (§1).
    ///
    /// - `tz`: an IANA zone name (`UTC`, `Europe/Berlin`); absent or empty selects `defaultTimeZone`.
    /// - `from`, `to`: a date (`2024-05-01`) or a timestamp. A date `from` means the start of that
    ///   local day, a date `to` its end (23:59:59.999), in the request's zone. Timestamps are
    ///   RFC 3339 as ``DateParser`` accepts them; one without an offset is read in the request's zone.
    /// - Defaults: `to` = `now`; `from` = `to` minus 6 calendar months in the local calendar.
    ///
    /// - Parameters:
    ///   - from: The `from` parameter as sent, or `nil`.
    ///   - to: The `to` parameter as sent, or `nil`.
    ///   - tz: The `tz` parameter as sent, or `nil`.
    ///   - now: The current time (injected; never read here).
    ///   - defaultTimeZone: The configured zone (`metrics.timeZone`).
    /// - Returns: The range.
    /// - Throws: ``MetricParameterError`` naming `tz`, `from` or `to` when a value cannot be read,
    ///   or naming `from` when it is later than `to` or the range is longer than ``maximumYears``.
    public static func parse(
        from: String?, to: String?, tz: String?, now: EpochMilliseconds, defaultTimeZone: TimeZone
    ) throws -> MetricRange {
        let zone: TimeZone
        let zoneName: String?
        if let name = nonEmpty(tz) {
            guard isZoneName(name), let named = TimeZone(identifier: name) else {
                throw MetricParameterError(
                    parameter: "tz", message: "must be an IANA time zone name such as UTC or Europe/Berlin")
            }
            zone = named
            zoneName = name
        } else {
            zone = defaultTimeZone
            zoneName = nil
        }
        let calendar = LocalCalendar(timeZone: zone)
        let end = try instant(to, parameter: "to", dayEdge: .end, calendar: calendar) ?? now
        let start =
            try instant(from, parameter: "from", dayEdge: .start, calendar: calendar)
            ?? calendar.adding(months: -6, to: end)
        guard start <= end else {
            throw MetricParameterError(
                parameter: "from",
                message: "must not be later than to (from \(Timestamp.format(start)), to \(Timestamp.format(end)))")
        }
        guard calendar.adding(months: 12 * maximumYears, to: start) >= end else {
            throw MetricParameterError(
                parameter: "from",
                message:
                    "the range from \(Timestamp.format(start)) to \(Timestamp.format(end)) is longer than \(maximumYears) years; ask for at most \(maximumYears) years at a time")
        }
        return MetricRange(from: start, to: end, timeZone: zone, timeZoneName: zoneName)
    }

    /// Longest range a request may ask for: its monthly series has at most 12 × this + 1 points,
    /// so a request for all of time cannot make the server compute and send megabytes.
    public static let maximumYears = 10

    // MARK: - Private

    private enum DayEdge {
        case start, end
    }

    private static let utcParser = DateParser(zonelessTimeZone: TimeZone(secondsFromGMT: 0)!)

    private static func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// IANA names only (`Area/Location`, `UTC`, `GMT` and the other names Foundation lists):
    /// Foundation also accepts abbreviations and `GMT+1`-style names, and its list of known names
    /// omits some current ones such as `Asia/Kolkata`.
    private static func isZoneName(_ name: String) -> Bool {
        name == "UTC" || name == "GMT" || name.contains("/") || TimeZone.knownTimeZoneIdentifiers.contains(name)
    }

    private static func instant(
        _ text: String?, parameter: String, dayEdge: DayEdge, calendar: LocalCalendar
    ) throws -> EpochMilliseconds? {
        guard let text = nonEmpty(text) else { return nil }
        let invalid = MetricParameterError(
            parameter: parameter,
            message: "must be a date such as 2024-05-31 or an RFC 3339 timestamp such as 2024-05-31T23:59:59Z")
        if isDateOnly(text) {
            guard case .instant(let midnightUTC, _) = utcParser.parse(text) else { throw invalid }
            let day = LocalDay(daysSinceEpoch: Int(midnightUTC / 86_400_000))
            return dayEdge == .start ? calendar.start(of: day) : calendar.end(of: day)
        }
        guard case .instant(let instant, _) = DateParser(zonelessTimeZone: calendar.timeZone).parse(text) else {
            throw invalid
        }
        return instant
    }

    /// `yyyy-mm-dd` shape (validity is checked by ``DateParser``).
    private static func isDateOnly(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
    }
}
