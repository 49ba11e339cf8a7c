import Logging

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

    private let driver: any DatabaseDriver
    private let logger: Logger
    private let queue = BatchQueue<Committed>()

    init(driver: any DatabaseDriver, logger: Logger) {
        self.driver = driver
        self.logger = logger
    }

    /// Queues a committed transaction's answers for the next sync (after ``close()``: syncs and
    /// answers at once, on the caller's thread).
    func add(_ committed: Committed) {
        if !queue.enqueue(committed) { answer([committed]) }
    }

    /// Syncs and answers until ``close()``, then answers what is left and returns. Runs on
    /// ``WriterExecutor/durability``: the sync blocks that queue's thread, and answers are given
    /// from there without waiting for the cooperative pool.
    func run() async {
        await withTaskExecutorPreference(WriterExecutor.durability) { await self.syncUntilClosed() }
    }

    private func syncUntilClosed() async {
        while let batch = await queue.next() { answer(batch) }
    }

    /// Stops ``run()`` once everything added so far is answered.
    func close() {
        queue.close()
    }

    /// Syncs once, then answers every transaction of `batch` (with "unavailable" if the sync failed).
    private func answer(_ batch: [Committed]) {
        var failure: (any Error)? = nil
        do {
            try driver.syncCommits()
        } catch {
            logger.error("committed writes could not be made durable", metadata: ["error": "\(error)"])
            failure = StoreError.unavailable("the write could not be made durable")
        }
        for committed in batch {
            for (job, error) in zip(committed.jobs, committed.errors) { job.finish(failure ?? error) }
        }
    }
}
