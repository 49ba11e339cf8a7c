import DoralakeCore
import Foundation
import Hummingbird
import HummingbirdCore

/// The query parameters of a request, with typed, validated access (400 naming the parameter).
///
/// Read as HTML forms send them: `+` is a space and `%XX` a byte of UTF-8 (`?project=my+project`
/// and `?project=my%20project` both name "my project"). A value holding a control character
/// (``TextRules``) is a 400 naming its parameter; values are in normalisation form C; a repeated
/// parameter keeps its last value.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ uri: URI) throws {
        guard let query = uri.query, !query.isEmpty else { return }
        for (key, value) in FormBody(encoded: query).fields {
            if let problem = TextRules.controlCharacterProblem(key) {
                throw APIError.badRequest("query parameter: \(problem)", causes: ["query parameter: invalid character"])
            }
            if let problem = TextRules.controlCharacterProblem(value) {
                throw APIError.badRequest("\(key): \(problem)", causes: ["\(key): invalid character"])
            }
            values[key] = TextRules.normalized(value)
        }
    }

    subscript(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String) throws -> Int64? {
        guard let text = self[name] else { return nil }
        guard let value = Int64(text) else {
            throw APIError.badRequest("\(name): \"\(text)\" is not an integer", causes: ["\(name): not an integer"])
        }
        return value
    }

    func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = self[name] else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest(
                "\(name): must be an integer from \(range.lowerBound) to \(range.upperBound)",
                causes: ["\(name): out of range"])
        }
        return value
    }

    /// A date parameter; a date-only value of a `…To` parameter means the end of that day (inclusive ranges).
    func date(_ name: String, _ parser: DateParser) throws -> EpochMilliseconds? {
        guard let text = self[name] else { return nil }
        if case .instant(let millis, _) = parser.parse(text) {
            let dateOnly = text.count == 10 && !text.contains("T")
            return dateOnly && name.hasSuffix("To") ? millis + 86_399_999 : millis
        } else {
            throw APIError.badRequest(
                "\(name): cannot parse \"\(text)\" as a date (expected RFC 3339, e.g. 2024-01-10T17:30:00Z)",
                causes: ["\(name): invalid date"])
        }
    }
}
