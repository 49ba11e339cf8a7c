import DoralakeCore
import Testing

@Suite("Text rules")
struct TextRulesTests {
    @Test(
        "NUL, other C0 controls and DEL are refused, naming the code point",
        arguments: [("a\u{0}b", "U+0000"), ("\u{1}", "U+0001"), ("esc\u{1B}[0m", "U+001B"), ("del\u{7F}", "U+007F")])
    func refused(_ text: String, _ code: String) {
        #expect(TextRules.controlCharacterProblem(text) == "must not contain control character \(code)")
    }

    @Test("tab, line feed, carriage return and non-ASCII text are accepted", arguments: ["a\tb\nc\r\n", "Grüße, 東京 🚀", ""])
    func accepted(_ text: String) {
        #expect(TextRules.controlCharacterProblem(text) == nil)
    }

    @Test("text is normalised to NFC; ASCII is returned unchanged")
    func normalisation() {
        #expect(Array(TextRules.normalized("cafe\u{301}").utf8) == Array("caf\u{E9}".utf8))
        #expect(Array(TextRules.normalized("Å").utf8) == Array("\u{C5}".utf8))
        #expect(TextRules.normalized("abc-123") == "abc-123")
    }

    @Test("a body string with a control character is a field error invalid_character; NFD text reads as NFC")
    func objectReader() throws {
        let context = DecodingContext(receivedAt: 0)
        let members = try #require(
            JSONParser.parse(#"{"a":"x\u0000y","b":"cafe\u0301","c":["ok","n\u0007"]}"#).value.objectMembers)
        let reader = ObjectReader(
            members: members, fields: [FieldSpec("a"), FieldSpec("b"), FieldSpec("c")], context: context)
        #expect(reader.string("a") == nil)
        #expect(reader.string("b").map { Array($0.utf8) } == Array("caf\u{E9}".utf8))
        #expect(reader.stringList("c", maxItems: 5) == ["ok"])
        #expect(context.errors.map(\.field) == ["a", "c[1]"])
        #expect(context.errors.map(\.code) == [.invalidCharacter, .invalidCharacter])
    }

    @Test("warnings and errors of one body are capped, and echoed values are clipped")
    func echoLimits() {
        let context = DecodingContext(receivedAt: 0)
        for index in 0..<250 { context.warn("unknown_key", "k\(index)", "unknown key ignored") }
        #expect(context.warnings.count == EchoLimit.entries)
        #expect(context.warnings.last?.code == "warnings_truncated")
        let huge = String(repeating: "v", count: 10_000)
        context.fail(FieldError(field: "f", code: .tooLong, message: "is too long", detail: huge, value: .string(huge)))
        #expect(context.errors[0].detail.count == EchoLimit.textScalars + 1)
        #expect(context.errors[0].value == .string(String(repeating: "v", count: EchoLimit.valueScalars) + "…"))
        for _ in 0..<300 { context.fail(FieldError(field: "g", code: .required, message: "is required")) }
        #expect(context.errors.count == EchoLimit.entries)
        #expect(!context.isValid)
    }
}

@Suite("White space trimming")
struct WhitespaceTrimmingTests {
    @Test("trimmingWhitespace agrees with Foundation's whitespacesAndNewlines and whitespaces sets")
    func agreesWithFoundation() {
        let samples = [
            "", " ", "abc", "  abc  ", "\tabc\n", "\r\n x \r\n", "\u{00A0}nbsp\u{00A0}", "\u{2028}ls\u{2029}",
            "\u{3000}ideographic\u{3000}", "\u{0085}nel\u{0085}", "\u{000B}vt\u{000C}", "é ", " 日本 ", "a b", "\n",
            "\u{200B}zero-width\u{200B}", "\u{1680}ogham\u{2000}\u{200A}", "x\u{202F}", "\u{205F}y",
        ]
        for sample in samples {
            #expect(sample.trimmingWhitespace() == sample.trimmingCharacters(in: .whitespacesAndNewlines), "\(sample.debugDescription)")
            #expect(
                sample.trimmingWhitespace(newlines: false) == sample.trimmingCharacters(in: .whitespaces),
                "\(sample.debugDescription)")
            let sub = ("<" + sample + ">").dropFirst().dropLast()
            #expect(sub.trimmingWhitespace() == sample.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
