import DoralakeStore

extension ConnectionReference {
    /// The connection this reference names.
    /// - Throws: 404 `connection not found: <x>` with causes `["record not found"]`.
    func resolve(in store: Store) async throws -> ConnectionRecord {
        let found: ConnectionRecord?
        switch self {
        case .id(let id, _): found = try await id.asyncMap { try await store.connection(id: $0) } ?? nil
        case .name(let name): found = try await store.connection(named: name)
        }
        guard let found else { throw notFound }
        return found
    }

    /// 404 `connection not found: <x>` with causes `["record not found"]`.
    var notFound: APIError {
        APIError.notFound("connection not found: \(self)", causes: ["record not found"])
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): return try await transform(value)
        case .none: return nil
        }
    }
}
