/// Why a body could not be read as JSON, with the 1-based line and column of the problem.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short phrase, e.g. `unexpected '}'` or `unterminated string`.
    public var reason: String
    public var line: Int
    public var column: Int

    public init(reason: String, line: Int, column: Int) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// `unexpected '}' at line 1, column 20`.
    public var description: String { "\(reason) at line \(line), column \(column)" }
}
