import DoralakeCore
import SQLKit

/// Reads and writes `connections` and their `api_keys`.
struct ConnectionRepository {
    let db: any SQLDatabase

    private func record(_ row: any SQLRow) throws -> ConnectionRecord {
        var record = try ConnectionRecord(row: row)
        if try !row.decodeNil(column: "k_id") { record.apiKey = try APIKeyRecord(row: row, prefix: "k_") }
        return record
    }

    /// The connection named by id or name and the key with `keyHash`, in one query (the ingest
    /// hot path: authentication and target lookup with one read).
    func connectionAndKey(id: Int64?, name: String?, keyHash: String) async throws -> (ConnectionRecord?, APIKeyRecord?) {
        // PostgreSQL: a prepared statement (planned once per connection, not per request).
        let statement = ConnectionKeyStatement(connectionId: id, connectionName: id == nil ? name ?? "" : nil, keyHash: keyHash)
        if let prepared = try await db.prepared(statement) {
            return prepared.first.map(ConnectionKeyStatement.records) ?? (nil, nil)
        }
        let condition: SQLQueryString = id != nil ? "c.id = \(bind: id)" : "c.name = \(bind: name ?? "")"
        let query: SQLQueryString =
            "SELECT c.id, c.name, c.created_at, c.updated_at, \(unsafeRaw: APIKeyRecord.prefixedColumns) FROM (SELECT 1 AS one) x LEFT JOIN connections c ON "
            + condition + " LEFT JOIN api_keys k ON k.key_hash = \(bind: keyHash)"
        guard let row = try await db.raw(query).first() else { return (nil, nil) }
        let connection = try row.decodeNil(column: "id") ? nil : try ConnectionRecord(row: row)
        let key = try row.decodeNil(column: "k_id") ? nil : try APIKeyRecord(row: row, prefix: "k_")
        return (connection, key)
    }

    /// Inserts a connection if the name is free; nil when it is taken.
    func insertIfAbsent(name: String, now: Int64) async throws -> ConnectionRecord? {
        try await db.raw(
            "INSERT INTO connections (name, created_at, updated_at) VALUES (\(bind: name), \(bind: now), \(bind: now)) ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at, updated_at"
        ).first().map { try ConnectionRecord(row: $0) }
    }

    func all() async throws -> [ConnectionRecord] {
        try await db.raw(
            "SELECT c.*, \(unsafeRaw: APIKeyRecord.prefixedColumns) FROM connections c LEFT JOIN api_keys k ON k.connection_id = c.id ORDER BY c.id"
        ).all().map(record)
    }

    func find(id: Int64) async throws -> ConnectionRecord? {
        try await db.raw(
            "SELECT c.*, \(unsafeRaw: APIKeyRecord.prefixedColumns) FROM connections c LEFT JOIN api_keys k ON k.connection_id = c.id WHERE c.id = \(bind: id)"
        ).first().map(record)
    }

    func find(name: String) async throws -> ConnectionRecord? {
        try await db.raw(
            "SELECT c.*, \(unsafeRaw: APIKeyRecord.prefixedColumns) FROM connections c LEFT JOIN api_keys k ON k.connection_id = c.id WHERE c.name = \(bind: name)"
        ).first().map(record)
    }

    /// Renames a connection. - Throws: ``StoreError/conflict(_:)`` when the name is taken.
    func rename(id: Int64, to name: String, now: Int64) async throws -> ConnectionRecord {
        if let other = try await find(name: name), other.id != id {
            throw StoreError.conflict("the connection name already exists")
        }
        guard
            let row = try await db.raw(
                "UPDATE connections SET name = \(bind: name), updated_at = \(bind: now) WHERE id = \(bind: id) RETURNING id, name, created_at, updated_at"
            ).first()
        else { throw StoreError.notFound("connection not found: \(id)") }
        return try ConnectionRecord(row: row)
    }

    /// Deletes a connection, its key, its project attachments and all its data.
    func delete(id: Int64, now: Int64) async throws -> DeletionCounts {
        var counts = DeletionCounts()
        counts.deployments = try await count("cicd_deployments", connectionId: id)
        counts.deploymentCommits = try await count("cicd_deployment_commits", connectionId: id)
        counts.issues = try await count("issues", connectionId: id)
        counts.pullRequests = try await count("pull_requests", connectionId: id)
        counts.commits = try await count("commits", connectionId: id)
        let projects = try await db.raw(
            "SELECT project_name FROM project_mapping WHERE connection_id = \(bind: id)"
        ).all().map { try $0.decode(column: "project_name", as: String.self) }
        // Explicit deletes (not only ON DELETE CASCADE) so the same code is right on every database.
        // Derived data (the production index, the chain rows, links…) is the deriver's: it revisits
        // the connection's items and recomputes the projects it was in.
        for table in ["cicd_deployment_commits", "cicd_deployments", "issues", "pull_requests", "commits",
            "project_mapping", "api_keys"]
        {
            try await db.raw("DELETE FROM \(ident: table) WHERE connection_id = \(bind: id)").run()
        }
        let deleted = try await db.raw("DELETE FROM connections WHERE id = \(bind: id) RETURNING id").first()
        if deleted == nil { throw StoreError.notFound("connection not found: \(id)") }
        try await ChangeLogRepository(db: db).append(
            projects.sorted().map(DerivationChange.Entity.project) + [.connectionDeleted(id)], now: now)
        return counts
    }

    private func count(_ table: String, connectionId: Int64) async throws -> Int64 {
        let row = try await db.raw(
            "SELECT COUNT(*) AS n FROM \(ident: table) WHERE connection_id = \(bind: connectionId)"
        ).first()
        return try row?.decode(column: "n", as: Int64.self) ?? 0
    }

    // MARK: Keys

    /// Creates or replaces the key of a connection; the old hash stops working in the same transaction.
    func setKey(connectionId: Int64, keyHash: String, expiredAt: Int64?, now: Int64) async throws -> APIKeyRecord {
        let row = try await db.raw(
            """
            INSERT INTO api_keys (key_hash, name, type, extra, allowed_path, connection_id, project_name, expired_at,
                created_at, updated_at)
            VALUES (\(bind: keyHash), \(bind: "webhook-\(connectionId)"), 'plugin:webhook',
                \(bind: "connectionId:\(connectionId)"), \(bind: "/plugins/webhook/connections/\(connectionId)/.*"),
                \(bind: connectionId), NULL, \(bind: expiredAt), \(bind: now), \(bind: now))
            ON CONFLICT (connection_id) DO UPDATE SET key_hash = excluded.key_hash, expired_at = excluded.expired_at,
                updated_at = excluded.updated_at
            RETURNING *
            """
        ).first()
        guard let row else { throw StoreError.unavailable("key not returned") }
        return try APIKeyRecord(row: row)
    }

    /// Replaces the hash of the key with id `keyId` (connection or project key).
    func replaceKey(id keyId: Int64, keyHash: String, expiredAt: Int64??, now: Int64) async throws -> APIKeyRecord {
        let row: (any SQLRow)?
        if let expiredAt {
            row = try await db.raw(
                "UPDATE api_keys SET key_hash = \(bind: keyHash), expired_at = \(bind: expiredAt), updated_at = \(bind: now) WHERE id = \(bind: keyId) RETURNING *"
            ).first()
        } else {
            row = try await db.raw(
                "UPDATE api_keys SET key_hash = \(bind: keyHash), updated_at = \(bind: now) WHERE id = \(bind: keyId) RETURNING *"
            ).first()
        }
        guard let row else { throw StoreError.notFound("api key not found: \(keyId)") }
        return try APIKeyRecord(row: row)
    }

    /// The key whose hash is `keyHash`, if any.
    func key(hash keyHash: String) async throws -> APIKeyRecord? {
        try await db.raw("SELECT * FROM api_keys WHERE key_hash = \(bind: keyHash)").first().map {
            try APIKeyRecord(row: $0)
        }
    }
}
