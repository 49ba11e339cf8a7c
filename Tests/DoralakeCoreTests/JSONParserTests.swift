import DoralakeCore
import Testing

/// Spec §9.1/§9.2: a strict JSON reader that keeps member order, duplicate keys and number text,
/// reports line and column of errors and flags trailing data.
struct JSONParserTests {
    @Test("objects keep member order and duplicate keys")
    func objectOrderAndDuplicates() throws {
        // Given an object with a repeated key
        let text = #"{"b":1,"a":"x","b":2}"#
        // When it is parsed
        let value = try JSONParser.parse(text).value
        // Then every member is kept in document order
        #expect(
            value == .object([JSONMember("b", .number("1")), JSONMember("a", .string("x")), JSONMember("b", .number("2"))]))
        // And the subscript sees the last of the duplicates
        #expect(value["b"] == .number("2"))
    }

    static let numberTexts = ["0", "-0", "42", "-17", "1.50", "1e3", "1E+3", "2.5e-3", "12345678901234567890123", "0.1"]

    @Test("numbers keep their exact text", arguments: numberTexts)
    func numberTextIsKept(_ text: String) throws {
        #expect(try JSONParser.parse(text).value == .number(text))
    }

    struct ValueCase: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: JSONValue
        var testDescription: String { text }
    }

    static let values: [ValueCase] = [
        ValueCase(text: "null", expected: .null),
        ValueCase(text: "true", expected: .bool(true)),
        ValueCase(text: "false", expected: .bool(false)),
        ValueCase(text: #""plain""#, expected: .string("plain")),
        ValueCase(text: #""a\"b\\c\/d\b\f\n\r\t""#, expected: .string("a\"b\\c/d\u{08}\u{0C}\n\r\t")),
        ValueCase(text: #""\u00e9\u20AC""#, expected: .string("é€")),
        ValueCase(text: #""\ud83d\ude00""#, expected: .string("😀")),
        ValueCase(text: #""é😀""#, expected: .string("é😀")),
        ValueCase(text: "[]", expected: .array([])),
        ValueCase(text: "{}", expected: .object([])),
        ValueCase(text: " [1, \"a\", null, [true]] ", expected: .array([.number("1"), .string("a"), .null, .array([.bool(true)])])),
        ValueCase(text: "\t\r\n{ \"k\" : { \"n\" : [ ] } }\n", expected: .object([JSONMember("k", .object([JSONMember("n", .array([]))]))])),
    ]

    @Test("valid documents parse to the expected value", arguments: values)
    func validDocument(_ testCase: ValueCase) throws {
        let document = try JSONParser.parse(testCase.text)
        #expect(document.value == testCase.expected)
        #expect(!document.hasTrailingData)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var text: String
        var reason: String
        var line: Int
        var column: Int
        var testDescription: String { text.debugDescription }
    }

    static let errors: [ErrorCase] = [
        // the documented example of §9.1
        ErrorCase(text: #"{"issueKey": "X-1",}"#, reason: "unexpected '}'", line: 1, column: 20),
        ErrorCase(text: "", reason: "unexpected end of input", line: 1, column: 1),
        ErrorCase(text: "{", reason: "unexpected end of input", line: 1, column: 2),
        ErrorCase(text: #"{"a":1"#, reason: "unexpected end of input", line: 1, column: 7),
        ErrorCase(text: "{\n  \"a\": 1,\n  \"b\" 2\n}", reason: "unexpected '2'", line: 3, column: 7),
        ErrorCase(text: "[1,]", reason: "unexpected ']'", line: 1, column: 4),
        ErrorCase(text: "{'a':1}", reason: "unexpected '''", line: 1, column: 2),
        ErrorCase(text: "tru", reason: "unexpected 't'", line: 1, column: 1),
        ErrorCase(text: "nul", reason: "unexpected 'n'", line: 1, column: 1),
        ErrorCase(text: #"{"a":01}"#, reason: "unexpected '1'", line: 1, column: 7),
        ErrorCase(text: "1.", reason: "unexpected end of input", line: 1, column: 3),
        ErrorCase(text: "-", reason: "unexpected end of input", line: 1, column: 2),
        ErrorCase(text: "+1", reason: "unexpected '+'", line: 1, column: 1),
        ErrorCase(text: "1e", reason: "unexpected end of input", line: 1, column: 3),
        ErrorCase(text: ".5", reason: "unexpected '.'", line: 1, column: 1),
        ErrorCase(text: "NaN", reason: "unexpected 'N'", line: 1, column: 1),
        ErrorCase(text: #""abc"#, reason: "unterminated string", line: 1, column: 1),
        ErrorCase(text: "\"a\nb\"", reason: "control character in string", line: 1, column: 3),
        ErrorCase(text: #""\x""#, reason: "invalid escape '\\x'", line: 1, column: 3),
        ErrorCase(text: #""\u12""#, reason: "invalid \\u escape", line: 1, column: 4),
        ErrorCase(text: #""\ud83d""#, reason: "unpaired surrogate in \\u escape", line: 1, column: 8),
        ErrorCase(text: #""\ude00""#, reason: "unpaired surrogate in \\u escape", line: 1, column: 8),
        // columns count characters, not bytes
        ErrorCase(text: #"{"é": x}"#, reason: "unexpected 'x'", line: 1, column: 7),
    ]

    @Test("invalid JSON reports the reason, line and column", arguments: errors)
    func invalidDocument(_ testCase: ErrorCase) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(testCase.text) }
        #expect(error == JSONParseError(reason: testCase.reason, line: testCase.line, column: testCase.column))
    }

    @Test("the error description reads as the message of §9.1")
    func errorDescription() {
        #expect(JSONParseError(reason: "unexpected '}'", line: 1, column: 20).description == "unexpected '}' at line 1, column 20")
    }

    @Test("invalid UTF-8 inside a string is rejected")
    func invalidUTF8InString() {
        // Given a string containing a lone continuation byte
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0x80] + Array(#""}"#.utf8)
        // When / Then parsing fails with an UTF-8 error
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(error?.reason == "invalid UTF-8 in string")
    }

    @Test("a non-ASCII byte outside strings is reported in hex")
    func invalidByteOutsideString() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse([0xFF]) }
        #expect(error?.reason == "unexpected byte 0xFF")
    }

    @Test("data after the first value is flagged, not parsed", arguments: [#"{"a":1} x"#, #"{"a":1}{"b":2}"#, "1 2"])
    func trailingData(_ text: String) throws {
        #expect(try JSONParser.parse(text).hasTrailingData)
    }

    @Test("nesting up to the maximum depth is accepted")
    func maximumDepthAccepted() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONParser.parse(text) }
    }

    @Test("nesting deeper than the maximum depth is rejected")
    func maximumDepthExceeded() {
        let depth = JSONParser.maximumDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.reason == "nesting deeper than 64 levels")
    }

    @Test("serialisation is compact, keeps order and escapes control characters")
    func serialization() {
        // Given a value with duplicate keys, exact number text and characters that need escaping
        let value = JSONValue.object([
            JSONMember("b", .number("1.50")), JSONMember("a", .string("q\"\\\n\r\t\u{01}é")),
            JSONMember("b", .array([.null, .bool(false)])),
        ])
        // When it is serialised
        let text = value.serialized()
        // Then the text is compact JSON in the same order
        #expect(text == #"{"b":1.50,"a":"q\"\\\n\r\t\u0001é","b":[null,false]}"#)
        #expect(value.serializedBytes() == Array(text.utf8))
    }

    @Test("serialised text parses back to the same value")
    func serializationRoundTrip() throws {
        let original = try JSONParser.parse(#"{"x":[1,-2.5e3,"\u0000\u001f",{"y":null}],"z":true}"#).value
        #expect(try JSONParser.parse(original.serialized()).value == original)
    }

    @Test("type names used in error messages")
    func typeNames() {
        let names = ([.null, .bool(true), .number("1"), .string(""), .array([]), .object([])] as [JSONValue]).map(\.typeName)
        #expect(names == ["null", "boolean", "number", "string", "array", "object"])
    }
}
