import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Synchronization

/// The real `doralake` binary run as a child process, for tests that kill it.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int
    private let log: LogBuffer
    /// The child's standard error, kept so that its monitor can be stopped after the child ends.
    private let pipe: Pipe

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

    private init(process: Process, port: Int, log: LogBuffer, pipe: Pipe) {
        self.process = process
        self.port = port
        self.log = log
        self.pipe = pipe
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
        let port = Int.random(in: 20_000...60_000)
        let process = Process()
        let serve = ["serve", "--port", String(port), "--database", databaseURL, "--log-level", "warning"]
        if let fileLimit {
            // exec keeps the process id, so `process` is the server itself.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", path] + serve
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = serve
        }
        var environment = ProcessInfo.processInfo.environment
        environment["DORALAKE_ADMIN_TOKEN"] = LiveServer.adminToken
        environment["DORALAKE_KEY_SECRET"] = LiveServer.keySecret
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let log = LogBuffer()
        try ProcessLaunch.run(process)
        log.collect(from: pipe)
        let server = ServerProcess(process: process, port: port, log: log, pipe: pipe)
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
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits for the process to end.
    func terminate() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// Collects a child process's output.
final class LogBuffer: Sendable {
    /// Appends everything read from `pipe` until end of file, from a thread of its own with blocking
    /// reads. (A `readabilityHandler` is a dispatch source: corelibs-foundation crashed in
    /// `FileHandle` monitoring around the child's exit, and a libdispatch crash took down a CI run.)
    func collect(from pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                self.append(String(decoding: data, as: UTF8.self))
            }
        }
    }

    private let value = Mutex("")
    func append(_ text: String) { value.withLock { $0 += text } }
    var text: String { value.withLock { $0 } }
}
