import Logging
import SQLKit
import ServiceLifecycle
import Synchronization

/// The single writer of the database: gathers the writes of concurrent requests into one
/// transaction, so that many requests share one durable commit (one fsync), while each request's
/// work stays all-or-nothing and is answered only after the transaction has committed and is
/// durable (on SQLite the sync follows the COMMIT on another thread, ``CommitSyncer``, and the
/// writer goes on with the next transaction meanwhile).
///
/// The writer knows nothing of the domain: a job is a closure over the transaction's connection.
///
/// Jobs first run back to back without savepoints (the common case: every job succeeds). If one
/// fails, the transaction is rolled back and the batch runs again with one savepoint per job, so
/// the failing job is undone alone. Jobs must therefore be safe to run twice: they compute their
/// writes from the database state they read.
final class GroupCommitWriter: Service, Sendable {
    /// Most jobs committed in one transaction. It bounds the transaction's duration, which runs
    /// under the driver's deadline (15 s on PostgreSQL), also when a failing job makes the batch
    /// run again with a savepoint per job: 64 keeps that well inside the deadline on a loaded
    /// machine, and is above what 50 concurrent senders give in one batch.
    static let maximumBatchSize = 64

    private let driver: any DatabaseDriver
    private var dialect: StoreDialect { driver.dialect }
    private let queue = BatchQueue<Job>()
    private let logger: Logger
    private let counters = WriterCounters()
    /// Answers committed transactions once durable, when the driver syncs apart from COMMIT.
    private let syncer: CommitSyncer?

    init(driver: any DatabaseDriver, logger: Logger) {
        self.driver = driver
        self.logger = logger
        self.syncer = driver.commitsNeedSync ? CommitSyncer(driver: driver, logger: logger) : nil
    }

    /// Runs `work` inside the next group transaction and returns its result after the commit.
    /// - Throws: the job's own error (nothing of it is written), or ``StoreError/unavailable(_:)``
    ///   when the transaction could not be committed or the writer has stopped.
    func submit<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await enqueue(work, batch: nil)
    }

    /// Like ``submit(_:)``, for writes of one shape that can be applied together: consecutive
    /// jobs with the same `key` in a transaction are handed to `batch` at once (one set of
    /// statements for all of them); `batch` must return one result per payload, in order. If the
    /// batch fails, every job falls back to `work`, each in its own savepoint.
    func submit<P: Sendable, T: Sendable>(
        payload: P, key: String,
        batch: @escaping @Sendable ([P], any SQLDatabase) async throws -> [T],
        work: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let batching = Batching(
            key: key, payload: payload,
            run: { jobs, database in
                let payloads = jobs.map { $0.batching!.payload as! P }
                let results = try await batch(payloads, database)
                guard results.count == jobs.count else { throw StoreError.unavailable("batch result count mismatch") }
                for (job, result) in zip(jobs, results) { job.deliver(result) }
            })
        return try await enqueue(work, batch: batching)
    }

    private func enqueue<T: Sendable>(
        _ work: @escaping @Sendable (any SQLDatabase) async throws -> T, batch: Batching?
    ) async throws -> T {
        let box = ResultBox<T>()
        let answered = Flag()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { database in box.set(try await work(database)) },
                deliver: { value in if let value = value as? T { box.set(value) } },
                batching: batch,
                finish: { error in
                    // The first answer wins: a transaction abandoned after its deadline may still
                    // finish later on its own and must not answer again.
                    guard answered.setIfUnset() else { return }
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let value = box.take() {
                        continuation.resume(returning: value)
                    } else {
                        continuation.resume(throwing: StoreError.unavailable("write produced no result"))
                    }
                })
            if !queue.enqueue(job) {
                continuation.resume(throwing: StoreError.unavailable("the server is shutting down"))
            }
        }
    }

    /// Processes jobs until graceful shutdown or cancellation; jobs already queued are still run.
    func run() async throws {
        await withTaskCancellationHandler {
            await processUntilShutdown()
        } onCancel: {
            self.queue.close()
        }
    }

    private func processUntilShutdown() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                if let syncer = self.syncer { group.addTask { await syncer.run() } }
                await withTaskExecutorPreference(WriterExecutor.shared) { await self.processUntilClosed() }
                // Every committed transaction is answered (after its sync) before run() returns.
                self.syncer?.close()
            }
        } onGracefulShutdown: {
            self.queue.close()
        }
    }

    private func processUntilClosed() async {
        while let jobs = await queue.next() {
            var start = 0
            while start < jobs.count {
                let end = min(start + Self.maximumBatchSize, jobs.count)
                await process(Array(jobs[start..<end]))
                start = end
            }
        }
    }

    /// How many transactions committed, how many jobs they carried, and how many batches had to be
    /// re-run with savepoints because a job failed.
    var statistics: (transactions: Int, jobs: Int, retriedBatches: Int) {
        (counters.transactions.load(ordering: .relaxed), counters.jobs.load(ordering: .relaxed),
            counters.retriedBatches.load(ordering: .relaxed))
    }

    /// How many times a transaction was run again after the database aborted it for a conflict with
    /// a concurrent one (a deadlock between PostgreSQL instances).
    var conflictRetries: Int { counters.conflictRetries.load(ordering: .relaxed) }

    /// Stops accepting jobs; `run()` returns once the queued ones are done.
    func stop() {
        queue.close()
    }

    private func process(_ jobs: [Job]) async {
        let started = Flag()
        do {
            try await driver.withWriteConnection(deadline: true) { database in
                started.set()
                await self.processInTransaction(jobs, on: database)
            }
        } catch {
            // No connection, or the database stopped answering within the deadline: the jobs
            // not answered yet get "unavailable" (a commit that happens later anyway is
            // harmless: every write is an idempotent upsert the sender retries).
            logger.error(
                started.isSet ? "the write transaction did not finish in time" : "no database connection for writing",
                metadata: ["error": "\(error)"])
            for job in jobs { job.finish(StoreError.unavailable("the database is not reachable")) }
        }
    }

    /// Runs of one batch that end in a conflict with a concurrent transaction before its jobs are
    /// answered with that error.
    static let conflictAttempts = 4

    private func processInTransaction(_ jobs: [Job], on database: any SQLDatabase) async {
        let started = ContinuousClock.now
        defer {
            logger.trace(
                "write transaction done",
                metadata: ["jobs": "\(jobs.count)", "duration": "\(ContinuousClock.now - started)"])
        }
        var attempt = 1
        // A deadlock or serialization failure (two PostgreSQL instances' transactions locking the
        // same rows in opposite orders) aborts the whole transaction: run it again, after a short
        // random pause so that the two do not meet again in step.
        while await runTransaction(jobs, on: database, mayRetry: attempt < Self.conflictAttempts) == .conflict {
            counters.conflictRetries.add(1, ordering: .relaxed)
            logger.debug("write transaction conflicted with a concurrent one; running it again", metadata: ["attempt": "\(attempt)"])
            try? await Task.sleep(for: .milliseconds(Int.random(in: 1...10) * attempt))
            attempt += 1
        }
    }

    private enum TransactionEnd { case finished, conflict }

    /// Runs `jobs` in one transaction and answers them, or, with `mayRetry`, rolls back without
    /// answering when the database aborted the transaction for a conflict.
    private func runTransaction(_ jobs: [Job], on database: any SQLDatabase, mayRetry: Bool) async -> TransactionEnd {
        do {
            try await dialect.begin(on: database)
        } catch {
            logger.error("could not begin a write transaction", metadata: ["error": "\(error)"])
            for job in jobs { job.finish(StoreError.unavailable("cannot begin a transaction")) }
            return .finished
        }
        var failure: (any Error)? = nil
        var index = 0
        while index < jobs.count {
            // A run of consecutive batchable jobs of one kind is applied with one set of statements.
            var end = index + 1
            if let key = jobs[index].batching?.key {
                while end < jobs.count && jobs[end].batching?.key == key { end += 1 }
            }
            do {
                if end - index > 1, let batching = jobs[index].batching {
                    try await batching.run(Array(jobs[index..<end]), database)
                } else {
                    try await jobs[index].run(database)
                }
            } catch {
                failure = error
                break
            }
            index = end
        }
        guard let failure else {
            await commit(jobs, errors: Array(repeating: nil, count: jobs.count), on: database)
            return .finished
        }
        // One job failed: undo everything, then run each job in its own savepoint.
        do {
            try await database.raw("ROLLBACK").run()
        } catch {
            logger.error("rollback failed", metadata: ["error": "\(error)"])
        }
        if mayRetry && driver.isTransientConflict(failure) { return .conflict }
        if jobs.count == 1 {
            jobs[0].finish(driver.translate(failure))
            return .finished
        }
        counters.retriedBatches.add(1, ordering: .relaxed)
        do {
            try await dialect.begin(on: database)
        } catch {
            for job in jobs { job.finish(StoreError.unavailable("cannot begin a transaction")) }
            return .finished
        }
        var errors: [(any Error)?] = []
        for job in jobs {
            do {
                try await database.raw("SAVEPOINT job").run()
                do {
                    try await job.run(database)
                    try await database.raw("RELEASE SAVEPOINT job").run()
                    errors.append(nil)
                } catch {
                    if mayRetry && driver.isTransientConflict(error) {
                        // Locks taken before the savepoint are still held: only a new
                        // transaction gets out of the conflict.
                        try? await database.raw("ROLLBACK").run()
                        return .conflict
                    }
                    try await database.raw("ROLLBACK TO SAVEPOINT job").run()
                    try await database.raw("RELEASE SAVEPOINT job").run()
                    errors.append(driver.translate(error))
                }
            } catch {
                errors.append(driver.translate(error))
            }
        }
        await commit(jobs, errors: errors, on: database)
        return .finished
    }

    private func commit(_ jobs: [Job], errors: [(any Error)?], on database: any SQLDatabase) async {
        do {
            try await database.raw("COMMIT").run()
        } catch {
            logger.error("commit failed", metadata: ["error": "\(error)", "jobs": "\(jobs.count)"])
            try? await database.raw("ROLLBACK").run()
            for job in jobs { job.finish(StoreError.unavailable("the transaction could not be committed")) }
            return
        }
        counters.transactions.add(1, ordering: .relaxed)
        counters.jobs.add(jobs.count, ordering: .relaxed)
        driver.writerCommitted()
        if let syncer {
            syncer.add(CommitSyncer.Committed(jobs: jobs, errors: errors))
        } else {
            for (job, error) in zip(jobs, errors) { job.finish(error) }
        }
    }
}

/// Counters of the writer's work.
final class WriterCounters: Sendable {
    let transactions = Atomic<Int>(0)
    let jobs = Atomic<Int>(0)
    let retriedBatches = Atomic<Int>(0)
    let conflictRetries = Atomic<Int>(0)
}

/// One unit of work for the writer.
struct Job: Sendable {
    /// Runs the job alone.
    let run: @Sendable (any SQLDatabase) async throws -> Void
    /// Stores a result computed by a batch.
    let deliver: @Sendable (any Sendable) -> Void
    /// Set for jobs that can be applied together with others of the same key.
    let batching: Batching?
    /// Answers the waiting request (after the commit).
    let finish: @Sendable ((any Error)?) -> Void
}

/// How a batchable job joins others of its kind.
struct Batching: Sendable {
    let key: String
    let payload: any Sendable
    /// Applies the jobs (all of this key) together and delivers each one's result.
    let run: @Sendable ([Job], any SQLDatabase) async throws -> Void
}

/// Holds a job's result between its run and the commit.
final class ResultBox<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    func set(_ newValue: T) { value.withLock { $0 = newValue } }
    func take() -> T? { value.withLock { $0 } }
}
