/// Collects the warnings and errors of decoding one request body, and carries what decoding
/// needs from outside: the receipt time (for defaults) and the date parser.
public final class DecodingContext {
    /// The server clock when the request was accepted (one value per request).
    public let receivedAt: EpochMilliseconds
    public let dateParser: DateParser
    public private(set) var warnings: [IngestWarning] = []
    public private(set) var errors: [FieldError] = []

    public init(receivedAt: EpochMilliseconds, dateParser: DateParser = DateParser()) {
        self.receivedAt = receivedAt
        self.dateParser = dateParser
    }

    /// Records a warning.
    public func warn(_ code: String, _ field: String, _ message: String) {
        warnings.append(IngestWarning(code: code, field: field, message: message))
    }

    /// Records a field error.
    public func fail(_ error: FieldError) {
        errors.append(error)
    }

    /// True when no error has been recorded.
    public var isValid: Bool { errors.isEmpty }

    /// Throws the collected errors, if any.
    public func throwIfInvalid() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
