import DoralakeCore
import SQLKit

extension Store {
    /// Creates a project (spec §4). - Throws: conflict when the name exists, notFound for an unknown connection.
    public func createProject(name: String, connectionIds: [Int64]) async throws -> ProjectRecord {
        let now = clock.now()
        return try await write { try await ProjectRepository(db: $0).create(name: name, connectionIds: connectionIds, now: now) }
    }

    /// Every project, by name.
    public func projects() async throws -> [ProjectRecord] {
        try await read { try await ProjectRepository(db: $0).all() }
    }

    /// One project, if it exists.
    public func project(named name: String) async throws -> ProjectRecord? {
        try await read { try await ProjectRepository(db: $0).find(name: name) }
    }

    /// Attaches a connection to a project (idempotent).
    public func attach(connectionId: Int64, toProject name: String) async throws -> ProjectRecord {
        let now = clock.now()
        return try await writeCredentials { db in
            let repository = ProjectRepository(db: db)
            guard try await repository.find(name: name) != nil else { throw StoreError.notFound("project not found: \(name)") }
            try await repository.attach(project: name, connectionId: connectionId)
            try await ChangeLogRepository(db: db).append([.project(name)], now: now)
            return try await repository.find(name: name)!
        }
    }

    /// Detaches a connection from a project. - Throws: notFound when the project or the attachment does not exist.
    public func detach(connectionId: Int64, fromProject name: String) async throws -> ProjectRecord {
        let now = clock.now()
        return try await writeCredentials { db in
            let repository = ProjectRepository(db: db)
            guard try await repository.find(name: name) != nil else { throw StoreError.notFound("project not found: \(name)") }
            guard try await repository.detach(project: name, connectionId: connectionId) else {
                throw StoreError.notFound("connection \(connectionId) is not attached to project \(name)")
            }
            try await ChangeLogRepository(db: db).append([.project(name)], now: now)
            return try await repository.find(name: name)!
        }
    }

    /// Deletes a project and its key; connections and data stay.
    public func deleteProject(named name: String) async throws {
        let now = clock.now()
        try await writeCredentials { db in
            guard try await ProjectRepository(db: db).delete(name: name, now: now) else {
                throw StoreError.notFound("project not found: \(name)")
            }
        }
    }

    /// Creates or replaces the key of a project.
    public func rotateProjectKey(name: String, keyHash: String, expiredAt: EpochMilliseconds?) async throws -> APIKeyRecord {
        let now = clock.now()
        return try await writeCredentials { db in
            let repository = ProjectRepository(db: db)
            guard try await repository.find(name: name) != nil else { throw StoreError.notFound("project not found: \(name)") }
            return try await repository.setKey(project: name, keyHash: keyHash, expiredAt: expiredAt, now: now)
        }
    }

    /// Writes a deployment posted to a project (spec §5.6): in one transaction the
    /// `<project>_deployments` connection is created and attached if needed, then the deployment is written.
    /// - Parameter deployment: decoded with any connection id; it is replaced by the target's.
    public func upsertProjectDeployment(_ deployment: Deployment, project: String, event: EventDraft) async throws
        -> (accepted: Accepted<DeploymentWriteResult>, connectionId: Int64, connectionCreated: Bool)
    {
        let clock = self.clock
        return try await write { db in
            let now = clock.now()
            let target = try await ProjectRepository(db: db).deploymentsConnection(project: project, now: now)
            var deployment = deployment
            deployment.connectionId = target.id
            var event = event
            event.connectionId = target.id
            let accepted = try await DeploymentRepository(db: db).ingest(
                [DeploymentIngest(deployment: deployment, event: event)], now: now)[0]
            return (accepted, target.id, target.created)
        }
    }
}
