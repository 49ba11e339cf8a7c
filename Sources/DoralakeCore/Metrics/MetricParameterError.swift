/// A metrics request parameter that cannot be used (`from`, `to`, `tz`, `report`, ...).
///
/// The message is written for the person who sent the request; the server maps this error to a
/// 400 response naming ``parameter``.
public struct MetricParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request parameter at fault, as spelled in the query string.
    public let parameter: String
    /// What was wrong and what is accepted.
    public let message: String

    /// Creates an error for `parameter`.
    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    /// `"<parameter>: <message>"`.
    public var description: String { "\(parameter): \(message)" }
}
