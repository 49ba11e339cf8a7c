import DoralakeCore
import SQLKit

/// Reads and writes `projects`, `project_mapping` and project keys.
struct ProjectRepository {
    let db: any SQLDatabase

    /// Creates a project with its connections. - Throws: conflict (name taken), notFound (unknown connection).
    func create(name: String, connectionIds: [Int64], now: Int64) async throws -> ProjectRecord {
        let inserted = try await db.raw(
            "INSERT INTO projects (name, created_at) VALUES (\(bind: name), \(bind: now)) ON CONFLICT (name) DO NOTHING RETURNING name"
        ).first()
        guard inserted != nil else { throw StoreError.conflict("project \(name) already exists") }
        for connectionId in Set(connectionIds) { try await attach(project: name, connectionId: connectionId) }
        try await ChangeLogRepository(db: db).append([.project(name)], now: now)
        guard let project = try await find(name: name) else { throw StoreError.notFound("project not found: \(name)") }
        return project
    }

    func all() async throws -> [ProjectRecord] {
        let rows = try await db.raw(
            "SELECT p.name, p.created_at, \(unsafeRaw: APIKeyRecord.prefixedColumns) FROM projects p LEFT JOIN api_keys k ON k.project_name = p.name ORDER BY p.name"
        ).all()
        let mappings = try await db.raw("SELECT project_name, connection_id FROM project_mapping ORDER BY connection_id").all()
        var connections: [String: [Int64]] = [:]
        for row in mappings {
            connections[try row.decode(column: "project_name", as: String.self), default: []].append(
                try row.decode(column: "connection_id", as: Int64.self))
        }
        return try rows.map { row in
            let name = try row.decode(column: "name", as: String.self)
            return ProjectRecord(
                name: name, connectionIds: connections[name] ?? [],
                createdAt: try row.decode(column: "created_at", as: Int64.self),
                apiKey: try row.decodeNil(column: "k_id") ? nil : try APIKeyRecord(row: row, prefix: "k_"))
        }
    }

    func find(name: String) async throws -> ProjectRecord? {
        guard
            let row = try await db.raw(
                "SELECT p.name, p.created_at, \(unsafeRaw: APIKeyRecord.prefixedColumns) FROM projects p LEFT JOIN api_keys k ON k.project_name = p.name WHERE p.name = \(bind: name)"
            ).first()
        else { return nil }
        let connectionIds = try await db.raw(
            "SELECT connection_id FROM project_mapping WHERE project_name = \(bind: name) ORDER BY connection_id"
        ).all().map { try $0.decode(column: "connection_id", as: Int64.self) }
        return ProjectRecord(
            name: name, connectionIds: connectionIds, createdAt: try row.decode(column: "created_at", as: Int64.self),
            apiKey: try row.decodeNil(column: "k_id") ? nil : try APIKeyRecord(row: row, prefix: "k_"))
    }

    /// Attaches a connection (idempotent). - Returns: whether it was newly attached.
    /// - Throws: notFound for an unknown connection.
    @discardableResult
    func attach(project: String, connectionId: Int64) async throws -> Bool {
        guard try await db.raw("SELECT id FROM connections WHERE id = \(bind: connectionId)").first() != nil else {
            throw StoreError.notFound("connection not found: \(connectionId)")
        }
        return try await db.raw(
            "INSERT INTO project_mapping (project_name, connection_id) VALUES (\(bind: project), \(bind: connectionId)) ON CONFLICT (project_name, connection_id) DO NOTHING RETURNING connection_id"
        ).first() != nil
    }

    /// Detaches a connection. - Returns: whether it was attached.
    func detach(project: String, connectionId: Int64) async throws -> Bool {
        try await db.raw(
            "DELETE FROM project_mapping WHERE project_name = \(bind: project) AND connection_id = \(bind: connectionId) RETURNING connection_id"
        ).first() != nil
    }

    /// Deletes a project, its key and its attachments; connections and data stay.
    func delete(name: String, now: Int64) async throws -> Bool {
        try await db.raw("DELETE FROM project_mapping WHERE project_name = \(bind: name)").run()
        try await db.raw("DELETE FROM api_keys WHERE project_name = \(bind: name)").run()
        guard try await db.raw("DELETE FROM projects WHERE name = \(bind: name) RETURNING name").first() != nil else {
            return false
        }
        try await ChangeLogRepository(db: db).append([.project(name)], now: now)
        return true
    }

    /// Creates or replaces the project key.
    func setKey(project: String, keyHash: String, expiredAt: Int64?, now: Int64) async throws -> APIKeyRecord {
        let row = try await db.raw(
            """
            INSERT INTO api_keys (key_hash, name, type, extra, allowed_path, connection_id, project_name, expired_at,
                created_at, updated_at)
            VALUES (\(bind: keyHash), \(bind: "project-\(project)"), 'project', \(bind: "projectName:\(project)"),
                \(bind: "/plugins/webhook/projects/\(project)/.*"), NULL, \(bind: project), \(bind: expiredAt),
                \(bind: now), \(bind: now))
            ON CONFLICT (project_name) DO UPDATE SET key_hash = excluded.key_hash, expired_at = excluded.expired_at,
                updated_at = excluded.updated_at
            RETURNING *
            """
        ).first()
        guard let row else { throw StoreError.unavailable("key not returned") }
        return try APIKeyRecord(row: row)
    }

    /// The `<project>_deployments` connection of §5.6, created and attached if needed (insert-if-absent).
    /// - Returns: the connection id and whether this call created it.
    func deploymentsConnection(project: String, now: Int64) async throws -> (id: Int64, created: Bool) {
        let name = "\(project)_deployments"
        var created = false
        if let inserted = try await ConnectionRepository(db: db).insertIfAbsent(name: name, now: now) {
            created = true
            try await attach(project: project, connectionId: inserted.id)
            try await ChangeLogRepository(db: db).append([.project(project)], now: now)
            return (inserted.id, created)
        }
        guard let row = try await db.raw("SELECT id FROM connections WHERE name = \(bind: name)").first() else {
            throw StoreError.unavailable("connection \(name) vanished")
        }
        let id = try row.decode(column: "id", as: Int64.self)
        if try await attach(project: project, connectionId: id) {
            try await ChangeLogRepository(db: db).append([.project(project)], now: now)
        }
        return (id, created)
    }
}
