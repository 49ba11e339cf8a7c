extension Collection {
    /// The elements' keys grouped by connection (in connection order), each group sorted and cut
    /// into chunks of at most `size`, ready to bind as an `IN (…)` list: one statement per
    /// connection and chunk, each answered from a `(connection_id, key)` index.
    func chunkedByConnection<Key: Comparable & Encodable & Sendable>(
        _ connection: (Element) -> Int64, key: (Element) -> Key, size: Int = ProductionIndexRepository.rowsPerStatement
    ) -> [(connectionId: Int64, keys: [any Encodable & Sendable])] {
        Dictionary(grouping: self, by: connection).sorted { $0.key < $1.key }.flatMap { connectionId, group in
            group.map(key).sorted().chunked(size).map { chunk in (connectionId, chunk.map { $0 as any Encodable & Sendable }) }
        }
    }
}
