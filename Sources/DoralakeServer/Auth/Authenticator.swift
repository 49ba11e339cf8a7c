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
        switch try tokenHash(header: header, allowAnonymous: allowAnonymous) {
        case nil: return .anonymous
        case let hash?:
            if isAdmin(hash) { return .admin }
            return try principal(for: try await store.apiKey(hash: hash), hash: hash)
        }
    }

    /// Identifies the caller of an ingest route and finds its connection with one database read.
    /// - Throws: 401/403 as ``authenticate(header:allowAnonymous:)``, then 404 for an unknown connection.
    func authenticate(header: String?, allowAnonymous: Bool, connection reference: ConnectionReference) async throws
        -> (Principal, ConnectionRecord)
    {
        guard let hash = try tokenHash(header: header, allowAnonymous: allowAnonymous) else {
            return (.anonymous, try await reference.resolve(in: store))
        }
        if isAdmin(hash) { return (.admin, try await reference.resolve(in: store)) }
        let found: (connection: ConnectionRecord?, key: APIKeyRecord?)
        switch reference {
        case .id(let id?, _): found = try await store.connectionAndKey(id: id, name: nil, keyHash: hash)
        case .id(nil, _): found = (nil, try await store.apiKey(hash: hash))
        case .name(let name): found = try await store.connectionAndKey(id: nil, name: name, keyHash: hash)
        }
        let principal = try principal(for: found.key, hash: hash)
        guard let connection = found.connection else { throw reference.notFound }
        return (principal, connection)
    }

    /// The HMAC of the bearer token, or nil for an absent header where that is allowed.
    private func tokenHash(header: String?, allowAnonymous: Bool) throws -> String? {
        guard let header else {
            if allowAnonymous { return nil }
            throw APIError.unauthorized("token is missing")
        }
        let trimmed = header.trimmingWhitespace()
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }),
            trimmed[..<space].lowercased() == "bearer"
        else { throw APIError.unauthorized("token is not present or malformed") }
        let token = trimmed[space...].trimmingWhitespace()
        guard !token.isEmpty else { throw APIError.unauthorized("token is not present or malformed") }
        return credentials.keyHasher.hash(token)
    }

    private func isAdmin(_ hash: String) -> Bool {
        guard let expected = credentials.adminToken.hash else { return false }
        return KeyHasher.constantTimeEquals(hash, expected)
    }

    private func principal(for key: APIKeyRecord?, hash: String) throws -> Principal {
        guard let key, KeyHasher.constantTimeEquals(key.keyHash, hash) else {
            throw APIError.forbidden("api key is invalid")
        }
        if key.isExpired(at: store.clock.now()) { throw APIError.forbidden("api key has expired") }
        return key.projectName != nil ? .projectKey(key) : .connectionKey(key)
    }
}

import Foundation
