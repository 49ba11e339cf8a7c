import DoralakeCore
import SQLKit

/// Reads and writes `derivation_changes`: what committed writes changed that derived data depends
/// on, one row per changed entity, committed in the same transaction as the entity rows and removed
/// by the deriver in the transaction that applies it.
struct ChangeLogRepository {
    let db: any SQLDatabase

    /// Most rows in one multi-row statement.
    static let rowsPerStatement = 500

    /// Appends one row per change, with one statement per 500 changes.
    /// - Returns: the highest sequence number written (nil when `changes` is empty).
    @discardableResult
    func append(_ changes: [DerivationChange.Entity], now: Int64) async throws -> Int64? {
        var highest: Int64? = nil
        for row in try await db.insertRows(
            changes, rowsPerStatement: Self.rowsPerStatement,
            head: "INSERT INTO derivation_changes (kind, connection_id, entity_key, recorded_at) VALUES",
            tail: "RETURNING seq",
            values: { [$0.kind.rawValue, $0.connectionId, $0.key, now] })
        {
            let seq = try row.decode(column: "seq", as: Int64.self)
            highest = max(highest ?? seq, seq)
        }
        return highest
    }

    /// The oldest pending changes, at most `limit`, in sequence order.
    func pending(limit: Int) async throws -> [DerivationChange] {
        try await db.raw(
            "SELECT seq, kind, connection_id, entity_key FROM derivation_changes ORDER BY seq LIMIT \(bind: Int64(limit))"
        ).all().compactMap { row in
            guard let kind = DerivationChange.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return DerivationChange(
                seq: try row.decode(column: "seq", as: Int64.self),
                entity: DerivationChange.Entity(
                    kind: kind, connectionId: try row.decode(column: "connection_id", as: Int64.self),
                    key: try row.decode(column: "entity_key", as: String.self)))
        }
    }

    /// Removes exactly the rows with these sequence numbers (the ones a round applied).
    func remove(_ seqs: [Int64]) async throws {
        for chunk in seqs.sorted().chunked(Self.rowsPerStatement) {
            let binds: [any Encodable & Sendable] = Array(chunk)
            try await db.raw("DELETE FROM derivation_changes WHERE seq IN (\(inList: binds))").run()
        }
    }

    /// Removes every row up to `seq` (a full rebuild covered them).
    func removeAll(through seq: Int64) async throws {
        try await db.raw("DELETE FROM derivation_changes WHERE seq <= \(bind: seq)").run()
    }

    /// The highest pending sequence number, nil when nothing is pending (one primary-key probe).
    func highestPending() async throws -> Int64? {
        try await db.raw("SELECT MAX(seq) AS seq FROM derivation_changes").first()?.decode(column: "seq", as: Int64?.self)
    }

    /// Whether a change with a sequence number up to `seq` is still pending.
    func isPending(through seq: Int64) async throws -> Bool {
        try await db.raw("SELECT seq FROM derivation_changes WHERE seq <= \(bind: seq) ORDER BY seq LIMIT 1").first() != nil
    }

    /// How many changes are pending, and when the oldest was recorded.
    func backlog() async throws -> (count: Int64, oldestRecordedAt: Int64?) {
        let row = try await db.raw(
            "SELECT COUNT(*) AS n, MIN(recorded_at) AS oldest FROM derivation_changes"
        ).first()
        return (try row?.decode(column: "n", as: Int64.self) ?? 0, try row?.decode(column: "oldest", as: Int64?.self))
    }
}

/// One row of the change log: an entity whose derived data must be revisited.
struct DerivationChange: Sendable, Hashable {
    /// What kind of entity changed.
    enum Kind: String, Sendable {
        /// A deployment (created, replaced or deleted): `key` is its id.
        case deployment
        /// An issue: `key` is its issue key.
        case issue
        /// A pull request: `key` is its pull request key (decimal).
        case pullRequest = "pull_request"
        /// A project's connections changed, or it was created or deleted: `key` is its name; it is
        /// recomputed in full (or its derived rows removed). `connectionId` is 0.
        case project
        /// A connection was deleted with all its data: `key` is empty.
        case connection
    }

    /// What changed.
    struct Entity: Sendable, Hashable {
        var kind: Kind
        var connectionId: Int64
        var key: String

        static func deployment(_ identity: DeploymentIdentity) -> Entity {
            Entity(kind: .deployment, connectionId: identity.connectionId, key: identity.id)
        }

        static func issue(_ identity: IssueIdentity) -> Entity {
            Entity(kind: .issue, connectionId: identity.connectionId, key: identity.issueKey)
        }

        static func pullRequest(_ identity: PullRequestIdentity) -> Entity {
            Entity(kind: .pullRequest, connectionId: identity.connectionId, key: String(identity.pullRequestKey))
        }

        static func project(_ name: String) -> Entity { Entity(kind: .project, connectionId: 0, key: name) }

        static func connectionDeleted(_ id: Int64) -> Entity { Entity(kind: .connection, connectionId: id, key: "") }
    }

    var seq: Int64
    var entity: Entity
}
