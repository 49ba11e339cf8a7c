import Logging
import NIOPosix

/// Copies committed pages from the SQLite write-ahead log into the database file, beside the
/// writer rather than inside one of its commits.
///
/// With SQLite's automatic checkpoint, the commit that grows the log past 1 000 pages also copies
/// the log into the file and syncs it, and every request of that group transaction waits for it.
/// The writer connection runs with `wal_autocheckpoint=0` instead, and this loop runs a `PASSIVE`
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
            try await threadPool.runIfActive {
                try connection.execute("PRAGMA wal_checkpoint(PASSIVE)", []) { _ in }
            }
        } catch {
            logger.warning("SQLite checkpoint failed", metadata: ["error": "\(error)"])
        }
    }
}
