import DoralakeCore
import DoralakeStore

/// The API's JSON for connections and keys, for tools outside the server (the CLI prints the same
/// objects the HTTP API returns).
public enum ConnectionRendering {
    /// A connection as `GET …/connections/{id}` returns it; `plaintextKey` only right after creation.
    public static func json(_ connection: ConnectionRecord, plaintextKey: String? = nil) -> JSONValue {
        RecordJSON.connection(connection, plaintextKey: plaintextKey)
    }

    /// A key object; `plaintext` only right after creation or rotation.
    public static func json(_ key: APIKeyRecord, plaintext: String? = nil) -> JSONValue {
        RecordJSON.apiKey(key, plaintext: plaintext)
    }
}
