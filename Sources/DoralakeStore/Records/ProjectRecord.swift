import DoralakeCore
import SQLKit

/// A project: a named set of connections whose data its metrics cover.
public struct ProjectRecord: Sendable, Equatable {
    public var name: String
    /// Attached connections, ascending.
    public var connectionIds: [Int64]
    public var createdAt: EpochMilliseconds
    /// The project key (without plaintext), if one was created.
    public var apiKey: APIKeyRecord?
}
