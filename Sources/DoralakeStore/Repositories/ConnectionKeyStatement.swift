import PostgresNIO

/// The ingest hot path's one read on PostgreSQL, as a prepared statement: the connection named by
/// id or by name, and the key with a hash, in one row (a side is null when absent). Same result as
/// the SQLKit read of ``ConnectionRepository/connectionAndKey(id:name:keyHash:)``.
struct ConnectionKeyStatement: PostgresPreparedStatement {
    /// The connection's columns, then the key's (``APIKeyRecord``'s order).
    typealias Row = (
        Int64?, String?, Int64?, Int64?,
        Int64?, String?, String?, String?, String?, String?, Int64?, String?, Int64?, Int64?, Int64?
    )

    static let name = "doralake_connection_and_key"
    static let sql = """
        SELECT c.id, c.name, c.created_at, c.updated_at, k.id, k.key_hash, k.name, k.type, k.extra, k.allowed_path,
            k.connection_id, k.project_name, k.expired_at, k.created_at, k.updated_at
        FROM (SELECT 1 AS one) x LEFT JOIN connections c ON c.id = $1 OR c.name = $2
        LEFT JOIN api_keys k ON k.key_hash = $3
        """
    static let bindingDataTypes: [PostgresDataType] = [.int8, .text, .text]

    /// The connection's id, or nil to find it by `connectionName`.
    let connectionId: Int64?
    /// The connection's name, or nil to find it by `connectionId`.
    let connectionName: String?
    let keyHash: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(connectionId)
        bindings.append(connectionName)
        bindings.append(keyHash)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }

    /// The connection and key of a row.
    static func records(_ row: Row) -> (ConnectionRecord?, APIKeyRecord?) {
        var connection: ConnectionRecord?
        if let id = row.0, let name = row.1, let createdAt = row.2, let updatedAt = row.3 {
            connection = ConnectionRecord(id: id, name: name, createdAt: createdAt, updatedAt: updatedAt, apiKey: nil)
        }
        var key: APIKeyRecord?
        if let id = row.4, let keyHash = row.5, let name = row.6, let type = row.7, let extra = row.8,
            let allowedPath = row.9, let createdAt = row.13, let updatedAt = row.14
        {
            key = APIKeyRecord(
                id: id, keyHash: keyHash, name: name, type: type, extra: extra, allowedPath: allowedPath,
                connectionId: row.10, projectName: row.11, expiredAt: row.12, createdAt: createdAt, updatedAt: updatedAt)
        }
        return (connection, key)
    }
}
