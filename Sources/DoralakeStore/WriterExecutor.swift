import Dispatch

/// The executor the group-commit writer runs on: a serial dispatch queue of its own.
///
/// A write transaction is a chain of short statements, each awaited before the next is sent.
/// On the shared cooperative pool, the writer's continuation after each statement waits in line
/// behind every request being decoded and authenticated, and that wait (measured at 4–18 ms per
/// statement under 50 concurrent senders on two cores, against 0.1–0.5 ms of database work) set
/// the pace of every write. On its own queue the writer is scheduled by the operating system
/// alongside the pool's threads instead.
final class WriterExecutor: TaskExecutor, @unchecked Sendable {
    /// The process's writer executor.
    static let shared = WriterExecutor(label: "doralake.writer")
    /// Where committed transactions are synced and answered (``CommitSyncer``): its `fsync` blocks
    /// this queue, never the writer's or the cooperative pool.
    static let durability = WriterExecutor(label: "doralake.writer-sync")

    // Dispatch queues are thread-safe; the executor holds nothing else.
    private let queue: DispatchQueue

    private init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
