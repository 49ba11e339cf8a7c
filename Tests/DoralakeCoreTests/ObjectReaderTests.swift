import DoralakeCore
import Testing

/// Spec §9.3 (key matching, aliases, unknown keys) and §9.6 (weak typing, limits), exercised on
/// ``ObjectReader`` directly.
struct ObjectReaderTests {
    static let fields: [FieldSpec] = [
        FieldSpec("repoUrl"), FieldSpec("startedDate", aliases: ["start_time", "startTime"]), FieldSpec("count"),
        FieldSpec("amount"), FieldSpec("flag"), FieldSpec("items"), FieldSpec("name"), FieldSpec("environment"),
    ]

    /// A reader over `json` with the test fields, plus its context.
    func makeReader(_ json: String, path: String = "", ignored: [String] = []) throws -> (ObjectReader, DecodingContext) {
        let context = Fixture.context()
        let reader = ObjectReader(
            members: try members(json), fields: Self.fields, ignored: ignored, path: path, context: context)
        return (reader, context)
    }

    // MARK: Key matching

    @Test("keys match field names ASCII case-insensitively", arguments: ["repoUrl", "REPOURL", "repourl", "RePoUrL"])
    func caseInsensitiveKey(_ key: String) throws {
        // Given a body spelling the key in another case
        let (reader, context) = try makeReader(#"{"\#(key)":"https://x"}"#)
        // When the field is read
        // Then the value is found and no warning is given
        #expect(reader.string("repoUrl") == "https://x")
        #expect(context.warnings.isEmpty)
    }

    static let snakeCases: [(name: String, snake: String)] = [
        ("displayTitle", "display_title"), ("pullRequestKey", "pull_request_key"), ("issueKey", "issue_key"),
        ("isDraft", "is_draft"), ("repoUrl", "repo_url"), ("id", "id"),
    ]

    @Test("every field name has a snake_case spelling", arguments: snakeCases)
    func snakeCaseName(_ name: String, _ snake: String) {
        #expect(FieldSpec.snakeCase(name) == snake)
    }

    @Test("the snake_case spelling is added as an alias, once")
    func snakeCaseAlias() {
        #expect(FieldSpec("displayTitle").aliases == ["display_title"])
        #expect(FieldSpec("displayTitle", aliases: ["title"]).aliases == ["title", "display_title"])
        #expect(FieldSpec("repoUrl", aliases: ["repo_url"]).aliases == ["repo_url"])
        #expect(FieldSpec("id").aliases.isEmpty)
    }

    @Test("a snake_case key is read with warning legacy_alias", arguments: ["repo_url", "REPO_URL"])
    func snakeCaseKey(_ key: String) throws {
        let (reader, context) = try makeReader(#"{"\#(key)":"r"}"#)
        #expect(reader.string("repoUrl") == "r")
        #expect(context.warningCodes == ["legacy_alias"])
        #expect(context.warnings.first?.field == key)
    }

    @Test("an explicit alias is read with warning legacy_alias")
    func explicitAlias() throws {
        let (reader, context) = try makeReader(#"{"start_time":"2020-01-01T12:00:00Z"}"#)
        #expect(reader.date("startedDate") == 1_577_880_000_000)
        #expect(context.warningCodes == ["legacy_alias"])
        #expect(context.warning("legacy_alias")?.message == #""start_time" read as "startedDate""#)
    }

    @Test("the canonical name beats an alias, which is reported as shadowed")
    func canonicalBeatsAlias() throws {
        // Given both the alias (after) and the canonical key
        let (reader, context) = try makeReader(#"{"startedDate":"2020-01-01","start_time":"2021-01-01"}"#)
        // Then the canonical value is used and the alias is reported
        #expect(reader.date("startedDate") == isoMillis("2020-01-01T00:00:00Z"))
        #expect(context.warningCodes == ["alias_shadowed"])
        #expect(context.warnings.first?.field == "start_time")
    }

    @Test("among case variants the exact-case key wins even when it is not last")
    func exactCaseWins() throws {
        let (reader, context) = try makeReader(#"{"REPOURL":"a","repoUrl":"b","repourl":"c"}"#)
        #expect(reader.string("repoUrl") == "b")
        #expect(context.warningCodes == ["duplicate_key"])
        #expect(context.warnings.first?.field == "repoUrl")
    }

    @Test("without an exact-case key the last variant in document order wins")
    func lastVariantWins() throws {
        let (reader, context) = try makeReader(#"{"REPOURL":"a","repourl":"c"}"#)
        #expect(reader.string("repoUrl") == "c")
        #expect(context.warningCodes == ["duplicate_key"])
    }

    @Test("a key repeated with the same spelling keeps the last value")
    func repeatedExactKey() throws {
        let (reader, context) = try makeReader(#"{"name":"first","name":"second"}"#)
        #expect(reader.string("name") == "second")
        #expect(context.warningCodes == ["duplicate_key"])
    }

    @Test("several aliases: the last exact alias wins, with duplicate_key and legacy_alias")
    func severalAliases() throws {
        let (reader, context) = try makeReader(#"{"startTime":"2021-01-01","START_TIME":"2022-01-01"}"#)
        #expect(reader.date("startedDate") == isoMillis("2021-01-01T00:00:00Z"))
        #expect(context.warningCodes == ["duplicate_key", "legacy_alias"])
    }

    @Test("unknown keys are ignored and reported")
    func unknownKey() throws {
        let (reader, context) = try makeReader(#"{"url":"x","name":"n"}"#)
        #expect(reader.string("name") == "n")
        #expect(!reader.has("url"))
        #expect(context.warnings == [IngestWarning(code: "unknown_key", field: "url", message: #"unknown key "url" ignored"#)])
        #expect(context.warnings.first?.json.serialized() == #"{"code":"unknown_key","field":"url","message":"unknown key \"url\" ignored"}"#)
    }

    @Test("ignored legacy keys give legacy_key_ignored, not unknown_key")
    func ignoredKey() throws {
        let (_, context) = try makeReader(#"{"board_key":"B"}"#, ignored: ["board_key"])
        #expect(context.warningCodes == ["legacy_key_ignored"])
    }

    @Test("warnings and errors of a nested object carry its path")
    func nestedPath() throws {
        let (reader, context) = try makeReader(#"{"bogus":1,"count":"x"}"#, path: "deploymentCommits[2].")
        _ = reader.integer("count")
        #expect(context.warnings.first?.field == "deploymentCommits[2].bogus")
        #expect(context.errors.first?.field == "deploymentCommits[2].count")
    }

    @Test("has and hasValue distinguish absent, null and present")
    func presence() throws {
        let (reader, _) = try makeReader(#"{"name":null,"count":1}"#)
        #expect(reader.has("name") && !reader.hasValue("name"))
        #expect(reader.has("count") && reader.hasValue("count"))
        #expect(!reader.has("flag") && !reader.hasValue("flag"))
    }

    // MARK: Strings

    static let stringCoercions: [(json: String, expected: String)] = [
        (#""text""#, "text"),
        (#"" padded ""#, " padded "),  // values are not trimmed
        ("42", "42"),
        ("-7", "-7"),
        ("1e3", "1000"),
        ("1.50", "1.5"),
        ("2.5e-3", "0.0025"),
        ("true", "1"),
        ("false", "0"),
    ]

    @Test("strings accept numbers (decimal text without exponent) and booleans (1/0)", arguments: stringCoercions)
    func stringCoercion(_ json: String, _ expected: String) throws {
        let (reader, context) = try makeReader(#"{"name":\#(json)}"#)
        #expect(reader.string("name") == expected)
        #expect(context.errors.isEmpty)
    }

    @Test("arrays and objects are not scalars: invalid_type", arguments: ["[1]", #"{"a":1}"#, "[]"])
    func scalarRejectsContainers(_ json: String) throws {
        // Given a container where each scalar target is expected
        let (reader, context) = try makeReader(
            #"{"name":\#(json),"count":\#(json),"amount":\#(json),"flag":\#(json),"startedDate":\#(json),"environment":\#(json)}"#)
        // When every field is read
        #expect(reader.string("name") == nil)
        #expect(reader.integer("count") == nil)
        #expect(reader.number("amount") == nil)
        #expect(reader.bool("flag") == nil)
        #expect(reader.date("startedDate") == nil)
        #expect(reader.enumeration("environment", allowed: Enumerations.environments, strict: true) == nil)
        // Then each is an invalid_type error
        #expect(context.errors.map(\.code) == Array(repeating: .invalidType, count: 6))
        #expect(context.errors.map(\.field) == ["name", "count", "amount", "flag", "startedDate", "environment"])
    }

    @Test("a required string that is absent, null or blank is required", arguments: ["{}", #"{"name":null}"#, #"{"name":""}"#, #"{"name":"  "}"#])
    func requiredString(_ json: String) throws {
        let (reader, context) = try makeReader(json)
        #expect(reader.string("name", required: true) == nil)
        #expect(context.errors.map(\.code) == [.required])
        #expect(context.errors.first?.message == "is required")
    }

    @Test("an optional string that is absent or null is nil without error", arguments: ["{}", #"{"name":null}"#])
    func optionalStringAbsent(_ json: String) throws {
        let (reader, context) = try makeReader(json)
        #expect(reader.string("name") == nil)
        #expect(context.errors.isEmpty)
    }

    @Test("lengths are counted in characters and checked against the limit")
    func stringLength() throws {
        let atLimit = String(repeating: "é", count: 255)
        let overLimit = String(repeating: "a", count: 256)
        let (reader, context) = try makeReader(#"{"name":"\#(atLimit)","repoUrl":"\#(overLimit)"}"#)
        #expect(reader.string("name") == atLimit)
        #expect(reader.string("repoUrl", maxLength: 500) == overLimit)
        #expect(reader.string("repoUrl") == nil)
        #expect(context.errors.map(\.code) == [.tooLong])
        #expect(context.errors.first?.message == "is longer than 255 characters")
    }

    // MARK: Integers

    static let integerCoercions: [(json: String, expected: Int64, coerced: Bool)] = [
        ("42", 42, false),
        (#""42""#, 42, false),
        (#"" 7 ""#, 7, false),
        (#""-12""#, -12, false),
        ("1e3", 1000, false),
        ("42.9", 42, true),
        ("-42.9", -42, true),
        (#""42.9""#, 42, true),
        ("true", 1, false),
        ("false", 0, false),
        ("9223372036854775807", .max, false),
        ("-9223372036854775808", .min, false),
    ]

    @Test("integers accept numeric strings, floats (truncated toward zero, warned) and booleans", arguments: integerCoercions)
    func integerCoercion(_ json: String, _ expected: Int64, _ coerced: Bool) throws {
        let (reader, context) = try makeReader(#"{"count":\#(json)}"#)
        #expect(reader.integer("count") == expected)
        #expect(context.errors.isEmpty)
        #expect(context.warningCodes == (coerced ? ["coerced_value"] : []))
    }

    @Test("integer text that is not a number is invalid_type", arguments: [#""abc""#, #""""#, #""1,5""#, #""0x10""#, #""1e""#])
    func integerNotNumeric(_ json: String) throws {
        let (reader, context) = try makeReader(#"{"count":\#(json)}"#)
        #expect(reader.integer("count") == nil)
        #expect(context.errors.map(\.code) == [.invalidType])
    }

    @Test("integers beyond 64 bits are out_of_range", arguments: ["9223372036854775808", #""-9223372036854775809""#, "1e19"])
    func integerOverflow(_ json: String) throws {
        let (reader, context) = try makeReader(#"{"count":\#(json)}"#)
        #expect(reader.integer("count") == nil)
        #expect(context.errors.map(\.code) == [.outOfRange])
    }

    @Test("an integer below its minimum is out_of_range naming the minimum")
    func integerMinimum() throws {
        let (reader, context) = try makeReader(#"{"count":-1}"#)
        #expect(reader.integer("count", minimum: 0) == nil)
        #expect(context.errors.first?.code == .outOfRange)
        #expect(context.errors.first?.message == "must be at least 0")
    }

    @Test("a required integer that is absent is required")
    func integerRequired() throws {
        let (reader, context) = try makeReader("{}")
        #expect(reader.integer("count", required: true) == nil)
        #expect(context.errors.map(\.code) == [.required])
    }

    // MARK: Numbers

    static let numberCoercions: [(json: String, expected: Double)] = [
        ("2.5", 2.5), (#""2.5""#, 2.5), (#"" 3 ""#, 3), ("1e2", 100), ("0", 0),
    ]

    @Test("numbers accept numeric strings", arguments: numberCoercions)
    func numberCoercion(_ json: String, _ expected: Double) throws {
        let (reader, context) = try makeReader(#"{"amount":\#(json)}"#)
        #expect(reader.number("amount") == expected)
        #expect(context.errors.isEmpty)
    }

    @Test("a number text that is not numeric is invalid_type")
    func numberNotNumeric() throws {
        let (reader, context) = try makeReader(#"{"amount":"lots"}"#)
        #expect(reader.number("amount") == nil)
        #expect(context.errors.map(\.code) == [.invalidType])
    }

    @Test("a number below its minimum is out_of_range")
    func numberMinimum() throws {
        let (reader, context) = try makeReader(#"{"amount":-0.5}"#)
        #expect(reader.number("amount", minimum: 0) == nil)
        #expect(context.errors.map(\.code) == [.outOfRange])
        #expect(context.errors.first?.message == "must be at least 0")
    }

    // MARK: Booleans

    static let booleans: [(json: String, expected: Bool)] = [
        ("true", true), ("false", false),
        (#""1""#, true), (#""t""#, true), (#""T""#, true), (#""true""#, true), (#""TRUE""#, true), (#""True""#, true),
        (#""0""#, false), (#""f""#, false), (#""F""#, false), (#""false""#, false), (#""FALSE""#, false),
        ("1", true), ("2", true), ("-1", true), ("0.5", true), ("0", false), ("0.0", false), ("-0", false),
    ]

    @Test("booleans accept true/false, the strings 1 t true 0 f false in any case, and numbers", arguments: booleans)
    func booleanCoercion(_ json: String, _ expected: Bool) throws {
        let (reader, context) = try makeReader(#"{"flag":\#(json)}"#)
        #expect(reader.bool("flag") == expected)
        #expect(context.errors.isEmpty)
    }

    @Test("anything else is not a boolean: invalid_type", arguments: [#""yes""#, #""no""#, #""""#, #""on""#, #""2""#])
    func booleanRejected(_ json: String) throws {
        let (reader, context) = try makeReader(#"{"flag":\#(json)}"#)
        #expect(reader.bool("flag") == nil)
        #expect(context.errors.map(\.code) == [.invalidType])
        #expect(context.errors.first?.message == "must be a boolean")
    }

    // MARK: Dates

    @Test("a date field parses the §9.4 forms")
    func dateField() throws {
        let (reader, context) = try makeReader(#"{"startedDate":"2024-01-10T17:30:00+0000"}"#)
        #expect(reader.date("startedDate") == Fixture.receivedAt)
        #expect(context.warnings.isEmpty && context.errors.isEmpty)
    }

    @Test("a zone-less date is read in the configured zone with warning zoneless_date")
    func zonelessDateWarning() throws {
        let (reader, context) = try makeReader(#"{"startedDate":"2020-01-01T12:00:00"}"#)
        #expect(reader.date("startedDate") == 1_577_880_000_000)
        #expect(context.warningCodes == ["zoneless_date"])
        #expect(context.warning("zoneless_date")?.field == "startedDate")
    }

    @Test("a required date that is absent, null or empty is required", arguments: ["{}", #"{"startedDate":null}"#, #"{"startedDate":""}"#])
    func requiredDate(_ json: String) throws {
        let (reader, context) = try makeReader(json)
        #expect(reader.date("startedDate", required: true) == nil)
        #expect(context.errors.map(\.code) == [.required])
        #expect(context.errors.first?.sentence == "startedDate is required")
    }

    @Test("an unparsable date is invalid_date quoting the value and the expected form")
    func invalidDate() throws {
        let (reader, context) = try makeReader(#"{"startedDate":"2024/01/10"}"#)
        #expect(reader.date("startedDate") == nil)
        let error = try #require(context.errors.first)
        #expect(error.code == .invalidDate)
        #expect(error.message == "cannot parse as a date")
        #expect(error.value == .string("2024/01/10"))
        #expect(error.cause == #"startedDate: cannot parse "2024/01/10" as a date (expected RFC 3339, e.g. 2024-01-10T17:30:00Z)"#)
    }

    // MARK: Enums

    static let enumValues: [(json: String, canonical: String, original: String)] = [
        (#""PRODUCTION""#, "PRODUCTION", "PRODUCTION"),
        (#""production""#, "PRODUCTION", "production"),
        (#""Staging""#, "STAGING", "Staging"),
        (#"" testing ""#, "TESTING", " testing "),
        (#""development\n""#, "DEVELOPMENT", "development\n"),
    ]

    @Test("enum values are trimmed, matched case-insensitively and kept as sent", arguments: enumValues)
    func enumMatching(_ json: String, _ canonical: String, _ original: String) throws {
        let (reader, context) = try makeReader(#"{"environment":\#(json)}"#)
        let value = reader.enumeration("environment", allowed: Enumerations.environments, strict: true)
        #expect(value?.canonical == canonical)
        #expect(value?.original == original)
        #expect(context.warnings.isEmpty && context.errors.isEmpty)
    }

    @Test("an unknown value of a strict enum is invalid_enum naming the allowed values")
    func strictEnum() throws {
        let (reader, context) = try makeReader(#"{"environment":"prod-eu"}"#)
        #expect(reader.enumeration("environment", allowed: Enumerations.environments, strict: true) == nil)
        let error = try #require(context.errors.first)
        #expect(error.code == .invalidEnum)
        #expect(error.cause == #"environment: "prod-eu" is not one of PRODUCTION, STAGING, TESTING, DEVELOPMENT"#)
    }

    @Test("an unknown value of a lenient enum is stored uppercased with warning unknown_enum_value")
    func lenientEnum() throws {
        let (reader, context) = try makeReader(#"{"environment":"Skipped"}"#)
        let value = reader.enumeration("environment", allowed: Enumerations.results, strict: false)
        #expect(value?.canonical == "SKIPPED")
        #expect(value?.original == "Skipped")
        #expect(context.errors.isEmpty)
        #expect(context.warningCodes == ["unknown_enum_value"])
    }

    @Test("a blank enum value is empty where empty is allowed, else absent (the caller's default applies)")
    func emptyEnum() throws {
        let (reader, context) = try makeReader(#"{"environment":"  "}"#)
        #expect(reader.enumeration("environment", allowed: Enumerations.pullRequestStatuses, strict: true, allowEmpty: true)?.canonical == "")
        #expect(reader.enumeration("environment", allowed: Enumerations.pullRequestStatuses, strict: true) == nil)
        #expect(context.errors.isEmpty)
    }

    // MARK: Lists

    @Test("a single value or object counts as a one-element list")
    func singleValueList() throws {
        let (reader, _) = try makeReader(#"{"items":{"a":1},"name":"x","count":[1,2]}"#)
        #expect(reader.list("items") == [.object([JSONMember("a", .number("1"))])])
        #expect(reader.list("name") == [.string("x")])
        #expect(reader.list("count") == [.number("1"), .number("2")])
        #expect(reader.list("flag") == nil)
    }

    @Test("a string list drops duplicates and keeps order")
    func stringListDeduplicates() throws {
        let (reader, context) = try makeReader(#"{"items":["b","a","b",7,"7"]}"#)
        #expect(reader.stringList("items", maxItems: 10) == ["b", "a", "7"])
        #expect(context.errors.isEmpty)
    }

    @Test("a string list longer than its limit is too_many_items")
    func stringListTooLong() throws {
        let (reader, context) = try makeReader(#"{"items":["a","b","c"]}"#)
        #expect(reader.stringList("items", maxItems: 2) == nil)
        #expect(context.errors.map(\.code) == [.tooManyItems])
    }

    @Test("a string list element of the wrong type or length names its index")
    func stringListElementErrors() throws {
        let long = String(repeating: "x", count: 256)
        let (reader, context) = try makeReader(#"{"items":["ok",{"a":1},"\#(long)"]}"#)
        #expect(reader.stringList("items", maxItems: 10) == ["ok"])
        #expect(context.errors.map(\.field) == ["items[1]", "items[2]"])
        #expect(context.errors.map(\.code) == [.invalidType, .tooLong])
    }
}
