import DoralakeCore
import Testing

/// Spec §9.2/§9.6: numbers are read exactly from their text, never through a binary float.
struct DecimalTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var plain: String
        var truncated: Int64?
        var integral: Bool
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "42", plain: "42", truncated: 42, integral: true),
        Case(text: "0", plain: "0", truncated: 0, integral: true),
        Case(text: "-0", plain: "0", truncated: 0, integral: true),
        Case(text: "-0.0", plain: "0", truncated: 0, integral: true),
        Case(text: "007", plain: "7", truncated: 7, integral: true),
        Case(text: "1e3", plain: "1000", truncated: 1000, integral: true),
        Case(text: "1E+3", plain: "1000", truncated: 1000, integral: true),
        Case(text: "2.5e-3", plain: "0.0025", truncated: 0, integral: false),
        Case(text: "1.50", plain: "1.5", truncated: 1, integral: false),
        Case(text: "-0.50", plain: "-0.5", truncated: 0, integral: false),
        Case(text: "42.9", plain: "42.9", truncated: 42, integral: false),
        Case(text: "-42.9", plain: "-42.9", truncated: -42, integral: false),
        Case(text: "1.25e2", plain: "125", truncated: 125, integral: true),
        Case(text: "0.1", plain: "0.1", truncated: 0, integral: false),
        Case(text: "9223372036854775807", plain: "9223372036854775807", truncated: .max, integral: true),
        Case(text: "-9223372036854775808", plain: "-9223372036854775808", truncated: .min, integral: true),
        Case(text: "9223372036854775808", plain: "9223372036854775808", truncated: nil, integral: true),
        Case(text: "1e20", plain: "100000000000000000000", truncated: nil, integral: true),
        // would be 0.30000000000000004 through a Double
        Case(text: "0.30000000000000000001", plain: "0.30000000000000000001", truncated: 0, integral: false),
    ]

    @Test("decimal text is exact: plain text, truncation and integrality", arguments: cases)
    func decimal(_ testCase: Case) throws {
        let decimal = try #require(DecimalText(testCase.text))
        #expect(decimal.plainText == testCase.plain)
        #expect(decimal.truncatedInt64 == testCase.truncated)
        #expect(decimal.isIntegral == testCase.integral)
    }

    @Test("text that is not a number is rejected", arguments: ["", "-", "abc", "1.2.3", "1e", "1x", "e5", "."])
    func notANumber(_ text: String) {
        #expect(DecimalText(text) == nil)
    }

    @Test("the double value is available for quantities where rounding is harmless")
    func doubleValue() throws {
        #expect(try #require(DecimalText("2.5e1")).doubleValue == 25)
        #expect(try #require(DecimalText("-0.125")).doubleValue == -0.125)
    }
}
