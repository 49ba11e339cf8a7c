import DoralakeCore
import DoralakeStore
import Foundation
import Logging

/// Establishes the server's secrets at start-up (spec §2.4): the key-hashing secret and the admin
/// token. Configured values win; otherwise they are generated once and kept in the data directory
/// (SQLite) with mode 0600. Only file paths are logged, never the secrets.
public enum SecretsBootstrap {
    /// Errors of secret set-up.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The key secret: the configured one, else the one kept in `dataDirectory/key-secret`, else a new one saved there.
    public static func keySecret(configured: String?, dataDirectory: String?, logger: Logger) throws -> String {
        if let configured, !configured.isEmpty {
            guard configured.count >= 32 else {
                throw Failure(description: "DORALAKE_KEY_SECRET must be at least 32 characters")
            }
            return configured
        }
        guard let dataDirectory else {
            throw Failure(description: "DORALAKE_KEY_SECRET is required with a PostgreSQL database (every instance must use the same one): set it to a random string of at least 32 characters")
        }
        let path = (dataDirectory as NSString).appendingPathComponent("key-secret")
        if let existing = try? String(contentsOfFile: path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !existing.isEmpty
        {
            return existing
        }
        let secret = APIKeyGenerator.generate(length: 64)
        try writeSecretFile(secret + "\n", to: path)
        logger.info("generated key secret", metadata: ["path": "\(path)"])
        return secret
    }

    /// The hash of the configured admin token (`DORALAKE_ADMIN_TOKEN`), nil when none is configured.
    /// Checked before the store is used, so a bad value is reported at once.
    public static func configuredAdminTokenHash(_ configured: String?, keyHasher: KeyHasher) throws -> String? {
        guard let configured, !configured.isEmpty else { return nil }
        let token = configured.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 32 else {
            throw Failure(description: "DORALAKE_ADMIN_TOKEN must be at least 32 characters")
        }
        return keyHasher.hash(token)
    }

    /// The admin token's hash: from the configured token, else the stored hash, else a new token
    /// written to `dataDirectory/admin-token` whose hash is stored. The store must be prepared.
    public static func adminTokenHash(
        configured: String?, store: Store, keyHasher: KeyHasher, dataDirectory: String?, logger: Logger
    ) async throws -> String {
        if let hash = try configuredAdminTokenHash(configured, keyHasher: keyHasher) { return hash }
        if let stored = try await store.setting("admin_token_hash") { return stored }
        guard let dataDirectory else {
            throw Failure(description: "DORALAKE_ADMIN_TOKEN is required with a PostgreSQL database (every instance must use the same one): set it to a random string of at least 32 characters")
        }
        let token = APIKeyGenerator.generate(length: APIKeyGenerator.adminTokenLength)
        let path = (dataDirectory as NSString).appendingPathComponent("admin-token")
        try writeSecretFile(token + "\n", to: path)
        let stored = try await store.initializeSetting("admin_token_hash", ifAbsent: keyHasher.hash(token))
        if stored.created {
            logger.notice("generated an admin token", metadata: ["path": "\(path)"])
        }
        return stored.value
    }

    private static func writeSecretFile(_ contents: String, to path: String) throws {
        let manager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        guard manager.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        else { throw Failure(description: "cannot write \(path)") }
    }

    /// The directory holding the SQLite file (where generated secrets are kept).
    public static func dataDirectory(for url: DatabaseURL) -> String? {
        guard case .sqlite(let path) = url else { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }
}
