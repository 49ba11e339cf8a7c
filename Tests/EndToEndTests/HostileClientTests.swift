import AsyncHTTPClient
import DoralakeCore
import Foundation
import Synchronization
import Testing

/// Hostile clients (issue 14) against the real `doralake` binary over loopback, with raw sockets so
/// that the framing is exactly what a hostile client sends: broken chunked bodies, protocol garbage,
/// idle and half-sent connections, more idle sockets than the server may hold, NUL bytes, deep
/// nesting, large strings, an absurd metrics range and `+` in a query string. Each test runs its own
/// server with short connection timeouts and ends by checking that it still answers `/ping` and that
/// no answer it gave was a 5xx. Every wait is bounded by a deadline.
@Suite("Hostile clients")
struct HostileClientTests {
    /// Connection timeouts of the server under test, in seconds (decimals allowed).
    static let shortTimeouts = [
        "DORALAKE_HTTP_HEAD_TIMEOUT": "1", "DORALAKE_HTTP_IDLE_TIMEOUT": "1", "DORALAKE_HTTP_BODY_TIMEOUT": "1.5",
    ]
    /// How long after its timeout a connection may still be open (a busy machine runs the suite).
    static let closeMargin: Duration = .seconds(3)

    // MARK: - Framing and protocol errors

    @Test("a chunked body with a bad chunk size or a missing CRLF is answered 400 within a second")
    func brokenChunkedFraming() async throws {
        try await HostileServer.run { server in
            let bodies = [
                ("chunk size zz", "zz\r\nhello\r\n0\r\n\r\n"),
                ("overflowing chunk size", "ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
                ("chunk data without its CRLF", "5\r\nhelloXX0\r\n\r\n"),
            ]
            for route in ["deployments", "issues", "pull_requests"] {
                for (name, body) in bodies {
                    let head = RawRequest.make(
                        "POST", "/api/rest/plugins/webhook/connections/\(server.connectionId)/\(route)", token: server.key,
                        headers: [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
                    let answer = try await server.send(head + Array(body.utf8), label: "\(route): \(name)", timeout: .seconds(3))
                    #expect(answer.status == 400 && answer.complete, "\(route), \(name): \(answer)")
                    #expect(answer.status == nil || answer.elapsed < .seconds(1), "\(route), \(name): answered after \(answer.elapsed)")
                    if answer.status == 400 {
                        #expect(answer.json["success"] == .bool(false), "\(route), \(name): not the JSON envelope: \(answer)")
                    }
                }
            }
            try await server.expectNothingStored()
        }
    }

    @Test("CONNECT, HTTP/0.9, empty lines and binary garbage are answered 400 (CONNECT: 400 or 405) or closed within a couple of seconds")
    func protocolGarbage() async throws {
        try await HostileServer.run { server in
            var tlsHello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]
            tlsHello += (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let cases: [(String, [UInt8])] = [
                ("CONNECT host:443", Array("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n".utf8)),
                ("HTTP/0.9 request line", Array("GET /ping\r\n".utf8)),
                ("only empty lines", Array(String(repeating: "\r\n", count: 50).utf8)),
                ("binary garbage", (0..<512).map { UInt8(truncatingIfNeeded: ($0 &* 151) ^ 0xA5) } + [13, 10, 13, 10]),
                ("TLS ClientHello", tlsHello),
            ]
            try await withThrowingTaskGroup(of: (String, RawAnswer).self) { group in
                for (name, bytes) in cases {
                    group.addTask { (name, try await server.send(bytes, label: name, timeout: .seconds(1) + Self.closeMargin)) }
                }
                for try await (name, answer) in group {
                    if let status = answer.status {
                        // CONNECT is a well-formed request with a method no route serves: 405, as
                        // for any wrong method (spec §1.2), is as good as 400.
                        let allowed = name.hasPrefix("CONNECT") ? [400, 405] : [400]
                        #expect(allowed.contains(status) && answer.complete, "\(name): \(answer)")
                    } else {
                        #expect(answer.closed, "\(name): \(answer)")
                    }
                }
            }
        }
    }

    // MARK: - Connection timeouts and limits

    @Test("idle, half-sent, silent and slow-body connections are closed by the server after its timeouts")
    func idleConnectionsAreClosed() async throws {
        try await HostileServer.run { server in
            let port = server.port
            let connectionId = server.connectionId
            let key = server.key
            let cases: [(String, Duration, @Sendable (RawHTTPConnection) throws -> Void)] = [
                (
                    "keep-alive connection after two answers", .seconds(1),
                    { connection in
                        // Kept alive between requests: the second request on it is answered too.
                        for n in 1...2 {
                            connection.send(RawRequest.make("GET", "/ping", close: false))
                            let answer = connection.readAnswer(timeout: .seconds(5))
                            guard answer.status == 200 else { throw E2EError("keep-alive request \(n): \(answer)") }
                        }
                    }
                ),
                ("half a request line (GET /pi)", .seconds(1), { $0.send("GET /pi") }),
                ("silent connection", .seconds(1), { _ in }),
                ("request head without its blank line", .seconds(1), { $0.send("GET /ping HTTP/1.1\r\nHost: x\r\n") }),
                (
                    "body stalled after 10 of 1000 bytes", .seconds(1.5),
                    { connection in
                        var head = RawRequest.make(
                            "POST", "/api/rest/plugins/webhook/connections/\(connectionId)/deployments", token: key,
                            headers: [("Content-Type", "application/json"), ("Content-Length", "1000")])
                        head += Array(#"{"id":"slo"#.utf8)
                        connection.send(head)
                    }
                ),
            ]
            try await withThrowingTaskGroup(of: (String, Duration, (elapsed: Duration, firstStatus: Int?)?).self) { group in
                for (name, timeout, behave) in cases {
                    group.addTask {
                        try await RawHTTPConnection.offload {
                            let connection = try RawHTTPConnection(port: port)
                            defer { connection.close() }
                            try behave(connection)
                            return (name, timeout, connection.waitForClose(timeout: timeout + Self.closeMargin))
                        }
                    }
                }
                for try await (name, timeout, closed) in group {
                    #expect(closed != nil, "\(name): still open \(timeout + Self.closeMargin) after it went quiet (timeout \(timeout))")
                    if let status = closed?.firstStatus {
                        server.record(name, status)
                        #expect((400..<500).contains(status), "\(name): answered \(status) before the close")
                    }
                }
            }
        }
    }

    @Test(
        "with DORALAKE_MAX_CONNECTIONS=20, 40 idle sockets do not keep /ping from being answered",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd"), "counts the server's descriptors in /proc"))
    func connectionLimitShedsIdleConnections() async throws {
        // Long timeouts: only shedding, not a timeout, may free the server while the sockets are held.
        let environment = [
            "DORALAKE_MAX_CONNECTIONS": "20", "DORALAKE_HTTP_HEAD_TIMEOUT": "60", "DORALAKE_HTTP_IDLE_TIMEOUT": "60",
            "DORALAKE_HTTP_BODY_TIMEOUT": "60",
        ]
        // The file limit leaves room for 30 connections beyond what the idle server has open (its
        // count depends on the machine's cores): enough for 20 connections and a /ping, too few for 40.
        let baseline = try await HostileServer.openDescriptors(environment: environment)
        try await HostileServer.run(environment: environment, fileLimit: baseline + 30) { server in
            let port = server.port
            let held = try await RawHTTPConnection.offload {
                try (0..<40).map { n -> RawHTTPConnection in
                    let connection = try RawHTTPConnection(port: port)
                    if n % 2 == 0 { connection.send("GET /pi") }
                    return connection
                }
            }
            defer { for connection in held { connection.close() } }
            for n in 1...3 {
                let answer = try await server.send(RawRequest.make("GET", "/ping"), label: "/ping \(n) while 40 sockets are held", timeout: .seconds(5))
                #expect(answer.status == 200, "/ping \(n) while 40 idle sockets are held (file limit \(baseline + 30)): \(answer)")
                if answer.status != 200 { break }
            }
        }
    }

    // MARK: - NUL and control characters

    @Test("a NUL or control character in a deployment, issue or pull request field is a 400 naming the field; nothing is stored")
    func controlCharactersAreRejected() async throws {
        try await HostileServer.run { server in
            let c = server.connectionId
            let deployment = { (id: String, extra: String, sha: String) in
                #"{"id":"\#(id)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z"\#(extra),"deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"\#(sha)"}]}"#
            }
            let issue = { (key: String, extra: String) in
                #"{"issueKey":"\#(key)","title":"t","type":"INCIDENT","status":"TODO","createdDate":"2024-05-02T15:00:00Z"\#(extra)}"#
            }
            let pullRequest = { (key: Int, extra: String) in
                #"{"id":"gh-\#(key)","pullRequestKey":\#(key),"createdDate":"2024-05-01T12:00:00Z"\#(extra)}"#
            }
            // (route, body, field the answer must name, read path that must stay 404)
            let cases: [(String, String, String, String?)] = [
                ("deployments", deployment("nul-title", #","displayTitle":"vis\u0000hidden""#, "s1"), "displayTitle",
                 "/api/v1/connections/\(c)/deployments/nul-title"),
                ("deployments", deployment(#"a\u0000b"#, "", "s2"), "id", nil),
                ("deployments", deployment("nul-sha", "", #"\u0000"#), "commitSha", "/api/v1/connections/\(c)/deployments/nul-sha"),
                ("deployments",
                 #"{"pipeline_id":"\u0000","start_time":"2024-05-02T14:00:00Z","repo_url":"r","commit_sha":"s3"}"#, "id", nil),
                ("issues", issue("NUL-1", #","description":"vis\u0000hidden""#), "description", "/api/v1/connections/\(c)/issues/NUL-1"),
                ("issues", issue(#"NUL\u0000-2"#, ""), "issueKey", nil),
                ("issues", issue("ESC-3", #","assigneeName":"x\u001by""#), "assigneeName", "/api/v1/connections/\(c)/issues/ESC-3"),
                ("pull_requests", pullRequest(9001, #","displayTitle":"vis\u0000hidden""#), "displayTitle",
                 "/api/v1/connections/\(c)/pull_requests/9001"),
                ("pull_requests", pullRequest(9002, #","displayTitle":"ok","authorName":"\u0000""#), "authorName",
                 "/api/v1/connections/\(c)/pull_requests/9002"),
            ]
            for (route, body, field, readPath) in cases {
                let answer = try await server.request(
                    "POST", "/api/rest/plugins/webhook/connections/\(c)/\(route)", token: server.key, json: body)
                #expect(answer.status == 400, "\(route) with a control character in \(field): \(answer)")
                let message = answer.json["message"]?.string ?? ""
                #expect(
                    Self.names(message, field) || (field == "id" && Self.names(message, "pipeline_id")),
                    "\(route): the message should name \(field): \(message.prefix(300))")
                if let readPath {
                    let read = try await server.request("GET", readPath, token: LiveServer.adminToken)
                    #expect(read.status == 404, "\(readPath) after a rejected post: \(read)")
                }
            }
            // Tabs and newlines are text, not control characters to refuse (commit messages, descriptions).
            let multiline = "line 1\\nline 2\\tindented"
            let accepted = try await server.request(
                "POST", "/api/rest/plugins/webhook/connections/\(c)/issues", token: server.key,
                json: issue("MULTI-1", #","description":"\#(multiline)""#))
            #expect(accepted.status == 200, "a description with a newline and a tab: \(accepted)")
            let read = try await server.request("GET", "/api/v1/connections/\(c)/issues/MULTI-1", token: LiveServer.adminToken)
            #expect(read.json["data"]?["description"] == .string("line 1\nline 2\tindented"))
            try await server.expectNothingStored(except: ["issues": ["MULTI-1"]])
        }
    }

    /// Whether `message` names `field` as a whole word (`id` is not named by "invalid").
    static func names(_ message: String, _ field: String) -> Bool {
        message.range(of: "(^|[^A-Za-z0-9_])\(field)([^A-Za-z0-9_]|$)", options: .regularExpression) != nil
    }

    // MARK: - Bodies: nesting, large strings, short error answers

    @Test("deeply nested JSON is a 400 with a short answer")
    func deepNestingIsRejected() async throws {
        try await HostileServer.run { server in
            let path = "/api/rest/plugins/webhook/connections/\(server.connectionId)/deployments"
            let deepArrays = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let deepObjects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
            let deepField =
                #"{"id":"deep-1","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}],"displayTitle":"#
                + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}"
            for (name, body) in [("100 000 nested arrays", deepArrays), ("100 000 nested objects", deepObjects), ("a field nested 70 deep", deepField)] {
                let answer = try await server.request("POST", path, token: server.key, json: body)
                #expect(answer.status == 400, "\(name): \(answer)")
                #expect(answer.byteCount < 4096, "\(name): a \(answer.byteCount)-byte answer")
            }
            try await server.expectNothingStored()
        }
    }

    @Test("a 600 KB displayTitle is stored and read back intact; a 400 for a 1 MB invalid value answers under 4 KB")
    func largeStrings() async throws {
        try await HostileServer.run { server in
            let c = server.connectionId
            let path = "/api/rest/plugins/webhook/connections/\(c)/deployments"
            let title = String((0..<600_000).map { n in Character(UnicodeScalar(UInt8(97 + n % 26))) })
            let valid =
                #"{"id":"big-title","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","displayTitle":"\#(title)","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#
            let stored = try await server.request("POST", path, token: server.key, json: valid)
            #expect(stored.status == 200, "a 600 KB displayTitle: \(stored)")
            let read = try await server.request("GET", "/api/v1/connections/\(c)/deployments/big-title", token: server.key)
            if stored.status == 200 {
                let readTitle = read.json["data"]?["displayTitle"]?.string
                #expect(readTitle?.count == 600_000, "read back \(readTitle?.count ?? -1) characters")
                #expect(readTitle == title, "the displayTitle read back differs")
            } else {
                #expect(read.status == 404, "stored without a 200: \(read)")
            }

            let invalid =
                #"{"id":"big-env","startedDate":"2024-05-02T14:00:00Z","environment":"\#(String(repeating: "p", count: 1_000_000))","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#
            let rejected = try await server.request("POST", path, token: server.key, json: invalid)
            #expect(rejected.status == 400, "a 1 MB environment: \(rejected.status.map { "\($0)" } ?? "\(rejected)")")
            #expect(rejected.byteCount < 4096, "the 400 for a 1 MB invalid value is \(rejected.byteCount) bytes")
            #expect(rejected.json["message"]?.string?.contains("environment") == true, "the 400 names the field")
            let notStored = try await server.request("GET", "/api/v1/connections/\(c)/deployments/big-env", token: server.key)
            #expect(notStored.status == 404)
        }
    }

    // MARK: - Query strings

    @Test("a metrics range of thousands of years is a 400 naming the bound; a five-year range is served")
    func metricsRangeIsBounded() async throws {
        try await HostileServer.run { server in
            let created = try await server.request(
                "POST", "/api/v1/projects", token: LiveServer.adminToken, json: #"{"name":"shop","connectionIds":[\#(server.connectionId)]}"#)
            #expect(created.status == 201, "\(created)")
            for path in ["/api/v1/metrics", "/api/v1/projects/shop/metrics"] {
                let answer = try await server.request(
                    "GET", path + "?from=1970-01-01&to=9999-12-31", token: LiveServer.adminToken, timeout: .seconds(60))
                #expect(answer.status == 400, "\(path) from 1970 to 9999: \(answer.status.map { "\($0)" } ?? "\(answer)"), \(answer.byteCount) bytes")
                let message = answer.json["message"]?.string ?? ""
                #expect(
                    message.range(of: #"10 years|120 months|365[23] days"#, options: .regularExpression) != nil,
                    "\(path): the message should name the bound: \(message.prefix(300))")
                #expect(answer.byteCount < 4096, "\(path): a \(answer.byteCount)-byte answer")
            }
            let fiveYears = try await server.request(
                "GET", "/api/v1/metrics?from=2020-01-01&to=2024-12-31&series=none", token: LiveServer.adminToken)
            #expect(fiveYears.status == 200, "\(fiveYears)")
        }
    }

    @Test("`+` in a query string is a space: ?project=my+project finds project \"my project\"")
    func plusInQueryIsASpace() async throws {
        try await HostileServer.run { server in
            let c = server.connectionId
            let created = try await server.request(
                "POST", "/api/v1/projects", token: LiveServer.adminToken, json: #"{"name":"my project","connectionIds":[\#(c)]}"#)
            #expect(created.status == 201, "\(created)")
            let posted = try await server.request(
                "POST", "/api/rest/plugins/webhook/connections/\(c)/deployments", token: server.key,
                json: #"{"id":"plus-1","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#)
            #expect(posted.status == 200, "\(posted)")
            for query in ["project=my%20project", "project=my+project"] {
                let listed = try await server.request("GET", "/api/v1/deployments?\(query)", token: LiveServer.adminToken)
                let ids = listed.json["data"]?["items"]?.array?.compactMap { $0["id"]?.string }
                #expect(listed.status == 200 && ids == ["plus-1"], "?\(query): \(listed)")
            }
        }
    }
}

/// One `doralake serve` process for one test, with a connection and its key, recording the status of
/// every answer the test saw so that it can check at the end that none was a 5xx.
final class HostileServer: Sendable {
    let process: ServerProcess
    let connectionId: Int64
    let key: String
    private let answers = Mutex<[(label: String, status: Int)]>([])

    var port: Int { process.port }

    private init(process: ServerProcess, connectionId: Int64, key: String) {
        self.process = process
        self.connectionId = connectionId
        self.key = key
    }

    /// Runs `body` against a fresh server (own SQLite file) started with `environment`, then checks
    /// that the server is still running, answers `/ping`, and never answered 5xx.
    static func run(
        environment: [String: String] = HostileClientTests.shortTimeouts, fileLimit: Int? = nil,
        _ body: (HostileServer) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = try await start(
            databaseURL: "sqlite:\(directory.appendingPathComponent("hostile.sqlite").path)", environment: environment,
            fileLimit: fileLimit)
        defer { process.terminate() }
        let created = try await exchange(
            port: process.port,
            RawRequest.make("POST", "/api/rest/plugins/webhook/connections", token: LiveServer.adminToken, json: #"{"name":"hostile"}"#),
            timeout: .seconds(10))
        guard let id = created.json["id"]?.int, let key = created.json["apiKey"]?["apiKey"]?.string else {
            throw E2EError("creating the connection failed: \(created)")
        }
        let server = HostileServer(process: process, connectionId: id, key: key)
        try await body(server)
        let ping = try await server.send(RawRequest.make("GET", "/ping"), label: "/ping at the end", timeout: .seconds(5))
        #expect(ping.status == 200, "the server stopped answering /ping: \(ping)")
        #expect(process.process.isRunning, "the server exited: \(process.output.suffix(2000))")
        let errors = server.answers.withLock { $0.filter { $0.status >= 500 } }
        #expect(errors.isEmpty, "5xx answers: \(errors.map { "\($0.label): \($0.status)" })")
    }

    /// How many descriptors an idle server started with `environment` has open.
    static func openDescriptors(environment: [String: String]) async throws -> Int {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = try await start(
            databaseURL: "sqlite:\(directory.appendingPathComponent("fds.sqlite").path)", environment: environment, fileLimit: nil)
        defer { process.terminate() }
        try await Task.sleep(for: .milliseconds(200))
        return try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.process.processIdentifier)/fd").count
    }

    private static func start(databaseURL: String, environment: [String: String], fileLimit: Int?) async throws -> ServerProcess {
        let client = LiveServer.makeClient()
        do {
            let process = try await ServerProcess.start(
                databaseURL: databaseURL, client: client, environment: environment, fileLimit: fileLimit)
            try await client.shutdown()
            return process
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func exchange(port: Int, _ bytes: [UInt8], timeout: Duration) async throws -> RawAnswer {
        try await RawHTTPConnection.offload {
            let connection = try RawHTTPConnection(port: port)
            defer { connection.close() }
            connection.send(bytes)
            return connection.readAnswer(timeout: timeout)
        }
    }

    func record(_ label: String, _ status: Int) {
        answers.withLock { $0.append((label, status)) }
    }

    /// Sends `bytes` on a new connection and reads one answer (or a close, or nothing) within `timeout`.
    func send(_ bytes: [UInt8], label: String, timeout: Duration = .seconds(10)) async throws -> RawAnswer {
        let answer = try await Self.exchange(port: port, bytes, timeout: timeout)
        if let status = answer.status { record(label, status) }
        return answer
    }

    func request(_ method: String, _ path: String, token: String? = nil, json: String? = nil, timeout: Duration = .seconds(30))
        async throws -> RawAnswer
    {
        let bytes = RawRequest.make(method, path, token: token, body: json.map { Array($0.utf8) })
        return try await send(bytes, label: "\(method) \(path.prefix(120))", timeout: timeout)
    }

    /// Lists every stored deployment, issue, pull request and commit of the connection (admin token)
    /// and expects none but `except` (the ones the test got a 200 for).
    func expectNothingStored(except allowed: [String: Set<String>] = [:]) async throws {
        let keys = ["deployments": "id", "issues": "issueKey", "pull_requests": "pullRequestKey", "commits": "sha"]
        for (kind, key) in keys.sorted(by: { $0.key < $1.key }) {
            let listed = try await request("GET", "/api/v1/\(kind)?connectionId=\(connectionId)&limit=1000", token: LiveServer.adminToken)
            #expect(listed.status == 200, "listing \(kind): \(listed)")
            let items = listed.json["data"]?["items"]?.array ?? []
            let stored = Set(items.compactMap { item -> String? in
                switch item[key] {
                case .string(let text)?: return text
                case .number(let text)?: return text
                default: return nil
                }
            })
            #expect(stored == (allowed[kind] ?? []), "\(kind) stored without a 200: \(stored.subtracting(allowed[kind] ?? []))")
        }
    }
}
