/// The machine-readable kind of a field error (spec §9.1).
public enum FieldErrorCode: String, Sendable, Equatable {
    case required
    case invalidType = "invalid_type"
    case invalidDate = "invalid_date"
    case invalidEnum = "invalid_enum"
    case tooLong = "too_long"
    case outOfRange = "out_of_range"
    case dateOrder = "date_order"
    case emptyList = "empty_list"
    case tooManyItems = "too_many_items"
    case conflict
    case invalidCharacter = "invalid_character"
}

/// One problem with one field of a request body.
public struct FieldError: Sendable, Equatable {
    /// Path of the field, e.g. `deploymentCommits[1].startedDate`.
    public var field: String
    public var code: FieldErrorCode
    /// Short text for `data.errors[].message`, e.g. `cannot parse as a date`.
    public var message: String
    /// Full text for `causes`, e.g. `cannot parse "2024/01/10" as a date (expected RFC 3339, ...)`.
    public var detail: String
    /// The offending value as sent (nil when absent).
    public var value: JSONValue?

    public init(field: String, code: FieldErrorCode, message: String, detail: String? = nil, value: JSONValue? = nil) {
        self.field = field
        self.code = code
        self.message = message
        self.detail = detail ?? message
        self.value = value
    }

    /// `"<field>: <detail>"`, one entry of the error envelope's `causes`.
    public var cause: String { "\(field): \(detail)" }

    /// The field and its problem as one sentence, e.g. `startedDate is required`.
    public var sentence: String {
        if detail.hasPrefix("is ") || detail.hasPrefix("must ") { return "\(field) \(detail)" }
        return cause
    }
}

/// A request body that failed validation; lists every field error, not just the first.
public struct ValidationFailure: Error, Sendable, Equatable {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    /// One plain sentence naming the fields: `3 invalid fields: startedDate, environment, ...`.
    public var message: String {
        if errors.count == 1 { return errors[0].sentence }
        var seen = Set<String>()
        let fields = errors.map(\.field).filter { seen.insert($0).inserted }
        return "\(errors.count) invalid fields: \(fields.joined(separator: ", "))"
    }
}
