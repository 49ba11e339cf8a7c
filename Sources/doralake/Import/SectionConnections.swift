import DoralakeCore
import DoralakeServer
import DoralakeStore
import Foundation

/// What the ``ExportSection`` lines of a file of several connections do on `import --database`:
/// a connection line makes the connection of that name (created when missing) the target of the
/// items after it; a project line creates the project, or attaches the connections it is missing.
struct SectionConnections: Sendable {
    let store: Store
    let hasher: KeyHasher
    let importer: DirectBatchImporter

    /// The target of the items after `section`; nil when it does not change (a project line).
    func target(after section: ExportSection) async throws -> (any BatchTarget)? {
        switch section {
        case .connection(let name):
            return DatabaseBatchTarget(importer: importer, connectionId: try await connectionId(named: name))
        case .project(let name, let connectionNames):
            try await completeProject(name, connectionNames: connectionNames)
            return nil
        }
    }

    private func connectionId(named name: String) async throws -> Int64 {
        if let record = try await store.connection(named: name) { return record.id }
        if let problem = NameRules.problem(with: name, limit: NameRules.connectionNameLimit) {
            throw ImportFailure(description: "connection name \"\(name.prefix(100))\": \(problem)")
        }
        // A key nobody knows: `doralake webhook rotate-key` gives it one to send with.
        let record = try await store.createConnection(name: name, keyHash: hasher.hash(APIKeyGenerator.generate()), expiredAt: nil)
        FileHandle.standardError.write(Data("import: created connection \(name) (id \(record.id))\n".utf8))
        return record.id
    }

    private func completeProject(_ name: String, connectionNames: [String]) async throws {
        var ids: [Int64] = []
        for connectionName in connectionNames {
            if let record = try await store.connection(named: connectionName) { ids.append(record.id) }
        }
        if let existing = try await store.project(named: name) {
            for id in ids where !existing.connectionIds.contains(id) {
                _ = try await store.attach(connectionId: id, toProject: name)
            }
            return
        }
        if let problem = NameRules.problem(with: name, limit: NameRules.projectNameLimit) {
            throw ImportFailure(description: "project name \"\(name.prefix(100))\": \(problem)")
        }
        _ = try await store.createProject(name: name, connectionIds: ids)
        FileHandle.standardError.write(Data("import: created project \(name)\n".utf8))
    }
}
