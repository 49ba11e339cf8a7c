import DoralakeCore
import SQLKit

/// A webhook connection as stored.
public struct ConnectionRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var createdAt: EpochMilliseconds
    public var updatedAt: EpochMilliseconds
    /// The connection's key (without plaintext), if it has one.
    public var apiKey: APIKeyRecord?

    init(id: Int64, name: String, createdAt: EpochMilliseconds, updatedAt: EpochMilliseconds, apiKey: APIKeyRecord?) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.apiKey = apiKey
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        name = try row.decode(column: "name", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        apiKey = nil
    }
}

/// An API key as stored: its hash, never its plaintext.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: Int64
    public var keyHash: String
    public var name: String
    public var type: String
    public var extra: String
    public var allowedPath: String
    public var connectionId: Int64?
    public var projectName: String?
    public var expiredAt: EpochMilliseconds?
    public var createdAt: EpochMilliseconds
    public var updatedAt: EpochMilliseconds

    /// The `api_keys` columns of alias `k`, renamed with the `k_` prefix that `init(row:prefix:)` reads.
    static let prefixedColumns = ["id", "key_hash", "name", "type", "extra", "allowed_path", "connection_id",
        "project_name", "expired_at", "created_at", "updated_at"].map { "k.\($0) AS k_\($0)" }.joined(separator: ", ")

    init(
        id: Int64, keyHash: String, name: String, type: String, extra: String, allowedPath: String, connectionId: Int64?,
        projectName: String?, expiredAt: EpochMilliseconds?, createdAt: EpochMilliseconds, updatedAt: EpochMilliseconds
    ) {
        self.id = id
        self.keyHash = keyHash
        self.name = name
        self.type = type
        self.extra = extra
        self.allowedPath = allowedPath
        self.connectionId = connectionId
        self.projectName = projectName
        self.expiredAt = expiredAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: any SQLRow, prefix: String = "") throws {
        id = try row.decode(column: prefix + "id", as: Int64.self)
        keyHash = try row.decode(column: prefix + "key_hash", as: String.self)
        name = try row.decode(column: prefix + "name", as: String.self)
        type = try row.decode(column: prefix + "type", as: String.self)
        extra = try row.decode(column: prefix + "extra", as: String.self)
        allowedPath = try row.decode(column: prefix + "allowed_path", as: String.self)
        connectionId = try row.decode(column: prefix + "connection_id", as: Int64?.self)
        projectName = try row.decode(column: prefix + "project_name", as: String?.self)
        expiredAt = try row.decode(column: prefix + "expired_at", as: Int64?.self)
        createdAt = try row.decode(column: prefix + "created_at", as: Int64.self)
        updatedAt = try row.decode(column: prefix + "updated_at", as: Int64.self)
    }

    /// True when the key has an expiry in the past of `now`.
    public func isExpired(at now: EpochMilliseconds) -> Bool {
        guard let expiredAt else { return false }
        return expiredAt <= now
    }
}

/// Row counts removed by a delete.
public struct DeletionCounts: Sendable, Equatable {
    public var deployments: Int64 = 0
    public var deploymentCommits: Int64 = 0
    public var issues: Int64 = 0
    public var pullRequests: Int64 = 0
    public var commits: Int64 = 0
}
