import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body (what HTML forms post).
struct FormBody: Sendable {
    /// Every field in order, names and values decoded.
    private(set) var fields: [(name: String, value: String)] = []

    /// Reads and parses a form body of at most `limit` bytes.
    /// - Throws: ``APIError`` 413 above the limit, 415 for another content type.
    static func read(from request: Request, limit: Int) async throws -> FormBody {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let bytes = try await RequestBody.bytes(of: request, limit: limit)
        guard type.hasPrefix("application/x-www-form-urlencoded") || (type.isEmpty && bytes.isEmpty) else {
            throw APIError(status: .unsupportedMediaType, message: "send the form as application/x-www-form-urlencoded")
        }
        return FormBody(encoded: String(decoding: bytes, as: UTF8.self))
    }

    /// Parses `a=1&b=two+words`.
    init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    /// `application/x-www-form-urlencoded` decoding of one name or value: `+` is a space, `%XX` a
    /// byte of UTF-8 (text that is not valid percent-encoding is kept as sent).
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of a field.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of a field, in order (checkbox groups).
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }
}
