import Foundation

/// Reads the fields of one JSON object leniently, as DevLake clients expect (spec §9.3, §9.6):
/// keys match ASCII case-insensitively, snake_case and legacy aliases are accepted, unknown keys
/// are ignored with a warning, and scalar values are coerced between strings, numbers and booleans.
///
/// Problems go to the shared ``DecodingContext`` so that every field error of a body is reported.
public struct ObjectReader {
    /// Path prefix for field names in messages (`""` at top level, `deploymentCommits[0].` inside).
    public let path: String
    private let context: DecodingContext
    private var resolved: [String: JSONValue] = [:]
    private var present: Set<String> = []

    /// Resolves `members` against `fields`, recording duplicate, alias and unknown-key warnings.
    /// - Parameter ignored: keys that are accepted and dropped with warning `legacy_key_ignored`.
    public init(
        members: [JSONMember],
        fields: [FieldSpec],
        ignored: [String] = [],
        path: String = "",
        context: DecodingContext
    ) {
        self.path = path
        self.context = context
        var lookup: [String: (field: Int, alias: String?)] = [:]
        for (index, spec) in fields.enumerated() {
            lookup[spec.name.lowercased()] = (index, nil)
            for alias in spec.aliases where lookup[alias.lowercased()] == nil {
                lookup[alias.lowercased()] = (index, alias)
            }
        }
        let ignoredSet = Set(ignored.map { $0.lowercased() })
        // Candidates per field, in document order.
        var canonical = [[JSONMember]](repeating: [], count: fields.count)
        var aliased = [[(member: JSONMember, alias: String)]](repeating: [], count: fields.count)
        for member in members {
            let lowered = member.key.lowercased()
            if let hit = lookup[lowered] {
                if let alias = hit.alias {
                    aliased[hit.field].append((member, alias))
                } else {
                    canonical[hit.field].append(member)
                }
            } else if ignoredSet.contains(lowered) {
                context.warn("legacy_key_ignored", path + member.key, "legacy key \"\(member.key)\" ignored")
            } else {
                context.warn("unknown_key", path + member.key, "unknown key \"\(member.key)\" ignored")
            }
        }
        for (index, spec) in fields.enumerated() {
            let name = spec.name
            if !canonical[index].isEmpty {
                let chosen = Self.choose(canonical[index], exact: name)
                if canonical[index].count > 1 {
                    context.warn("duplicate_key", path + name, "\(canonical[index].count) keys map to \"\(name)\"; used \"\(chosen.key)\"")
                }
                for shadowed in aliased[index] {
                    context.warn("alias_shadowed", path + shadowed.member.key, "\"\(shadowed.member.key)\" ignored because \"\(name)\" is present")
                }
                resolved[name] = chosen.value
                present.insert(name)
            } else if !aliased[index].isEmpty {
                let candidates = aliased[index]
                let exact = candidates.last(where: { $0.member.key == $0.alias })
                let chosen = exact ?? candidates.last!
                if candidates.count > 1 {
                    context.warn("duplicate_key", path + name, "\(candidates.count) keys map to \"\(name)\"; used \"\(chosen.member.key)\"")
                }
                context.warn("legacy_alias", path + chosen.member.key, "\"\(chosen.member.key)\" read as \"\(name)\"")
                resolved[name] = chosen.member.value
                present.insert(name)
            }
        }
    }

    private static func choose(_ candidates: [JSONMember], exact name: String) -> JSONMember {
        candidates.last(where: { $0.key == name }) ?? candidates.last!
    }

    /// The raw value of a field, or nil when the body does not have it.
    public func raw(_ name: String) -> JSONValue? { resolved[name] }

    /// True when the body has the field (even with a `null` value).
    public func has(_ name: String) -> Bool { present.contains(name) }

    /// True when the field is present and not `null`.
    public func hasValue(_ name: String) -> Bool {
        if let value = resolved[name], value != .null { return true }
        return false
    }

    private func fail(_ name: String, _ code: FieldErrorCode, _ message: String, detail: String? = nil, value: JSONValue?) {
        context.fail(FieldError(field: path + name, code: code, message: message, detail: detail, value: value))
    }

    private func requiredError(_ name: String, value: JSONValue? = nil) {
        fail(name, .required, "is required", value: value)
    }

    /// Largest line count of one commit or pull request (`additions`, `deletions`): far above any
    /// real change, and low enough that sums over years of commits cannot overflow.
    public static let lineCountLimit: Int64 = 1_000_000_000
    /// Largest story point value.
    public static let storyPointLimit: Double = 1_000_000

    // MARK: Strings

    /// Longest free text (titles, descriptions, commit messages), in characters: a megabyte, so
    /// that in practice only the body limit bounds it (real CI titles reach hundreds of KB).
    public static let freeTextLimit = 1_048_576

    /// A string field; numbers become their decimal text, booleans `"1"`/`"0"`. Control
    /// characters are an error (``TextRules``); the value is returned in normalisation form C.
    /// - Returns: nil when absent or `null` (and records `required` if `required`), else the value.
    public func string(_ name: String, maxLength: Int = 255, required: Bool = false) -> String? {
        guard let value = resolved[name], value != .null else {
            if required { requiredError(name) }
            return nil
        }
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = DecimalText(number)?.plainText ?? number
        case .bool(let flag): text = flag ? "1" : "0"
        default:
            fail(name, .invalidType, "must be a string, not \(value.typeName)", value: value)
            return nil
        }
        if required && text.allSatisfy({ $0.isWhitespace }) {
            requiredError(name, value: value)
            return nil
        }
        if text.unicodeScalars.count > maxLength {
            fail(name, .tooLong, "is longer than \(maxLength) characters", value: value)
            return nil
        }
        if let problem = TextRules.controlCharacterProblem(text) {
            fail(name, .invalidCharacter, problem, value: value)
            return nil
        }
        return TextRules.normalized(text)
    }

    // MARK: Numbers

    /// An integer field; numeric strings are parsed, floats truncated (warning `coerced_value`), booleans 1/0.
    public func integer(_ name: String, required: Bool = false, minimum: Int64? = nil, maximum: Int64? = nil) -> Int64? {
        guard let value = resolved[name], value != .null else {
            if required { requiredError(name) }
            return nil
        }
        let decimal: DecimalText?
        switch value {
        case .number(let text): decimal = DecimalText(text)
        case .string(let text):
            let trimmed = text.trimmingWhitespace(newlines: false)
            decimal = Self.isNumericText(trimmed) ? DecimalText(trimmed) : nil
            if decimal == nil {
                fail(name, .invalidType, "must be an integer", detail: "\"\(text)\" is not an integer", value: value)
                return nil
            }
        case .bool(let flag): return flag ? 1 : 0
        default:
            fail(name, .invalidType, "must be an integer, not \(value.typeName)", value: value)
            return nil
        }
        guard let decimal, let integer = decimal.truncatedInt64 else {
            fail(name, .outOfRange, "does not fit in a 64-bit integer", value: value)
            return nil
        }
        if !decimal.isIntegral {
            context.warn("coerced_value", path + name, "\(decimal.plainText) truncated to \(integer)")
        }
        if let minimum, integer < minimum {
            fail(name, .outOfRange, "must be at least \(minimum)", value: value)
            return nil
        }
        if let maximum, integer > maximum {
            fail(name, .outOfRange, "must be at most \(maximum)", value: value)
            return nil
        }
        return integer
    }

    /// A number field (e.g. story points); numeric strings are parsed.
    public func number(_ name: String, minimum: Double? = nil, maximum: Double? = nil) -> Double? {
        guard let value = resolved[name], value != .null else { return nil }
        let parsed: Double?
        switch value {
        case .number(let text): parsed = DecimalText(text)?.doubleValue
        case .string(let text):
            let trimmed = text.trimmingWhitespace(newlines: false)
            parsed = Self.isNumericText(trimmed) ? DecimalText(trimmed)?.doubleValue : nil
        case .bool(let flag): parsed = flag ? 1 : 0
        default: parsed = nil
        }
        guard let parsed, parsed.isFinite else {
            fail(name, .invalidType, "must be a number", value: value)
            return nil
        }
        if let minimum, parsed < minimum {
            fail(name, .outOfRange, "must be at least \(DecimalText(String(minimum))?.plainText ?? "\(minimum)")", value: value)
            return nil
        }
        if let maximum, parsed > maximum {
            fail(name, .outOfRange, "must be at most \(DecimalText(String(maximum))?.plainText ?? "\(maximum)")", value: value)
            return nil
        }
        return parsed
    }

    static func isNumericText(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return (try? JSONParser.parse(text)).map { document in
            if case .number = document.value, !document.hasTrailingData { return true }
            return false
        } ?? false
    }

    // MARK: Booleans

    /// A boolean field: `true`/`false`, strings `1 t true 0 f false` (any case), numbers (non-zero = true).
    public func bool(_ name: String) -> Bool? {
        guard let value = resolved[name], value != .null else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .number(let text):
            guard let decimal = DecimalText(text) else { break }
            return !(decimal.integerDigits.isEmpty && decimal.fractionDigits.isEmpty)
        case .string(let text):
            switch text.trimmingWhitespace(newlines: false).lowercased() {
            case "1", "t", "true": return true
            case "0", "f", "false": return false
            default: break
            }
        default: break
        }
        fail(name, .invalidType, "must be a boolean", detail: "\(value.serialized()) is not a boolean (use true or false)", value: value)
        return nil
    }

    // MARK: Dates

    /// A date field (spec §9.4); nil when absent, `null` or `""`.
    public func date(_ name: String, required: Bool = false) -> EpochMilliseconds? {
        guard let value = resolved[name] else {
            if required { requiredError(name) }
            return nil
        }
        // A container is a type error, not an unparsable date (spec §9.6).
        switch value {
        case .array, .object:
            fail(name, .invalidType, "must be a date, not \(value.typeName)", value: value)
            return nil
        default: break
        }
        switch context.dateParser.parse(value) {
        case .absent:
            if required { requiredError(name, value: value) }
            return nil
        case .instant(let millis, let zoneless):
            if zoneless {
                context.warn(
                    "zoneless_date", path + name,
                    "date without offset read in \(context.dateParser.zonelessTimeZone.identifier)")
            }
            return millis
        case .invalid:
            let shown: String
            if case .string(let text) = value { shown = "\"\(text)\"" } else { shown = value.serialized() }
            fail(
                name, .invalidDate, "cannot parse as a date",
                detail: "cannot parse \(shown) as a date (expected RFC 3339, e.g. 2024-01-10T17:30:00Z)", value: value)
            return nil
        }
    }

    // MARK: Enums

    /// An enumerated field: trimmed, matched case-insensitively, returned in uppercase with the value as sent.
    /// - Parameter strict: unknown values are a 400 when true; else stored uppercased with warning `unknown_enum_value`.
    public func enumeration(_ name: String, allowed: [String], strict: Bool, allowEmpty: Bool = false)
        -> (canonical: String, original: String)?
    {
        guard let original = string(name) else { return nil }
        let canonical = original.trimmingWhitespace().uppercased()
        if canonical.isEmpty {
            // A blank value is empty where that is allowed, else absent (the caller applies its default).
            return allowEmpty ? ("", original) : nil
        }
        if allowed.contains(canonical) { return (canonical, original) }
        let list = allowed.joined(separator: ", ")
        if strict {
            fail(
                name, .invalidEnum, "not one of \(list)", detail: "\"\(original)\" is not one of \(list)",
                value: resolved[name])
            return nil
        }
        context.warn("unknown_enum_value", path + name, "\"\(original)\" is not one of \(list); stored as \(canonical)")
        return (canonical, original)
    }

    // MARK: Lists and objects

    /// A list field; a single value or object counts as a one-element list. Nil when absent or `null`.
    public func list(_ name: String) -> [JSONValue]? {
        guard let value = resolved[name], value != .null else { return nil }
        if case .array(let elements) = value { return elements }
        return [value]
    }

    /// A list of strings, duplicates dropped (order kept).
    public func stringList(_ name: String, maxItems: Int, maxLength: Int = 255) -> [String]? {
        guard let elements = list(name) else { return nil }
        if elements.count > maxItems {
            fail(name, .tooManyItems, "has more than \(maxItems) items", value: nil)
            return nil
        }
        var seen = Set<String>()
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            let text: String
            switch element {
            case .string(let string): text = string
            case .number(let number): text = DecimalText(number)?.plainText ?? number
            default:
                context.fail(
                    FieldError(
                        field: "\(path)\(name)[\(index)]", code: .invalidType,
                        message: "must be a string, not \(element.typeName)", value: element))
                continue
            }
            if text.unicodeScalars.count > maxLength {
                context.fail(
                    FieldError(
                        field: "\(path)\(name)[\(index)]", code: .tooLong,
                        message: "is longer than \(maxLength) characters", value: element))
                continue
            }
            if let problem = TextRules.controlCharacterProblem(text) {
                context.fail(
                    FieldError(field: "\(path)\(name)[\(index)]", code: .invalidCharacter, message: problem, value: element))
                continue
            }
            let normalized = TextRules.normalized(text)
            if seen.insert(normalized).inserted { result.append(normalized) }
        }
        return result
    }

    /// Records an error on a field of this object (for cross-field rules).
    public func reportError(_ name: String, _ code: FieldErrorCode, _ message: String, detail: String? = nil) {
        fail(name, code, message, detail: detail, value: resolved[name])
    }

    /// Records a warning on a field of this object.
    public func reportWarning(_ code: String, _ name: String, _ message: String) {
        context.warn(code, path + name, message)
    }
}
