import DoralakeCore
import SQLKit

extension Store {
    /// Creates a connection and its key (spec §3.1) in one transaction.
    /// - Parameters:
    ///   - keyHash: the hash of the new key (the caller keeps the plaintext to show it once).
    /// - Throws: ``StoreError/conflict(_:)`` when the name is taken.
    public func createConnection(name: String, keyHash: String, expiredAt: EpochMilliseconds?) async throws
        -> ConnectionRecord
    {
        let now = clock.now()
        return try await write { db in
            let repository = ConnectionRepository(db: db)
            guard var connection = try await repository.insertIfAbsent(name: name, now: now) else {
                throw StoreError.conflict("A webhook with name \(name) already exists.")
            }
            connection.apiKey = try await repository.setKey(
                connectionId: connection.id, keyHash: keyHash, expiredAt: expiredAt, now: now)
            return connection
        }
    }

    /// Every connection, ordered by id, with its key (no plaintext).
    public func connections() async throws -> [ConnectionRecord] {
        try await read { try await ConnectionRepository(db: $0).all() }
    }

    /// The connection with this id, if any.
    public func connection(id: Int64) async throws -> ConnectionRecord? {
        try await read { try await ConnectionRepository(db: $0).find(id: id) }
    }

    /// The connection with this name, if any.
    public func connection(named name: String) async throws -> ConnectionRecord? {
        try await read { try await ConnectionRepository(db: $0).find(name: name) }
    }

    /// Renames a connection. - Throws: ``StoreError/conflict(_:)`` when the name is taken.
    public func renameConnection(id: Int64, to name: String) async throws -> ConnectionRecord {
        let now = clock.now()
        return try await writeCredentials { try await ConnectionRepository(db: $0).rename(id: id, to: name, now: now) }
    }

    /// Deletes a connection with everything posted through it (spec §3.4).
    public func deleteConnection(id: Int64) async throws -> DeletionCounts {
        let now = clock.now()
        return try await writeCredentials { try await ConnectionRepository(db: $0).delete(id: id, now: now) }
    }

    /// Creates or replaces the key of a connection (spec §3.5).
    public func rotateConnectionKey(connectionId: Int64, keyHash: String, expiredAt: EpochMilliseconds?) async throws
        -> APIKeyRecord
    {
        let now = clock.now()
        return try await writeCredentials { db in
            guard try await ConnectionRepository(db: db).find(id: connectionId) != nil else {
                throw StoreError.notFound("connection not found: \(connectionId)")
            }
            return try await ConnectionRepository(db: db).setKey(
                connectionId: connectionId, keyHash: keyHash, expiredAt: expiredAt, now: now)
        }
    }

    /// Replaces the key with id `keyId` (`PUT /api-keys/{id}`).
    /// - Parameter expiredAt: `.some(value)` to set the expiry (nil value = never), `.none` to keep it.
    public func replaceKey(id keyId: Int64, keyHash: String, expiredAt: EpochMilliseconds??) async throws
        -> APIKeyRecord
    {
        let now = clock.now()
        return try await writeCredentials {
            try await ConnectionRepository(db: $0).replaceKey(id: keyId, keyHash: keyHash, expiredAt: expiredAt, now: now)
        }
    }

    /// The connection with this id (or, when `id` is nil, this name) and the key with this hash,
    /// read together.
    ///
    /// A pair found recently is answered from memory (``CredentialCache``): at once after a change
    /// made through this store, within the cache's lifetime after one made elsewhere.
    public func connectionAndKey(id: Int64?, name: String?, keyHash: String) async throws
        -> (connection: ConnectionRecord?, key: APIKeyRecord?)
    {
        let lookup = CredentialCache.Lookup(keyHash: keyHash, connectionId: id, connectionName: id == nil ? name : nil)
        if credentials.claimTokenCheck() {
            let token = try? await read { try await SettingsRepository(db: $0).value(CredentialCache.tokenSetting) }
            credentials.checked(token: token)
        }
        if let cached = credentials.pair(for: lookup) { return cached }
        let generation = credentials.generation
        let found = try await read { try await ConnectionRepository(db: $0).connectionAndKey(id: id, name: name, keyHash: keyHash) }
        if let connection = found.0, let key = found.1 {
            credentials.remember(lookup, connection: connection, key: key, generation: generation)
        }
        return found
    }

    /// Runs a write that changes connections, keys or projects, then forgets every cached
    /// credential (also when the write fails: it may have committed before its answer was lost).
    /// The change writes a new ``CredentialCache/tokenSetting`` in its transaction, so that other
    /// instances' caches see it at their next token check.
    func writeCredentials<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        defer { credentials.removeAll() }
        return try await write { db in
            let result = try await work(db)
            try await SettingsRepository(db: db).set(CredentialCache.tokenSetting, Self.newCredentialsToken())
            return result
        }
    }

    private static func newCredentialsToken() -> String {
        (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined(separator: "-")
    }

    /// The key with this hash, if any.
    public func apiKey(hash: String) async throws -> APIKeyRecord? {
        try await read { try await ConnectionRepository(db: $0).key(hash: hash) }
    }

    /// A stored setting.
    public func setting(_ name: String) async throws -> String? {
        try await read { try await SettingsRepository(db: $0).value(name) }
    }

    /// Stores a setting.
    func setSetting(_ name: String, _ value: String) async throws {
        try await write { try await SettingsRepository(db: $0).set(name, value) }
    }
}

extension Store {
    /// Stores a setting if it has no value yet, directly on the writer connection. Start-up only:
    /// call before `run()` (like migrations), never while the writer runs.
    /// - Returns: the stored value and whether this call created it.
    public func initializeSetting(_ name: String, ifAbsent value: String) async throws -> (value: String, created: Bool) {
        try await driver.withWriteConnection(deadline: false) { db in
            if let existing = try await SettingsRepository(db: db).value(name) { return (existing, false) }
            try await db.raw(
                "INSERT INTO settings (name, value) VALUES (\(bind: name), \(bind: value)) ON CONFLICT (name) DO NOTHING"
            ).run()
            let stored = try await SettingsRepository(db: db).value(name) ?? value
            return (stored, stored == value)
        }
    }
}
