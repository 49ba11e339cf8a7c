import AsyncHTTPClient
import DoralakeCore
import DoralakeServer
import DoralakeStore
import DoralakeTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// The real application and store in one service group, listening on a loopback port, driven by
/// a real HTTP client. Each test owns its SQLite file.
struct LiveServer {
    static let adminToken = "e2e-admin-token-0123456789-abcdefghijklmnopqrstuvwxyz"
    static let keySecret = "e2e-key-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

    let baseURL: String
    let client: HTTPClient
    let store: Store

    /// An HTTP client for the load tests: enough connections that concurrent requests do not queue
    /// for one inside the client (and time out there) while the machine is busy running other tests.
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(60))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with the URL of a fresh PostgreSQL database (dropped afterwards) and a client
    /// from ``makeClient()``, shut down afterwards whether `body` throws or not.
    static func withFreshPostgres(_ body: @Sendable (_ url: String, _ client: HTTPClient) async throws -> Void) async throws {
        try await TestDatabase.postgres.withFreshDatabase { database in
            guard case .postgres(let url) = database else { throw E2EError("expected a PostgreSQL database") }
            let client = makeClient()
            do {
                try await body(url, client)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    static func run<T: Sendable>(
        clock: WallClock = .system,
        _ body: @escaping @Sendable (LiveServer) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let store = try await Store.open(
            .sqlite(path: directory.appendingPathComponent("e2e.sqlite").path), clock: clock, options: .testing,
            logger: logger)
        let hasher = KeyHasher(secret: keySecret)
        let port = PortBox()
        var configuration = ServerConfiguration()
        configuration.port = 0
        let app = buildApplication(
            store: store, configuration: configuration,
            credentials: ServerCredentials(keyHasher: hasher, adminTokenHash: hasher.hash(adminToken)), logger: logger,
            beforeServerStarts: { try await store.prepare() },
            onServerRunning: { port.set($0) })
        let group = ServiceGroup(configuration: .init(services: store.services + [app], logger: logger))
        let client = Self.makeClient()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let bound = try await port.wait()
            let server = LiveServer(baseURL: "http://127.0.0.1:\(bound)", client: client, store: store)
            do {
                let value = try await body(server)
                try await client.shutdown()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                try? await client.shutdown()
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// A response with its body parsed as JSON.
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var json: JSONValue
        var text: String
        var data: JSONValue? { json["data"] }
    }

    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, body: String? = nil,
        contentType: String? = "application/x-www-form-urlencoded", timeout: TimeAmount = .seconds(30)
    ) async throws -> Reply {
        try await Self.send(
            client: client, baseURL: baseURL, method, path, token: token, body: body, contentType: contentType, timeout: timeout)
    }

    static func send(
        client: HTTPClient, baseURL: String, _ method: HTTPMethod, _ path: String, token: String? = nil,
        body: String? = nil, contentType: String? = "application/x-www-form-urlencoded", timeout: TimeAmount = .seconds(30)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let contentType, body != nil { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 16 << 20)
        let text = String(buffer: buffer)
        return Reply(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            json: (try? JSONParser.parse(text).value) ?? .null, text: text)
    }

    func createConnection(_ name: String) async throws -> (id: Int64, key: String) {
        let reply = try await send(.POST, "/api/rest/plugins/webhook/connections", token: Self.adminToken, body: #"{"name":"\#(name)"}"#)
        guard case .number(let id)? = reply.json["id"], case .string(let key)? = reply.json["apiKey"]?["apiKey"] else {
            throw E2EError("create failed: \(reply.text)")
        }
        return (Int64(id)!, key)
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Hands the bound port from `onServerRunning` to the test.
final class PortBox: Sendable {
    private let state = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    func set(_ port: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, Never>] in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    func wait() async throws -> Int {
        await withCheckedContinuation { continuation in
            let port = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let port { continuation.resume(returning: port) }
        }
    }
}

extension JSONValue {
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var int: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
