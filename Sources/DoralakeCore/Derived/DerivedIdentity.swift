import Foundation

/// The identity of a deployment: `(connectionId, id)` (METRICS §4.1).
///
/// Ordered by `connectionId`, then by `id` in UTF-8 byte order, the order every tie-break of the
/// derived data uses.
public struct DeploymentIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The webhook connection the deployment was posted through.
    public var connectionId: Int64
    /// The deployment id as sent.
    public var id: String

    /// Creates an identity from its parts.
    public init(connectionId: Int64, id: String) {
        self.connectionId = connectionId
        self.id = id
    }

    /// The identity of a stored deployment.
    public init(_ deployment: Deployment) {
        self.init(connectionId: deployment.connectionId, id: deployment.id)
    }

    /// Orders by `connectionId`, then `id` in byte order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.connectionId != rhs.connectionId { return lhs.connectionId < rhs.connectionId }
        return ByteOrder.precedes(lhs.id, rhs.id)
    }

    /// `connectionId/id`, for diagnostics.
    public var description: String { "\(connectionId)/\(id)" }
}

/// The identity of an issue (incidents included): `(connectionId, issueKey)`.
///
/// Ordered by `connectionId`, then `issueKey` in UTF-8 byte order.
public struct IssueIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The webhook connection the issue was posted through.
    public var connectionId: Int64
    /// The issue key as sent.
    public var issueKey: String

    /// Creates an identity from its parts.
    public init(connectionId: Int64, issueKey: String) {
        self.connectionId = connectionId
        self.issueKey = issueKey
    }

    /// The identity of a stored issue.
    public init(_ issue: Issue) {
        self.init(connectionId: issue.connectionId, issueKey: issue.issueKey)
    }

    /// Orders by `connectionId`, then `issueKey` in byte order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.connectionId != rhs.connectionId { return lhs.connectionId < rhs.connectionId }
        return ByteOrder.precedes(lhs.issueKey, rhs.issueKey)
    }

    /// `connectionId/issueKey`, for diagnostics.
    public var description: String { "\(connectionId)/\(issueKey)" }
}

/// The identity of a pull request: `(connectionId, pullRequestKey)`.
public struct PullRequestIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The webhook connection the pull request was posted through.
    public var connectionId: Int64
    /// The pull request key.
    public var pullRequestKey: Int64

    /// Creates an identity from its parts.
    public init(connectionId: Int64, pullRequestKey: Int64) {
        self.connectionId = connectionId
        self.pullRequestKey = pullRequestKey
    }

    /// The identity of a stored pull request.
    public init(_ pullRequest: PullRequest) {
        self.init(connectionId: pullRequest.connectionId, pullRequestKey: pullRequest.pullRequestKey)
    }

    /// Orders by `connectionId`, then `pullRequestKey`.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.connectionId, lhs.pullRequestKey) < (rhs.connectionId, rhs.pullRequestKey)
    }

    /// `connectionId/pullRequestKey`, for diagnostics.
    public var description: String { "\(connectionId)/\(pullRequestKey)" }
}

/// UTF-8 byte order of strings: the "byte order" of the spec's tie-breaks (Swift's `<` on `String`
/// compares by Unicode canonical equivalence instead).
public enum ByteOrder {
    /// True when `lhs` sorts strictly before `rhs` comparing their UTF-8 bytes.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
