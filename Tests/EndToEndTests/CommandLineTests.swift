import AsyncHTTPClient
import DoralakeCore
import DoralakeTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The `doralake` binary: webhook commands on the database, SIGTERM draining requests.
@Suite("Command line and lifecycle")
struct CommandLineTests {
    /// Runs `doralake` with arguments and the test secrets; returns exit status and standard output.
    /// Runs `doralake` with `arguments` on a thread of its own (it blocks until the child exits),
    /// so that a test's wait does not hold one of the cooperative pool's few threads.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
        try await RawHTTPConnection.offload { try runBlocking(arguments) }
    }

    private static func runBlocking(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["DORALAKE_KEY_SECRET"] = LiveServer.keySecret
        environment["DORALAKE_ADMIN_TOKEN"] = LiveServer.adminToken
        let process = try ChildProcess(
            executable: ServerProcess.binaryPath, arguments: arguments, environment: environment, stdout: .pipe, stderr: .pipe)
        // Standard error on a thread of its own, so that a child filling one pipe never waits on the other.
        let error = LogBuffer()
        error.collect(from: process.stderrPipe!)
        var output = Data()
        DescriptorReader.readAll(process.stdoutPipe!) { output.append($0) }
        error.waitUntilEnded()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), error.text)
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("serve ends with a clear error when its start-up preamble fails (PostgreSQL unreachable), instead of hanging")
    func startUpFailuresEndTheServiceGroup() async throws {
        // Nothing listens on port 1: the preamble's first query fails while the client, the writer
        // and the deriver already run in the service group; they must end, not hang.
        let started = ContinuousClock.now
        let unreachable = try await Self.run(
            ["serve", "--port", "0", "--database", "postgres://doralake:secret@127.0.0.1:1/doralake"])
        #expect(unreachable.status != 0)
        #expect(unreachable.error.contains("cannot connect to PostgreSQL at postgres://***@127.0.0.1:1/doralake: the database is not reachable"), "\(unreachable.error)")
        #expect(!unreachable.error.contains("secret"), "the password never reaches the log")
        #expect(!unreachable.error.contains("doralake listening"))
        #expect(ContinuousClock.now - started < .seconds(60), "start-up retries for 15 s, then ends")
    }

    @Test("webhook create/list/rotate-key/delete work on the database and their keys work against the server")
    func webhookCommands() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("cli.sqlite").path
        let migrate = try await Self.run(["migrate", "--database", "sqlite:\(database)"])
        #expect(migrate.status == 0, "\(migrate.error)")
        let created = try await Self.run(["webhook", "create", "--name", "shop-ci", "--database", "sqlite:\(database)"])
        #expect(created.status == 0, "\(created.error)")
        let json = try JSONParser.parse(created.output).value
        let key = try #require(json["apiKey"]?["apiKey"]?.string)
        let id = try #require(json["id"]?.int)
        #expect(key.count == 128)
        #expect(!created.error.contains(key), "the key never reaches the log")

        let duplicate = try await Self.run(["webhook", "create", "--name", "shop-ci", "--database", "sqlite:\(database)"])
        #expect(duplicate.status != 0)
        #expect(duplicate.error.contains("already exists"))

        let client = LiveServer.makeClient()
        do {
            let server = try await ServerProcess.start(database: database, client: client)
            let posted = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .POST, "/api/rest/plugins/webhook/\(id)/deployments", token: key,
                body: #"{"id":"d","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#)
            #expect(posted.status == 200)

            // Rotating while the server runs: the server sees the change within its credential
            // check interval (250 ms), and the old key stops working.
            let rotated = try await Self.run(["webhook", "rotate-key", "--id", String(id), "--database", "sqlite:\(database)"])
            #expect(rotated.status == 0, "\(rotated.error)")
            let newKey = try #require(try JSONParser.parse(rotated.output).value["apiKey"]?.string)
            let rotatedAt = ContinuousClock.now
            var oldStatus = 0
            repeat {
                oldStatus = try await LiveServer.send(
                    client: client, baseURL: server.baseURL, .POST, "/api/rest/plugins/webhook/\(id)/deployments", token: key,
                    body: #"{"id":"d2","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#
                ).status
                if oldStatus == 403 { break }
                try await Task.sleep(for: .milliseconds(50))
            } while ContinuousClock.now - rotatedAt < .seconds(2)
            #expect(oldStatus == 403, "the old key still worked 2 s after the rotation")
            let new = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .POST, "/api/rest/plugins/webhook/\(id)/deployments", token: newKey,
                body: #"{"id":"d2","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#)
            #expect(new.status == 200)
            server.terminate()

            let project = try await Self.run(["project", "create", "shop", "--connection", String(id), "--database", "sqlite:\(database)"])
            #expect(project.status == 0, "\(project.error)")
            #expect(project.output.hasPrefix("shop\tconnections: \(id)"))
            let detached = try await Self.run(["project", "detach", "shop", "--connection", String(id), "--database", "sqlite:\(database)"])
            #expect(detached.output.hasPrefix("shop\tconnections: -"))
            let attached = try await Self.run(["project", "attach", "shop", "--connection", String(id), "--database", "sqlite:\(database)"])
            #expect(attached.output.hasPrefix("shop\tconnections: \(id)"))
            let projects = try await Self.run(["project", "list", "--database", "sqlite:\(database)"])
            #expect(projects.output.contains("shop"))
            let unknown = try await Self.run(["project", "attach", "nope", "--connection", String(id), "--database", "sqlite:\(database)"])
            #expect(unknown.status != 0)
            #expect(unknown.error.contains("project not found: nope"))

            let list = try await Self.run(["webhook", "list", "--database", "sqlite:\(database)"])
            #expect(try JSONParser.parse(list.output).value.array?.first?["name"] == "shop-ci")
            #expect(!list.output.contains(newKey))
            let deleted = try await Self.run(["webhook", "delete", "--name", "shop-ci", "--database", "sqlite:\(database)"])
            #expect(deleted.status == 0)
            #expect(deleted.output.contains("2 deployments"))
            let empty = try await Self.run(["webhook", "list", "--database", "sqlite:\(database)"])
            #expect(empty.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("SIGTERM lets in-flight requests finish: every answered request is stored and the process exits 0")
    func sigtermDrains() async throws {
        // A load test: one at a time (see HeavyTestGate).
        try await HeavyTestGate.shared.run { try await sigtermDrainsBody() }
    }

    private func sigtermDrainsBody() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("term.sqlite").path
        let client = LiveServer.makeClient()
        do {
            let server = try await ServerProcess.start(database: database, client: client)
            let created = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .POST, "/api/rest/plugins/webhook/connections",
                token: LiveServer.adminToken, body: #"{"name":"term"}"#)
            let id = try #require(created.json["id"]?.int)
            let state = LoadState()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for n in 0..<1000 {
                            let deployment = "t-\(worker)-\(n)"
                            guard
                                let reply = try? await LiveServer.send(
                                    client: client, baseURL: server.baseURL, .POST,
                                    "/api/rest/plugins/webhook/\(id)/deployments", token: LiveServer.adminToken,
                                    body: #"{"id":"\#(deployment)","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#)
                            else { return }
                            if reply.status == 200 { state.acknowledge(deployment) } else { return }
                        }
                    }
                }
                group.addTask {
                    let deadline = ContinuousClock.now + .seconds(60)
                    while state.acknowledgedCount < 200 && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    server.terminate()
                }
                try await group.waitForAll()
            }
            #expect(server.process.terminationStatus == 0, "\(server.output)")
            let acknowledged = state.acknowledgedIds
            #expect(acknowledged.count >= 200)

            let restarted = try await ServerProcess.start(database: database, client: client)
            defer { restarted.terminate() }
            var stored = Set<String>()
            var cursor: String? = nil
            repeat {
                let page = try await LiveServer.send(
                    client: client, baseURL: restarted.baseURL, .GET,
                    "/api/v1/deployments?limit=1000" + (cursor.map { "&cursor=\($0)" } ?? ""), token: LiveServer.adminToken)
                for item in page.data?["items"]?.array ?? [] { if let d = item["id"]?.string { stored.insert(d) } }
                cursor = page.data?["nextCursor"]?.string
            } while cursor != nil
            #expect(acknowledged.allSatisfy { stored.contains($0) })
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
