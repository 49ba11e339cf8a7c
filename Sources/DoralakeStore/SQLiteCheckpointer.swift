import Logging
import NIOPosix
import Synchronization

/// Copies committed pages from the SQLite write-ahead log into the database file, beside the
/// writer rather than inside one of its commits.
///
/// With SQLite's automatic checkpoint, the commit that grows the log past 1 000 pages also copies
/// the log into the file and syncs it, and every request of that group transaction waits for it.
/// The writer connection has no automatic checkpoint (its WAL hook replaces it), and this loop runs a `PASSIVE`
/// checkpoint on a connection of its own, on the driver's thread pool, every ``interval``: it never
/// waits for the writer or for readers, and copies whatever they no longer need. Once the whole log
/// is copied, the writer's next transaction starts the log over from its beginning (SQLite's own
/// rule), so the file stays about as large as one interval's writes.
struct SQLiteCheckpointer: Sendable {
    /// Time between two checkpoints.
    static let interval = Duration.milliseconds(200)

    let connection: SQLiteWriteConnection
    let threadPool: NIOThreadPool
    let logger: Logger
    /// Checkpoints that found the whole log copied (SQLite's `log` and `checkpointed` frame counts
    /// equal): after each, the writer's next transaction starts the log over.
    let completeCheckpoints = Counter()

    /// A count read and bumped from any thread.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    /// Checkpoints every ``interval`` until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: Self.interval)
            } catch {
                return
            }
            await checkpoint()
        }
    }

    /// One `PASSIVE` checkpoint; a failure is logged and the next one tried at the next interval.
    func checkpoint() async {
        let connection = self.connection
        do {
            let complete = try await threadPool.runIfActive {
                var complete = false
                try connection.execute("PRAGMA wal_checkpoint(PASSIVE)", []) { row in
                    // Columns: busy, log (frames in the log), checkpointed (frames copied).
                    if case .integer(let log) = row.values[1], case .integer(let copied) = row.values[2] {
                        complete = log == copied
                    }
                }
                return complete
            }
            if complete { completeCheckpoints.increment() }
        } catch {
            logger.warning("SQLite checkpoint failed", metadata: ["error": "\(error)"])
        }
    }
}
