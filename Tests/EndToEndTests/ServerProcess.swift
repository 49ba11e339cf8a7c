import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Synchronization

/// The real `doralake` binary run as a child process, for tests that kill it.
final class ServerProcess: Sendable {
    let process: ChildProcess
    let port: Int
    private let log: LogBuffer

    /// The `doralake` executable built next to the test bundle.
    static var binaryPath: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the bundle is `<build>/debug/DoralakePackageTests.xctest`; on macOS it is a directory.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("doralake").path),
            directory.pathComponents.count > 1
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("doralake").path
    }

    private init(process: ChildProcess, port: Int, log: LogBuffer) {
        self.process = process
        self.port = port
        self.log = log
    }

    /// Starts `doralake serve` on a free port with the SQLite file `database` and waits until `/ping` answers.
    static func start(database: String, client: HTTPClient) async throws -> ServerProcess {
        try await start(databaseURL: "sqlite:\(database)", client: client)
    }

    /// Starts `doralake serve` on a free port with `databaseURL` (`sqlite:PATH` or `postgres://…`)
    /// and waits until `/ping` answers. `environment` is added to the child's environment;
    /// `fileLimit` lowers its open-file limit (`ulimit -n`, through `/bin/sh`).
    static func start(
        databaseURL: String, client: HTTPClient, environment extra: [String: String] = [:], fileLimit: Int? = nil
    ) async throws -> ServerProcess {
        let path = binaryPath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw E2EError("doralake binary not found at \(path); build the package first")
        }
        // Below Linux's ephemeral range (32768–60999): a port there may be the local end of one
        // of the many client connections a load test opens, and the server's bind then fails.
        let port = Int.random(in: 20_000...32_000)
        let serve = ["serve", "--port", String(port), "--database", databaseURL, "--log-level", "warning"]
        var environment = ProcessInfo.processInfo.environment
        environment["DORALAKE_ADMIN_TOKEN"] = LiveServer.adminToken
        environment["DORALAKE_KEY_SECRET"] = LiveServer.keySecret
        environment.merge(extra) { _, new in new }
        let process: ChildProcess
        if let fileLimit {
            // exec keeps the process id, so `process` is the server itself.
            process = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", path] + serve,
                environment: environment, stderr: .pipe)
        } else {
            process = try ChildProcess(executable: path, arguments: serve, environment: environment, stderr: .pipe)
        }
        let log = LogBuffer()
        log.collect(from: process.stderrPipe!)
        let server = ServerProcess(process: process, port: port, log: log)
        // Generous: under the full suite on two cores a start has taken over 30 s.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if !process.isRunning { throw E2EError("doralake exited early: \(server.output)") }
            if let reply = try? await LiveServer.send(client: client, baseURL: server.baseURL, .GET, "/ping"),
                reply.status == 200
            {
                return server
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.kill()
        throw E2EError("doralake did not answer /ping within 60 s: \(server.output)")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    var output: String { log.text }

    /// Sends SIGKILL and waits for the process to end.
    func kill() {
        process.signal(SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits for the process to end.
    func terminate() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// Collects a child process's output.
final class LogBuffer: Sendable {
    /// Appends everything read from `descriptor` until end of file, from a thread of its own with
    /// blocking reads (no dispatch source, no `FileHandle`: corelibs-foundation crashed in both in
    /// CI runs, and `FileHandle.availableData` traps on `EINTR`). Closes `descriptor` at its end.
    func collect(from descriptor: Int32) {
        Thread.detachNewThread {
            DescriptorReader.readAll(descriptor) { self.append(String(decoding: $0, as: UTF8.self)) }
            self.ended.signal()
        }
    }

    /// Blocks until the descriptor given to ``collect(from:)`` reached its end.
    func waitUntilEnded() {
        ended.wait()
        ended.signal()
    }

    private let ended = DispatchSemaphore(value: 0)

    private let value = Mutex("")
    func append(_ text: String) { value.withLock { $0 += text } }
    var text: String { value.withLock { $0 } }
}
