import AsyncHTTPClient
import DoralakeCore
import DoralakeStore
import DoralakeTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

/// A server whose PostgreSQL connection drops for a few seconds under load: it answers 503 while
/// the database is gone, recovers by itself, and never acknowledges a write it lost.
@Suite(
    "PostgreSQL: outage",
    .enabled(
        if: TestDatabase.postgresURL != nil,
        "set DORALAKE_TEST_POSTGRES_URL=postgres://user:pass@127.0.0.1:5432/db (a role with CREATEDB) to run"))
struct PostgresOutageTests {
    static let workers = 6
    static let outage: Duration = .seconds(4)
    /// How soon after the restore readiness and writes must be back. A transaction in flight at the
    /// cut can hold the writer until its 15 s deadline (PostgresDriver.operationTimeout), i.e. up to
    /// 11 s after a 4 s outage ends; on a busy machine a little more.
    static let recoveryLimit: Duration = .seconds(15)

    @Test("a 4 s database outage answers 503, recovers without a restart and loses no acknowledged write")
    func outageUnderLoad() async throws {
        // A load test: one at a time (see HeavyTestGate).
        try await HeavyTestGate.shared.run { try await outageUnderLoadBody() }
    }

    private func outageUnderLoadBody() async throws {
        try await TestDatabase.postgres.withFreshDatabase { database in
            guard case .postgres(let url) = database else { throw E2EError("expected a PostgreSQL database") }
            let target = try #require(URLComponents(string: url))
            let proxy = try await TCPProxy.start(forwardingTo: target.host ?? "127.0.0.1", port: target.port ?? 5432)
            let client = LiveServer.makeClient()
            do {
                try await Self.run(url: url, proxy: proxy, client: client)
            } catch {
                try? await client.shutdown()
                await proxy.stop()
                throw error
            }
            try await client.shutdown()
            await proxy.stop()
        }
    }

    /// `url` with host and port replaced by the proxy's (same user, password and database).
    static func url(_ url: String, through proxy: TCPProxy) throws -> String {
        guard var components = URLComponents(string: url) else { throw E2EError("not a URL: \(url)") }
        components.host = "127.0.0.1"
        components.port = proxy.port
        guard let text = components.string else { throw E2EError("cannot rewrite \(url)") }
        return text
    }

    private static func run(url: String, proxy: TCPProxy, client: HTTPClient) async throws {
        let server = try await ServerProcess.start(databaseURL: try Self.url(url, through: proxy), client: client)
        let outcome: Outcome
        do {
            outcome = try await drive(server: server, proxy: proxy, client: client)
        } catch {
            server.kill()
            print("server output:\n\(server.output)")
            throw error
        }
        let stopped = await server.stop(gracePeriod: .seconds(15))

        // Read back what the database holds, bypassing the proxy and the server.
        var logger = Logger(label: "e2e-postgres-outage")
        logger.logLevel = .critical
        let store = try await Store.open(.postgres(url: url), options: .testing, logger: logger)
        let (stored, mismatches) = try await store.withRunningWriter {
            var filter = DeploymentFilter()
            filter.connectionId = outcome.connectionId
            var ids = Set<String>()
            var cursor: String? = nil
            repeat {
                let page = try await store.deployments(filter, scope: .all, limit: 1000, cursor: cursor)
                ids.formUnion(page.items.map(\.deployment.id))
                cursor = page.nextCursor
            } while cursor != nil
            return (ids, try await store.derivedDataMismatches())
        }

        let samples = outcome.samples
        let ok = samples.filter { $0.status == 200 }
        let unavailable = samples.filter { $0.status == 503 }
        let other = samples.filter { $0.status != 200 && $0.status != 503 }
        let lost = ok.filter { !stored.contains($0.id) }.map(\.id)
        let stored503 = unavailable.filter { stored.contains($0.id) }.count
        let unknown = stored.subtracting(samples.map(\.id))
        let (cutAt, restoredAt) = (outcome.cutAt, outcome.restoredAt)

        /// Seconds from `origin` to `instant`, for messages.
        func seconds(_ instant: ContinuousClock.Instant?, from origin: ContinuousClock.Instant) -> String {
            guard let instant else { return "never" }
            let duration = instant - origin
            return String(format: "%+.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        print(
            "postgres outage: requests=\(samples.count) 200=\(ok.count) 503=\(unavailable.count) other=\(other.count) "
                + "503-but-stored=\(stored503) readyz-while-cut=\(outcome.readyWhileCut) "
                + "readyz-recovery=\(seconds(outcome.readyAgainAt, from: restoredAt)) "
                + "write-recovery=\(seconds(outcome.writingAgainAt, from: restoredAt)) graceful-stop=\(stopped)")
        let clean = other.isEmpty && lost.isEmpty && outcome.readyAgainAt != nil && outcome.writingAgainAt != nil && stopped
        if !clean { print("server output:\n\(server.output.split(separator: "\n").suffix(40).joined(separator: "\n"))") }

        // Then every answer is a 200 or a 503, and no 200 was lost.
        #expect(
            other.count == 0,
            """
            answers neither 200 nor 503 (cut at +0.00 s, restore at \(seconds(restoredAt, from: cutAt))): \(other.prefix(10).map {
                "\($0.id) sent \(seconds($0.sent, from: cutAt)) answered \(seconds($0.answered, from: cutAt)) → \($0.status) \($0.text)"
            })
            """)
        #expect(lost.count == 0, "answered 200 but not stored: \(lost.prefix(20))")
        #expect(unknown.count == 0, "stored ids nobody posted: \(unknown.prefix(10))")
        #expect(mismatches.count == 0, "derived data mismatches: \(mismatches.prefix(20))")
        #expect(ok.contains { $0.answered < cutAt }, "no write succeeded before the cut")
        #expect(unavailable.count > 0, "no request was answered 503 (the outage was not seen, or every request hung)")
        // Requests sent well after the cut and answered before the restore cannot have been written.
        let duringCut = samples.filter { $0.sent > cutAt + .milliseconds(200) && $0.answered < restoredAt }
        #expect(
            duringCut.allSatisfy { $0.status == 503 },
            "answered during the outage: \(duringCut.filter { $0.status != 503 }.map { "\($0.id) → \($0.status)" })")
        #expect(!outcome.readyWhileCut.isEmpty && outcome.readyWhileCut.allSatisfy { $0 == 503 }, "/readyz while cut: \(outcome.readyWhileCut)")
        // And the server recovers by itself, and still shuts down gracefully.
        if let readyAgain = outcome.readyAgainAt {
            #expect(readyAgain - restoredAt <= recoveryLimit, "/readyz took \(readyAgain - restoredAt) to recover")
        } else {
            Testing.Issue.record("/readyz did not answer 200 within 20 s of the restore")
        }
        if let writingAgain = outcome.writingAgainAt {
            #expect(writingAgain - restoredAt <= recoveryLimit, "writes took \(writingAgain - restoredAt) to recover")
        } else {
            Testing.Issue.record("no post sent after the restore was answered 200 within 20 s")
        }
        #expect(stopped, "the server did not shut down within 15 s of SIGTERM")
    }

    /// What the load saw, and when the proxy was cut and restored.
    struct Outcome: Sendable {
        var connectionId: Int64
        var samples: [OutageLog.Sample]
        var cutAt: ContinuousClock.Instant
        var restoredAt: ContinuousClock.Instant
        var readyWhileCut: [Int]
        var readyAgainAt: ContinuousClock.Instant?
        var writingAgainAt: ContinuousClock.Instant?
    }

    private static func drive(server: ServerProcess, proxy: TCPProxy, client: HTTPClient) async throws -> Outcome {
        let created = try await LiveServer.send(
            client: client, baseURL: server.baseURL, .POST, "/api/rest/plugins/webhook/connections",
            token: LiveServer.adminToken, body: #"{"name":"outage-ci"}"#)
        let connectionId = try #require(created.json["id"]?.int, "\(created.text)")
        let key = try #require(created.json["apiKey"]?["apiKey"]?.string)
        let project = try await LiveServer.send(
            client: client, baseURL: server.baseURL, .POST, "/api/v1/projects", token: LiveServer.adminToken,
            body: #"{"name":"outage","connectionIds":[\#(connectionId)]}"#)
        #expect(project.status == 201, "\(project.text)")

        let path = "/api/rest/plugins/webhook/connections/\(connectionId)/deployments"
        let log = OutageLog()
        let stop = StopSignal()
        var outcome = Outcome(
            connectionId: connectionId, samples: [], cutAt: .now, restoredAt: .now, readyWhileCut: [])

        try await withThrowingTaskGroup(of: Void.self) { group in
            // Given a steady load of deployments with unique ids.
            for worker in 0..<workers {
                group.addTask {
                    var n = 0
                    while !stop.isSet {
                        let id = "o-\(worker)-\(n)"
                        n += 1
                        let sent = ContinuousClock.now
                        let status: Int
                        var text = ""
                        do {
                            let reply = try await LiveServer.send(
                                client: client, baseURL: server.baseURL, .POST, path, token: key,
                                body: #"{"id":"\#(id)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","environment":"PRODUCTION","deploymentCommits":[{"repoUrl":"r","commitSha":"\#(id)"}]}"#)
                            status = reply.status
                            text = reply.text
                        } catch {
                            status = -1
                            text = "\(error)"
                        }
                        log.append(.init(id: id, status: status, sent: sent, answered: .now, text: text))
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
            }

            // When the database connection is cut for 4 s once writes go through (at least one
            // 200, then 1 s of load; on a busy machine the first answers can take a while), open
            // connections close and new ones are closed on accept.
            let loadStarted = ContinuousClock.now
            while !log.entries.contains(where: { $0.status == 200 }) && ContinuousClock.now < loadStarted + .seconds(60) {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .seconds(1))
            outcome.cutAt = .now
            proxy.cut()
            // /readyz gives up on the database after 2 s: ask while at least 2 s of outage remain.
            try await Task.sleep(for: .seconds(1))
            while ContinuousClock.now < outcome.cutAt + .seconds(1.8) {
                outcome.readyWhileCut.append(try await ready(server, client))
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(until: outcome.cutAt + outage)
            proxy.restore()
            outcome.restoredAt = .now

            // Then /readyz and writes come back by themselves.
            let deadline = outcome.restoredAt + .seconds(20)
            while ContinuousClock.now < deadline && (outcome.readyAgainAt == nil || outcome.writingAgainAt == nil) {
                if outcome.readyAgainAt == nil, try await ready(server, client) == 200 { outcome.readyAgainAt = .now }
                if outcome.writingAgainAt == nil { outcome.writingAgainAt = log.firstSuccess(sentAfter: outcome.restoredAt) }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .seconds(1))
            stop.set()
            try await group.waitForAll()
        }
        outcome.samples = log.entries
        return outcome
    }

    private static func ready(_ server: ServerProcess, _ client: HTTPClient) async throws -> Int {
        try await LiveServer.send(client: client, baseURL: server.baseURL, .GET, "/readyz").status
    }
}

/// Tells the load workers to finish.
final class StopSignal: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Every post of the outage run: its id, answer and timing.
final class OutageLog: Sendable {
    struct Sample: Sendable {
        var id: String
        var status: Int
        var sent: ContinuousClock.Instant
        var answered: ContinuousClock.Instant
        var text: String
    }

    private let value = Mutex<[Sample]>([])
    func append(_ sample: Sample) { value.withLock { $0.append(sample) } }
    var entries: [Sample] { value.withLock { $0 } }

    /// When the first post sent after `instant` was answered 200.
    func firstSuccess(sentAfter instant: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        value.withLock { samples in samples.filter { $0.status == 200 && $0.sent > instant }.map(\.answered).min() }
    }
}

/// A TCP relay on 127.0.0.1 in front of another server, which a test can cut (every open
/// connection closes, new ones are closed on accept) and restore.
final class TCPProxy: Sendable {
    let port: Int
    private let listener: any Channel
    private let registry: Registry

    private init(port: Int, listener: any Channel, registry: Registry) {
        self.port = port
        self.listener = listener
        self.registry = registry
    }

    /// Listens on a free loopback port and relays each connection to `host`:`port`.
    static func start(forwardingTo host: String, port: Int) async throws -> TCPProxy {
        let registry = Registry()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelInitializer { inbound in
                registry.relay(inbound, to: host, port: port)
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let bound = listener.localAddress?.port else { throw E2EError("the proxy has no port") }
        return TCPProxy(port: bound, listener: listener, registry: registry)
    }

    /// Closes every relayed connection and closes new ones as they arrive.
    func cut() { registry.cut() }

    /// Relays new connections again.
    func restore() { registry.restore() }

    /// Cuts and stops listening.
    func stop() async {
        registry.cut()
        try? await listener.close()
    }

    /// The open connections, and whether the proxy is cut.
    private final class Registry: Sendable {
        private let state = Mutex<(isCut: Bool, channels: [ObjectIdentifier: any Channel])>((false, [:]))

        func relay(_ inbound: any Channel, to host: String, port: Int) -> EventLoopFuture<Void> {
            guard track(inbound) else { return inbound.eventLoop.makeFailedFuture(E2EError("proxy cut")) }
            ClientBootstrap(group: inbound.eventLoop)
                .channelInitializer { outbound in
                    outbound.eventLoop.makeCompletedFuture { try outbound.pipeline.syncOperations.addHandler(Relay(peer: inbound)) }
                }
                .connect(host: host, port: port)
                .whenComplete { result in
                    // Runs on the inbound channel's event loop.
                    switch result {
                    case .success(let outbound):
                        guard self.track(outbound), inbound.isActive,
                            (try? inbound.pipeline.syncOperations.addHandler(Relay(peer: outbound))) != nil
                        else {
                            outbound.close(promise: nil)
                            inbound.close(promise: nil)
                            return
                        }
                        inbound.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in inbound.read() }
                    case .failure:
                        inbound.close(promise: nil)
                    }
                }
            return inbound.eventLoop.makeSucceededVoidFuture()
        }

        /// Remembers `channel` until it closes; false while cut.
        private func track(_ channel: any Channel) -> Bool {
            let accepted = state.withLock { state -> Bool in
                if state.isCut { return false }
                state.channels[ObjectIdentifier(channel)] = channel
                return true
            }
            if accepted {
                channel.closeFuture.whenComplete { _ in
                    _ = self.state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
                }
            }
            return accepted
        }

        func cut() {
            let open = state.withLock { state -> [any Channel] in
                state.isCut = true
                defer { state.channels = [:] }
                return Array(state.channels.values)
            }
            for channel in open { channel.close(promise: nil) }
        }

        func restore() { state.withLock { $0.isCut = false } }
    }

    /// Writes what one side reads to the other; closes the other when one side closes.
    private final class Relay: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        let peer: any Channel

        init(peer: any Channel) { self.peer = peer }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            peer.writeAndFlush(Self.unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            peer.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
