import DoralakeCore
import DoralakeStore

/// Checks the `Authorization: Bearer <token>` header (spec §2.1) against the admin token and the
/// stored key hashes. Keys are looked up by their HMAC and compared in constant time.
struct Authenticator: Sendable {
    let store: Store
    let credentials: ServerCredentials

    /// Identifies the caller.
    /// - Parameters:
    ///   - header: the `Authorization` header value, if any.
    ///   - allowAnonymous: an absent header yields ``Principal/anonymous`` instead of 401.
    /// - Throws: ``APIError`` 401/403 with DevLake's texts.
    func authenticate(header: String?, allowAnonymous: Bool) async throws -> Principal {
        guard let header else {
            if allowAnonymous { return .anonymous }
            throw APIError.unauthorized("token is missing")
        }
        let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }),
            trimmed[..<space].lowercased() == "bearer"
        else { throw APIError.unauthorized("token is not present or malformed") }
        let token = trimmed[space...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw APIError.unauthorized("token is not present or malformed") }
        let hash = credentials.keyHasher.hash(token)
        if KeyHasher.constantTimeEquals(hash, credentials.adminTokenHash) { return .admin }
        guard let key = try await store.apiKey(hash: hash), KeyHasher.constantTimeEquals(key.keyHash, hash) else {
            throw APIError.forbidden("api key is invalid")
        }
        if key.isExpired(at: store.clock.now()) { throw APIError.forbidden("api key has expired") }
        return key.projectName != nil ? .projectKey(key) : .connectionKey(key)
    }
}

import Foundation
