/// The rules for connection and project names (spec §3.1, §4).
public enum NameRules {
    /// Longest connection name.
    public static let connectionNameLimit = 100
    /// Longest project name (leaves room for the `_deployments` suffix within 100).
    public static let projectNameLimit = 88

    /// Why `name` is not acceptable, or nil when it is.
    public static func problem(with name: String, limit: Int) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.unicodeScalars.count > limit { return "must be at most \(limit) characters" }
        if name.contains("/") { return "must not contain \"/\"" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "must not contain control characters"
        }
        if name.first!.isWhitespace || name.last!.isWhitespace {
            return "must not start or end with white space"
        }
        return nil
    }
}
