import Logging
import Synchronization

/// Answers committed transactions once they are durable, when the database's COMMIT returns
/// earlier (``DatabaseDriver/commitsNeedSync``): the writer hands over each committed transaction's
/// answers and goes on with the next transaction, while this stage syncs and answers. One sync
/// answers every transaction handed over before it began, so under load many transactions share
/// one `fsync`, and the writer never waits for the disk.
final class CommitSyncer: Sendable {
    /// One committed transaction's answers.
    struct Committed: Sendable {
        let jobs: [Job]
        let errors: [(any Error)?]
    }

    private struct State {
        var pending: [Committed] = []
        var waiter: CheckedContinuation<[Committed]?, Never>? = nil
        var closed = false
    }

    private let driver: any DatabaseDriver
    private let logger: Logger
    private let state = Mutex(State())
    /// Syncs done (each answering one or more transactions).
    let syncs = Atomic<Int>(0)

    init(driver: any DatabaseDriver, logger: Logger) {
        self.driver = driver
        self.logger = logger
    }

    /// Queues a committed transaction's answers for the next sync.
    func add(_ committed: Committed) {
        let waiter: CheckedContinuation<[Committed]?, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending.append(committed)
            return nil
        }
        waiter?.resume(returning: [committed])
    }

    /// Syncs and answers until ``close()``, then answers what is left and returns. Runs on
    /// ``WriterExecutor/durability``: the sync blocks that queue's thread, and answers are given
    /// from there without waiting for the cooperative pool.
    func run() async {
        await withTaskExecutorPreference(WriterExecutor.durability) { await self.syncUntilClosed() }
    }

    private func syncUntilClosed() async {
        while let batch = await next() {
            var failure: (any Error)? = nil
            do {
                try driver.syncCommits()
                syncs.add(1, ordering: .relaxed)
            } catch {
                logger.error("committed writes could not be made durable", metadata: ["error": "\(error)"])
                failure = StoreError.unavailable("the write could not be made durable")
            }
            for committed in batch {
                for (job, error) in zip(committed.jobs, committed.errors) { job.finish(failure ?? error) }
            }
        }
    }

    /// Stops ``run()`` once everything added so far is answered.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<[Committed]?, Never>? in
            state.closed = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: nil)
    }

    private func next() async -> [Committed]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Committed]?, Never>) in
            let immediate: [Committed]?? = state.withLock { state in
                if !state.pending.isEmpty {
                    let pending = state.pending
                    state.pending = []
                    return .some(pending)
                }
                if state.closed { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }
}
