import DoralakeCore
import DoralakeTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import DoralakeStore

/// `rawLog.retentionDays` (spec §11): old events are pruned in chunks, newer ones kept.
@Suite("Event log retention (SQLite, and PostgreSQL when configured)")
struct EventRetentionTests {
    static let day: Int64 = 86_400_000

    static func event(at time: Int64) -> EventDraft {
        var event = StoreTests.event()
        event.receivedAt = time
        return event
    }

    @Test("a prune removes exactly the events older than the retention, over several chunks; a second prune removes nothing")
    func pruneInChunks() async throws {
        let now = Atomic<Int64>(1_700_000_000_000)
        let clock = WallClock { now.load(ordering: .relaxed) }
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "retention-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, clock: clock, options: .testing, logger: logger)
            try await store.withRunningWriter {
                let start = now.load(ordering: .relaxed)
                let old = EventRetention.chunkSize * 2 + 100
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<old {
                        group.addTask { _ = try await store.recordRejected(Self.event(at: start + Int64(index))) }
                    }
                    try await group.waitForAll()
                }
                now.store(start + 31 * Self.day, ordering: .relaxed)
                let kept = try await store.recordRejected(Self.event(at: start + 2 * Self.day + 1))
                let recent = try await store.recordRejected(Self.event(at: start + 30 * Self.day))
                #expect(try await store.pruneEvents(olderThanDays: 29) == old)
                #expect(try await store.event(id: kept) != nil, "received 29 days minus 1 ms ago")
                #expect(try await store.event(id: recent) != nil)
                #expect(try await store.events(EventFilter(), limit: 1000, cursor: nil).items.map(\.id) == [recent, kept])
                #expect(try await store.pruneEvents(olderThanDays: 29) == 0)
                #expect(try await store.pruneEvents(olderThanDays: 28) == 1)
            }
        }
    }

    @Test("the service prunes at start and every interval, and ends on graceful shutdown")
    func servicePrunes() async throws {
        let now = Atomic<Int64>(1_700_000_000_000)
        let clock = WallClock { now.load(ordering: .relaxed) }
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "retention-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, clock: clock, options: .testing, logger: logger)
            let retention = EventRetention(store: store, days: 7, interval: .milliseconds(50), logger: logger)
            let group = ServiceGroup(configuration: .init(services: store.services + [retention], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await store.prepare()
                let first = try await store.recordRejected(Self.event(at: now.load(ordering: .relaxed)))
                now.add(8 * Self.day, ordering: .relaxed)
                let second = try await store.recordRejected(Self.event(at: now.load(ordering: .relaxed)))
                let deadline = ContinuousClock.now + .seconds(10)
                while try await store.event(id: first) != nil && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(try await store.event(id: first) == nil)
                #expect(try await store.event(id: second) != nil)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
