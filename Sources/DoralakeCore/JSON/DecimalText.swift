/// Exact decimal arithmetic on the text of a JSON number, so that values are never rounded
/// through a binary float (spec §9.2): `1e3` is `1000`, `42.9` truncates to `42`.
public struct DecimalText: Sendable, Equatable {
    /// True for a negative number (`-0` counts as not negative).
    public var isNegative: Bool
    /// Digits of the integer part, without leading zeros (`""` for zero).
    public var integerDigits: String
    /// Digits of the fraction part, without trailing zeros (`""` when integral).
    public var fractionDigits: String

    /// Reads a JSON number's text (as validated by ``JSONParser``); nil for anything else.
    public init?(_ text: String) {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        }
        var mantissa: [UInt8] = []
        var pointPosition: Int? = nil
        var exponent = 0
        var sawDigit = false
        var iterator = utf8.makeIterator()
        var pending: UInt8? = nil
        while let byte = pending ?? iterator.next() {
            pending = nil
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                mantissa.append(byte)
                sawDigit = true
            case UInt8(ascii: "."):
                guard pointPosition == nil else { return nil }
                pointPosition = mantissa.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var expText = ""
                while let next = iterator.next() { expText.append(Character(Unicode.Scalar(next))) }
                guard let parsed = Int(expText.hasPrefix("+") ? String(expText.dropFirst()) : expText),
                    abs(parsed) < 100_000
                else { return nil }
                exponent = parsed
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        let point = (pointPosition ?? mantissa.count) + exponent
        var integer: [UInt8]
        var fraction: [UInt8]
        if point <= 0 {
            integer = []
            fraction = Array(repeating: UInt8(ascii: "0"), count: -point) + mantissa
        } else if point >= mantissa.count {
            integer = mantissa + Array(repeating: UInt8(ascii: "0"), count: point - mantissa.count)
            fraction = []
        } else {
            integer = Array(mantissa[..<point])
            fraction = Array(mantissa[point...])
        }
        while integer.first == UInt8(ascii: "0") { integer.removeFirst() }
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        self.integerDigits = String(decoding: integer, as: UTF8.self)
        self.fractionDigits = String(decoding: fraction, as: UTF8.self)
        self.isNegative = negative && !(integer.isEmpty && fraction.isEmpty)
    }

    /// True when the number has no fractional part.
    public var isIntegral: Bool { fractionDigits.isEmpty }

    /// Plain decimal text without exponent: `1e3` → `1000`, `-0.50` → `-0.5`.
    public var plainText: String {
        var text = isNegative ? "-" : ""
        text += integerDigits.isEmpty ? "0" : integerDigits
        if !fractionDigits.isEmpty { text += "." + fractionDigits }
        return text
    }

    /// The integer part (truncated toward zero), or nil when it does not fit in 64 bits.
    public var truncatedInt64: Int64? {
        let digits = integerDigits.isEmpty ? "0" : integerDigits
        guard digits.count <= 19 else { return nil }
        return Int64((isNegative ? "-" : "") + digits)
    }

    /// The value as a `Double` (for quantities where rounding is harmless, e.g. story points).
    public var doubleValue: Double {
        Double(plainText) ?? .nan
    }
}
