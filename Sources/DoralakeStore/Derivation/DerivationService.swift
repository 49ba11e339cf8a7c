import Logging
import SQLKit
import ServiceLifecycle
import Synchronization

/// Derives after commit (METRICS.md §2, WEBHOOK-API.md §13): drains the change log that writes
/// commit with their base rows, applying the incremental rules of DoralakeCore in transactions of
/// its own, and serves the read barrier that keeps every read of derived data as fresh as the
/// writes committed before it.
///
/// A round takes up to ``StoreOptions/derivationBatchLimit`` pending changes at once, so under load
/// its cost per change falls. On SQLite a round is a job of the group-commit writer (SQLite has
/// one writer; the round shares the group's fsync). On PostgreSQL it runs on a connection of its
/// own beside the writers, under `pg_try_advisory_xact_lock`: exactly one round at a time over
/// every instance, and whichever instance is alive takes the next one (no hand-over to wait for).
///
/// Writes of this process wake it at once; an idle deriver also looks every
/// ``StoreOptions/derivationPollInterval`` for changes of other processes or instances.
public final class DerivationService: Service, Sendable {
    private let driver: any DatabaseDriver
    private let writer: GroupCommitWriter
    private let options: StoreOptions
    /// Pause after a busy round (``StoreOptions/derivationPause``, or the database's default).
    private let pause: Duration
    private let logger: Logger
    /// Woken by this process's commits and by waiting readers.
    private let inbox = WakeSignal(latching: true)
    /// Notified after every round that applied something.
    private let progress = WakeSignal(latching: false)
    /// Woken by readers waiting at the barrier: they end the pause between busy rounds.
    private let urgent = WakeSignal(latching: true)
    private let state = Mutex(RunState())
    private let counters = DerivationCounters()

    private struct RunState {
        var stopping = false
        var suspended = false
        /// Set by ``start()`` once the store is prepared: until then the schema may be behind.
        var started = false
    }

    init(driver: any DatabaseDriver, writer: GroupCommitWriter, options: StoreOptions, logger: Logger) {
        self.driver = driver
        self.writer = writer
        self.options = options
        self.pause = options.derivationPause ?? (driver.dialect.engine == .sqlite ? .zero : .milliseconds(50))
        self.logger = logger
    }

    /// Tells the deriver that changes were committed.
    func changesCommitted() {
        inbox.notify()
    }

    /// Derives until graceful shutdown or cancellation; the round in progress then finishes (what
    /// is left pending is derived by the next start or by another instance). The first round waits
    /// for ``start()`` (the store's ``Store/prepare(migrate:)``).
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await self.deriveUntilStopped()
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
    }

    /// Lets ``run()`` derive: the schema is up to date.
    func start() {
        state.withLock { $0.started = true }
        inbox.notify()
    }

    /// Stops the loop of ``run()`` after the current round.
    func stop() {
        state.withLock { $0.stopping = true }
        inbox.notify()
        urgent.notify()
    }

    /// Test hook: stops (or resumes) deriving while the service keeps running, so that a test can
    /// hold a backlog and see the read barrier time out.
    package func setSuspended(_ suspended: Bool) {
        state.withLock { $0.suspended = suspended }
        inbox.notify()
    }

    /// Rounds done, changes applied, rounds that failed.
    package var statistics: (rounds: Int, applied: Int, failures: Int) {
        (counters.rounds.load(ordering: .relaxed), counters.applied.load(ordering: .relaxed),
            counters.failures.load(ordering: .relaxed))
    }

    private func deriveUntilStopped() async {
        var failures = 0
        var checkFirst = false
        while true {
            let (stopping, suspended, started) = state.withLock { ($0.stopping, $0.suspended, $0.started) }
            if stopping { return }
            if suspended || !started {
                await inbox.wait(timeout: options.derivationPollInterval)
                continue
            }
            do {
                // After an idle poll, one cheap read decides whether a round is worth a transaction.
                if checkFirst, try await driver.withReadConnection({ try await ChangeLogRepository(db: $0).highestPending() }) == nil {
                    await inbox.wait(timeout: options.derivationPollInterval)
                    continue
                }
                let roundStarted = ContinuousClock.now
                let outcome = try await runRound()
                failures = 0
                if let outcome, outcome.applied > 0 {
                    logger.debug(
                        "derivation round applied changes",
                        metadata: ["changes": "\(outcome.applied)", "duration": "\(ContinuousClock.now - roundStarted)"])
                    counters.rounds.add(1, ordering: .relaxed)
                    counters.applied.add(outcome.applied, ordering: .relaxed)
                    progress.notify()
                    checkFirst = false
                    // Under load, pause before the next round so that it takes many changes at once
                    // (its cost is mostly per round, not per change); a reader at the barrier ends
                    // the pause at once.
                    if outcome.applied < options.derivationBatchLimit {
                        await urgent.wait(timeout: pause)
                    }
                    continue
                }
                if outcome == nil {
                    // Another instance holds the round: look again soon, its commit may leave more.
                    checkFirst = true
                    await inbox.wait(timeout: options.derivationPollInterval)
                    continue
                }
            } catch {
                failures += 1
                counters.failures.add(1, ordering: .relaxed)
                logger.error("derivation round failed", metadata: ["error": "\(String(reflecting: error))", "failures": "\(failures)"])
                try? await Task.sleep(for: .milliseconds(min(2_000, 50 * (1 << min(failures, 6)))))
                continue
            }
            // Nothing pending: sleep until a commit of this process, or poll for others'.
            let woken = await wakeOrTimeout()
            checkFirst = !woken
        }
    }

    /// Waits for the inbox; true when woken by a notification, false on the poll timeout.
    private func wakeOrTimeout() async -> Bool {
        let started = ContinuousClock.now
        await inbox.wait(timeout: options.derivationPollInterval)
        return ContinuousClock.now - started < options.derivationPollInterval
    }

    /// One round; nil when another instance holds the derivation lock.
    private func runRound() async throws -> DerivationRound.Outcome? {
        let limit = options.derivationBatchLimit
        switch driver.dialect.engine {
        case .sqlite:
            return try await writer.submit { db in try await DerivationRound(db: db).run(limit: limit) }
        case .postgres:
            return try await driver.withBackgroundConnection { db in
                // One snapshot for the whole round: the change rows it takes and every base row it
                // reads are of the same commits (writes committed meanwhile, with their change
                // rows, are the next round's).
                try await db.raw("BEGIN ISOLATION LEVEL REPEATABLE READ").run()
                do {
                    guard try await DerivationLock.tryTake(on: db) else {
                        try await db.raw("ROLLBACK").run()
                        return nil
                    }
                    let outcome = try await DerivationRound(db: db).run(limit: limit)
                    try await db.raw("COMMIT").run()
                    return outcome
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    // MARK: - Read barrier

    /// Waits until every change committed before this call, or up to `seq` when given, has been
    /// derived. Costs one indexed query when nothing is pending.
    /// - Throws: ``StoreError/derivationBehind(waitedSeconds:)`` after ``StoreOptions/derivationMaxWait``.
    func waitUntilDerived(through seq: Int64? = nil) async throws {
        let started = ContinuousClock.now
        let deadline = started + options.derivationMaxWait
        let target: Int64?
        if let seq {
            target = seq
        } else {
            target = try await driver.withReadConnection { try await ChangeLogRepository(db: $0).highestPending() }
        }
        guard let target else { return }
        inbox.notify()
        urgent.notify()
        while try await driver.withReadConnection({ try await ChangeLogRepository(db: $0).isPending(through: target) }) {
            let now = ContinuousClock.now
            if now >= deadline {
                let waited = Double((now - started).components.seconds)
                throw StoreError.derivationBehind(waitedSeconds: waited)
            }
            await progress.wait(timeout: min(.milliseconds(20), deadline - now))
        }
    }

    /// How many changes wait for derivation, and how old the oldest is (milliseconds; nil when none).
    func backlog(now: Int64) async throws -> (pending: Int64, oldestAgeMillis: Int64?) {
        let (count, oldest) = try await driver.withReadConnection { try await ChangeLogRepository(db: $0).backlog() }
        return (count, oldest.map { max(0, now - $0) })
    }
}

/// Counters of the deriver's work.
final class DerivationCounters: Sendable {
    let rounds = Atomic<Int>(0)
    let applied = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
}

/// The PostgreSQL advisory lock that makes derivation (rounds, full rebuilds) one at a time over
/// every instance. Transaction-level: released by COMMIT or ROLLBACK, and by the server when the
/// connection dies, so an instance that stops never holds it.
enum DerivationLock {
    /// Takes the lock if free; false when another transaction holds it.
    static func tryTake(on db: any SQLDatabase) async throws -> Bool {
        let row = try await db.raw(
            "SELECT pg_try_advisory_xact_lock(\(unsafeRaw: String(StoreDialect.postgresDerivationLockKey))) AS locked"
        ).first()
        return try row?.decode(column: "locked", as: Bool.self) ?? false
    }

    /// Waits for the lock (a full rebuild waits for the round in progress).
    static func take(on db: any SQLDatabase, dialect: StoreDialect) async throws {
        guard dialect.engine == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(StoreDialect.postgresDerivationLockKey)))").run()
    }
}
