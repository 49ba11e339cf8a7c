extension String {
    /// The text without leading and trailing white space: Unicode `White_Space` characters and
    /// U+200B, which are Foundation's `.whitespacesAndNewlines`; with `newlines: false`, without the line breaks
    /// (U+000A–U+000D, U+0085, U+2028, U+2029), which is Foundation's `.whitespaces`.
    ///
    /// Foundation's `trimmingCharacters(in:)` bridges to `NSString` and re-reads the text as UTF-16
    /// on every call; it was a tenth of an ingest request's decoding time. Text that starts and ends
    /// with a visible ASCII character, the common case, is returned as it is.
    public func trimmingWhitespace(newlines: Bool = true) -> String {
        let utf8 = self.utf8
        if let first = utf8.first, let last = utf8.last, Self.isVisibleASCII(first), Self.isVisibleASCII(last) {
            return self
        }
        let scalars = self.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, Self.isTrimmed(scalars[start], newlines: newlines) { start = scalars.index(after: start) }
        while start < end {
            let before = scalars.index(before: end)
            guard Self.isTrimmed(scalars[before], newlines: newlines) else { break }
            end = before
        }
        return String(scalars[start..<end])
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    private static func isTrimmed(_ scalar: Unicode.Scalar, newlines: Bool) -> Bool {
        // U+200B ZERO WIDTH SPACE is not `White_Space` in Unicode today, but Foundation's sets
        // include it (it was once a space separator): kept, so trimming stays what it was.
        guard scalar.properties.isWhitespace || scalar.value == 0x200B else { return false }
        if newlines { return true }
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return false
        default: return true
        }
    }
}

extension Substring {
    /// ``Swift/String/trimmingWhitespace(newlines:)`` of this text.
    public func trimmingWhitespace(newlines: Bool = true) -> String {
        String(self).trimmingWhitespace(newlines: newlines)
    }
}
