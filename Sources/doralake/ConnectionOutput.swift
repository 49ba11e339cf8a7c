import DoralakeCore
import DoralakeServer
import DoralakeStore

/// What the webhook commands print: the same JSON objects the HTTP API returns.
enum ConnectionOutput {
    static func json(_ connection: ConnectionRecord, plaintextKey: String) -> String {
        ConnectionRendering.json(connection, plaintextKey: plaintextKey).serialized()
    }

    static func list(_ connections: [ConnectionRecord]) -> String {
        JSONValue.array(connections.map { ConnectionRendering.json($0) }).serialized()
    }

    static func key(_ key: APIKeyRecord, plaintext: String) -> String {
        ConnectionRendering.json(key, plaintext: plaintext).serialized()
    }
}
