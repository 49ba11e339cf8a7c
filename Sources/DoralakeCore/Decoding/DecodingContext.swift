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

    /// Warnings not kept because ``EchoLimit/entries`` were already recorded.
    public private(set) var droppedWarnings = 0

    /// Records a warning (the first ``EchoLimit/entries`` of a request, texts clipped).
    public func warn(_ code: String, _ field: String, _ message: String) {
        guard warnings.count < EchoLimit.entries else {
            droppedWarnings += 1
            if droppedWarnings == 1 {
                warnings[EchoLimit.entries - 1] = IngestWarning(
                    code: "warnings_truncated", field: "", message: "more warnings than \(EchoLimit.entries - 1); the rest are not listed")
            }
            return
        }
        warnings.append(IngestWarning(code: code, field: EchoLimit.clip(field), message: EchoLimit.clip(message)))
    }

    /// Records a field error (the first ``EchoLimit/entries`` of a request, texts and value clipped);
    /// any error makes the body invalid.
    public func fail(_ error: FieldError) {
        guard errors.count < EchoLimit.entries else { return }
        var clipped = error
        clipped.field = EchoLimit.clip(error.field)
        clipped.message = EchoLimit.clip(error.message)
        clipped.detail = EchoLimit.clip(error.detail)
        clipped.value = error.value.map(EchoLimit.clip)
        errors.append(clipped)
    }


    /// True when no error has been recorded.
    public var isValid: Bool { errors.isEmpty }

    /// Throws the collected errors, if any.
    public func throwIfInvalid() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
