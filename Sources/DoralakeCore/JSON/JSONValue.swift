/// A parsed JSON document that keeps what `JSONSerialization` throws away: the order of object
/// members, duplicate keys and the exact text of numbers.
///
/// Webhook bodies need all three: keys are matched case-insensitively with "exact case wins,
/// else last in document order" (spec §9.3), and numbers are parsed from their text without float
/// rounding (spec §9.2).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, kept as the exact text it had in the document (already validated as JSON).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// A short name of the value's JSON type, for error messages (`"string"`, `"object"`, ...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The members when the value is an object.
    public var objectMembers: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The member value for `key` (exact match, last one wins), when the value is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }
}

/// One `key: value` member of a JSON object, in document order.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember($0.0, $0.1) })
    }
}

extension JSONValue {
    /// A JSON number for an integer.
    public static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .number(String(value)) }

    /// A JSON string, or `null` when `value` is nil.
    public static func string(orNull value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    /// A JSON number, or `null` when `value` is nil.
    public static func int<I: BinaryInteger>(orNull value: I?) -> JSONValue { value.map { .int($0) } ?? .null }
}
