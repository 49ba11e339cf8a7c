/// Something the server accepted but changed or ignored; returned in `data.warnings`.
public struct IngestWarning: Sendable, Equatable {
    /// Stable code, e.g. `unknown_key`, `legacy_alias`, `zoneless_date`.
    public var code: String
    /// Path of the field concerned (`""` for the whole body).
    public var field: String
    public var message: String

    public init(code: String, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// The warning as its JSON object `{"code","field","message"}`.
    public var json: JSONValue {
        .object([JSONMember("code", .string(code)), JSONMember("field", .string(field)), JSONMember("message", .string(message))])
    }
}
