import DoralakeCore
import DoralakeServer
import DoralakeStore
import DoralakeTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// Builds the real application on a fresh database and drives it through HummingbirdTesting's
/// router client (no sockets). Each test owns its database file.
struct ServerHarness {
    static let adminToken = "test-admin-token-0123456789-abcdefghijklmnopqrstuvwxyz"
    static let keySecret = "test-key-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
    static let hasher = KeyHasher(secret: keySecret)

    let client: any TestClientProtocol
    let store: Store

    /// Runs `body` against a new server, once per available database (SQLite; PostgreSQL when
    /// configured, see `TestDatabase`), each on a database of its own.
    static func run(
        configuration: ServerConfiguration = ServerConfiguration(),
        clock: WallClock = .system, options: StoreOptions = .testing,
        _ body: @escaping @Sendable (ServerHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let store = try await Store.open(url, clock: clock, options: options, logger: logger)
            let credentials = ServerCredentials(keyHasher: hasher, adminTokenHash: hasher.hash(adminToken))
            let app = buildApplication(store: store, configuration: configuration, credentials: credentials, logger: logger)
            try await store.withRunningWriter {
                try await app.test(.router) { client in
                    try await body(ServerHarness(client: client, store: store))
                }
            }
        }
    }

    /// A parsed response.
    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var json: JSONValue

        var data: JSONValue? { json["data"] }
        var message: String? {
            if case .string(let text)? = json["message"] { return text }
            return nil
        }
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let text = String(buffer: response.body)
        let json = (try? JSONParser.parse(text).value) ?? .null
        return Reply(status: response.status, headers: response.headers, text: text, json: json)
    }

    @discardableResult
    func post(_ uri: String, token: String? = Self.adminToken, body: String? = nil) async throws -> Reply {
        try await request(.post, uri, token: token, body: body)
    }

    /// Creates a connection through the API and returns its id and plaintext key.
    func createConnection(_ name: String) async throws -> (id: Int64, key: String) {
        let reply = try await post("/api/rest/plugins/webhook/connections", body: #"{"name":"\#(name)"}"#)
        guard reply.status == .ok, case .number(let id)? = reply.json["id"],
            case .string(let key)? = reply.json["apiKey"]?["apiKey"]
        else { throw HarnessError(message: "create failed: \(reply.text)") }
        return (Int64(id)!, key)
    }

    struct HarnessError: Error { let message: String }
}

extension JSONValue {
    /// The string value, if this is a string.
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer value, if this is an integral number.
    var int: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    /// The elements, if this is an array.
    var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}

/// Sample bodies used across tests.
enum Samples {
    static func deployment(id: String = "d-1", sha: String = "abc", repo: String = "https://github.com/acme/shop") -> String {
        #"{"id":"\#(id)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"\#(repo)","commitSha":"\#(sha)"}]}"#
    }

    static func issue(key: String = "INC-1", type: String = "INCIDENT", status: String = "TODO") -> String {
        #"{"issueKey":"\#(key)","title":"checkout 500s","type":"\#(type)","status":"\#(status)","createdDate":"2024-05-02T15:00:00Z"}"#
    }
}
