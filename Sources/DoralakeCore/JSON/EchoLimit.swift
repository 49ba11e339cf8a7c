/// Bounds on what an answer repeats of a request, so that a large or hostile value is never
/// echoed back whole (a 1 MB field in a 400 answers a few hundred bytes, not a megabyte).
public enum EchoLimit {
    /// Longest text echoed (message, cause, field path), in Unicode scalars.
    public static let textScalars = 500
    /// Longest value echoed (a field error's `value`), in Unicode scalars.
    public static let valueScalars = 100
    /// Most warnings, and most field errors, kept for one request.
    public static let entries = 100

    /// `text` when short enough, else its first ``textScalars`` scalars and `…`.
    public static func clip(_ text: String, to limit: Int = textScalars) -> String {
        var scalars = text.unicodeScalars
        guard scalars.count > limit else { return text }
        scalars = String.UnicodeScalarView(scalars.prefix(limit))
        return String(scalars) + "…"
    }

    /// A value to echo: strings clipped to ``valueScalars``, and an array or object whose JSON text
    /// is longer replaced by its clipped text.
    public static func clip(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(clip(text, to: valueScalars))
        case .number(let text) where text.utf8.count > valueScalars: return .string(clip(text, to: valueScalars))
        case .array, .object:
            let text = value.serialized()
            return text.unicodeScalars.count > valueScalars ? .string(clip(text, to: valueScalars)) : value
        default: return value
        }
    }
}
