import Foundation

/// The one rule for every text value a client sends (body fields, path and query parameters),
/// the same on SQLite and PostgreSQL: no NUL and no other C0 control character or DEL, except
/// tab, line feed and carriage return, which real titles and commit messages contain.
///
/// PostgreSQL cannot store U+0000 in text at all and SQLite's C interface cuts text at it, so
/// such a value would be stored differently on each database, or not at all; it is a 400 instead.
/// Names (connections, projects) follow the stricter ``NameRules``.
///
/// Text is stored in Unicode normalisation form C (``normalized(_:)``): two values that differ
/// only in normalisation (`é` as one code point or as `e` + a combining accent) are the same
/// value, for ids and commit shas as for titles, on both databases.
public enum TextRules {
    /// `text` in normalisation form C; ASCII text (nearly every id and sha) is returned as is.
    public static func normalized(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// Why `text` is not acceptable, or nil when it is.
    public static func controlCharacterProblem(_ text: String) -> String? {
        for scalar in text.unicodeScalars where isForbidden(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            return "must not contain control character U+\(String(repeating: "0", count: 4 - code.count))\(code)"
        }
        return nil
    }

    /// True for the scalars ``controlCharacterProblem(_:)`` rejects.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00..<0x20, 0x7F: return true
        default: return false
        }
    }
}
