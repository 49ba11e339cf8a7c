import DoralakeCore
import DoralakeTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import DoralakeStore

/// Derivation after commit (WEBHOOK-API.md §13, METRICS.md §2): writes commit base rows and a
/// change log; the deriver drains it; reads of derived data wait for it (the read barrier).
@Suite("Derivation after commit (SQLite, and PostgreSQL when configured)")
struct DerivationServiceTests {
    static func withStore(
        options: StoreOptions = .testing, _ body: @escaping @Sendable (Store, DatabaseURL) async throws -> Void
    ) async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "derivation-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, options: options, logger: logger)
            try await store.withRunningWriter { try await body(store, url) }
        }
    }

    /// A successful production deployment of one row in repository `r`, finished at `finish`.
    static func deployment(_ connectionId: Int64, _ id: String, finish: Int64) -> Deployment {
        var deployment = StoreTests.deployment(connectionId, id, shas: ["sha-\(id)"])
        deployment.startedDate = finish - 1_000
        deployment.finishedDate = finish
        deployment.commits[0].startedDate = finish - 1_000
        deployment.commits[0].finishedDate = finish
        return deployment
    }

    @Test("a read right after a write's answer sees its derived data: the chain of 60 deployments, each read at once")
    func readBarrierSeesEveryWrite() async throws {
        try await Self.withStore { store, _ in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil).id
            var previousRow = ""
            for index in 0..<60 {
                let deployment = Self.deployment(connection, "d\(index)", finish: 1_000_000 + Int64(index) * 1_000)
                _ = try await store.upsert(deployment, event: StoreTests.event())
                // The write's answer does not wait for derivation; the read does.
                let stored = try #require(try await store.deployment(connectionId: connection, id: "d\(index)", scope: .all))
                #expect(stored.commits.map(\.prevSuccessDeploymentCommitId) == [previousRow], "deployment d\(index)")
                previousRow = deployment.commitId(deployment.commits[0])
            }
            #expect(try await store.derivationBacklog().pending == 0)
        }
    }

    @Test("with the deriver held, a read of derived data answers 'behind' after the configured wait, never stale data")
    func boundedWait() async throws {
        try await Self.withStore(options: StoreOptions(derivationMaxWait: .milliseconds(600))) { store, _ in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil).id
            _ = try await store.createProject(name: "p", connectionIds: [connection])
            // Reads outside the held phase may exceed the short wait on a loaded machine: retry those.
            _ = try await Self.retryingWhileBehind { try await store.metricInputs(project: "p") }
            store.derivation.setSuspended(true)
            _ = try await store.upsert(Self.deployment(connection, "d1", finish: 5_000_000), event: StoreTests.event())
            let backlog = try await store.derivationBacklog()
            #expect(backlog.pending == 1)
            #expect(backlog.oldestAgeMillis != nil)
            let started = ContinuousClock.now
            do {
                _ = try await store.metricInputs(project: "p")
                Issue.record("a read with the deriver held answered")
            } catch let error as StoreError {
                guard case .derivationBehind = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
            }
            #expect(ContinuousClock.now - started >= .milliseconds(600))
            store.derivation.setSuspended(false)
            let inputs = try #require(try await Self.retryingWhileBehind { try await store.metricInputs(project: "p") })
            #expect(inputs.deployments.count == 1)
            #expect(try await store.derivationBacklog().pending == 0)
        }
    }

    /// Runs `read`, again while it fails with "behind", for up to a minute.
    static func retryingWhileBehind<T: Sendable>(_ read: @Sendable () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await read()
            } catch let error as StoreError {
                guard case .derivationBehind = error, ContinuousClock.now < deadline else { throw error }
            }
        }
    }

    @Test("in a service group the deriver waits for prepare (the server's preamble): no round runs on a schema not yet migrated")
    func deriverWaitsForPrepare() async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "derivation-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, options: .testing, logger: logger)
            let group = ServiceGroup(configuration: .init(services: store.services, logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // The client, the writer and the deriver run; the schema does not exist yet.
                try await Task.sleep(for: .milliseconds(400))
                #expect(store.derivation.statistics.failures == 0)
                #expect(store.derivation.statistics.rounds == 0)
                try await store.prepare()
                let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil).id
                _ = try await store.upsert(Self.deployment(connection, "d1", finish: 1_000_000), event: StoreTests.event())
                _ = try await store.upsert(Self.deployment(connection, "d2", finish: 2_000_000), event: StoreTests.event())
                let second = try #require(try await store.deployment(connectionId: connection, id: "d2", scope: .all))
                #expect(second.commits.map(\.prevSuccessDeploymentCommitId) != [""], "the chain is derived")
                #expect(store.derivation.statistics.failures == 0)
                #expect(store.derivation.statistics.rounds >= 1)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("changes left pending when a store stops are derived by the next start; derived data then equals a recomputation")
    func backlogSurvivesRestart() async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "derivation-test")
            logger.logLevel = .critical
            let first = try await Store.open(url, options: .testing, logger: logger)
            let connection = try await first.withRunningWriter {
                let connection = try await first.createConnection(name: "c", keyHash: "h", expiredAt: nil).id
                _ = try await first.createProject(name: "p", connectionIds: [connection])
                _ = try await first.metricInputs(project: "p")
                first.derivation.setSuspended(true)
                for index in 0..<40 {
                    _ = try await first.upsert(
                        Self.deployment(connection, "d\(index % 30)", finish: 9_000_000 - Int64(index) * 7_000), event: StoreTests.event())
                }
                #expect(try await first.derivationBacklog().pending == 40)
                return connection
            }
            let second = try await Store.open(url, options: .testing, logger: logger)
            try await second.withRunningWriter {
                #expect(try await second.derivedDataMismatches() == [])
                #expect(try await second.derivationBacklog().pending == 0)
                var filter = DeploymentFilter()
                filter.connectionId = connection
                let page = try await second.deployments(filter, scope: .all, limit: 100, cursor: nil)
                #expect(page.items.count == 30)
            }
        }
    }
}
