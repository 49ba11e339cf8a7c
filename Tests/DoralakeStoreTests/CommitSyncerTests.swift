import Foundation
import Logging
import SQLKit
import Synchronization
import Testing

@testable import DoralakeStore

/// The SQLite writer answers a write only after the log is synced, without waiting for the disk
/// itself (WEBHOOK-API.md §13: answered 200 only once committed and durable).
@Suite("Commits synced beside the writer (SQLite)")
struct CommitSyncerTests {
    /// A SQLite driver whose log syncs wait until the test lets them go, and are counted.
    final class HeldSyncDriver: DatabaseDriver {
        let inner: SQLiteDriver
        let gate = DispatchSemaphore(value: 0)
        let held = Atomic<Bool>(true)
        let started = Atomic<Int>(0)
        let failNext = Atomic<Bool>(false)

        init(inner: SQLiteDriver) { self.inner = inner }

        var dialect: StoreDialect { inner.dialect }
        var sqlitePath: String? { inner.sqlitePath }
        func withWriteConnection<T: Sendable>(
            deadline: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
        ) async throws -> T { try await inner.withWriteConnection(deadline: deadline, body) }
        func withBackgroundConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            try await inner.withBackgroundConnection(body)
        }
        func withReadConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            try await inner.withReadConnection(body)
        }
        func translate(_ error: any Error) -> any Error { inner.translate(error) }
        func isTransientConflict(_ error: any Error) -> Bool { inner.isTransientConflict(error) }
        var commitsNeedSync: Bool { true }
        func syncCommits() throws {
            started.add(1, ordering: .relaxed)
            if held.load(ordering: .relaxed) { gate.wait() }
            if failNext.exchange(false, ordering: .relaxed) { throw StoreError.unavailable("disk full") }
            try inner.syncCommits()
        }
        func runMaintenance() async {}
        func close() async { await inner.close() }

        func release() {
            held.store(false, ordering: .relaxed)
            gate.signal()
        }
    }

    private static func withWriter(_ body: (HeldSyncDriver, GroupCommitWriter) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "commit-syncer-test")
        logger.logLevel = .critical
        let sqlite = try await SQLiteDriver.open(path: directory.appendingPathComponent("s.sqlite").path, logger: logger)
        try await sqlite.withWriteConnection(deadline: false) { db in
            try await db.raw("CREATE TABLE t (v INTEGER NOT NULL)").run()
        }
        let driver = HeldSyncDriver(inner: sqlite)
        let writer = GroupCommitWriter(driver: driver, logger: logger)
        let running = Task { try await writer.run() }
        do {
            try await body(driver, writer)
        } catch {
            driver.release()
            writer.stop()
            _ = try? await running.value
            await driver.close()
            throw error
        }
        driver.release()
        writer.stop()
        try await running.value
        await driver.close()
    }

    @Test("a committed write is answered only after a log sync that began after its commit; the writer goes on meanwhile")
    func answeredAfterSync() async throws {
        try await Self.withWriter { driver, writer in
            let answered = SQLiteCheckpointer.Counter()
            let first = Task {
                try await writer.submit { db in try await db.raw("INSERT INTO t (v) VALUES (1)").run() }
                answered.increment()
            }
            // The transaction commits, then its sync waits at the gate.
            let deadline = ContinuousClock.now + .seconds(10)
            while driver.started.load(ordering: .relaxed) == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(driver.started.load(ordering: .relaxed) == 1)
            // Committed (a reader sees it), not answered: the sync has not finished.
            let visible = try await driver.withReadConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM t").first()?.decode(column: "n", as: Int.self)
            }
            #expect(visible == 1)
            try await Task.sleep(for: .milliseconds(200))
            #expect(answered.count == 0, "answered before its commit was synced")

            // The writer is not held by the sync: a second write commits while the first waits.
            let second = Task {
                try await writer.submit { db in try await db.raw("INSERT INTO t (v) VALUES (2)").run() }
                answered.increment()
            }
            var count = 0
            let secondDeadline = ContinuousClock.now + .seconds(10)
            while count < 2 && ContinuousClock.now < secondDeadline {
                count = try await driver.withReadConnection { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM t").first()?.decode(column: "n", as: Int.self) ?? 0
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(count == 2, "the second transaction committed while the first one's sync was held")
            #expect(answered.count == 0)

            driver.release()
            try await first.value
            try await second.value
            #expect(answered.count == 2)
        }
    }

    @Test("when the sync fails, the transactions it covered are answered unavailable, and the next writes succeed")
    func failedSync() async throws {
        try await Self.withWriter { driver, writer in
            driver.failNext.store(true, ordering: .relaxed)
            driver.release()
            await #expect(throws: StoreError.self) {
                try await writer.submit { db in try await db.raw("INSERT INTO t (v) VALUES (1)").run() }
            }
            try await writer.submit { db in try await db.raw("INSERT INTO t (v) VALUES (2)").run() }
        }
    }
}
