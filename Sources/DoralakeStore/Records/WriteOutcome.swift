/// What a create-or-replace did.
public enum WriteOutcome: String, Sendable {
    case created
    case updated
    case unchanged
    /// A close that resolved an open issue.
    case closed
}
