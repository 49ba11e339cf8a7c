import DoralakeCore
import Foundation
import Testing

/// Shared fixtures for the core tests: a pinned receipt time and helpers that build inputs from
/// JSON text and compute expected instants independently of ``DateParser``.
enum Fixture {
    /// The pinned receipt time of every test request: 2024-01-10T17:30:00Z.
    static let receivedAt: EpochMilliseconds = 1_704_907_800_000

    /// A fresh decoding context with the pinned receipt time and UTC for zone-less dates.
    static func context(zone: String = "UTC") -> DecodingContext {
        DecodingContext(receivedAt: receivedAt, dateParser: DateParser(zonelessTimeZone: TimeZone(identifier: zone)!))
    }
}

/// The members of a JSON object given as text; records a failure when the text is not an object.
func members(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONMember] {
    let document = try JSONParser.parse(json)
    return try #require(document.value.objectMembers, "fixture is not a JSON object", sourceLocation: sourceLocation)
}

/// Epoch milliseconds of an RFC 3339 text, computed with Foundation's `ISO8601DateFormatter`
/// so that expected values do not come from the code under test.
func isoMillis(_ text: String) -> EpochMilliseconds {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    guard let date = formatter.date(from: text) else {
        Testing.Issue.record("fixture \(text) is not RFC 3339")
        return .min
    }
    return EpochMilliseconds((date.timeIntervalSince1970 * 1000).rounded())
}

extension DecodingContext {
    /// The warning codes recorded so far, in order.
    var warningCodes: [String] { warnings.map(\.code) }

    /// The first warning with `code`, if any.
    func warning(_ code: String) -> IngestWarning? { warnings.first { $0.code == code } }
}
