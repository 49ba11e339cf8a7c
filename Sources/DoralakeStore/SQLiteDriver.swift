import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded database: one SQLite file in WAL mode with `synchronous=NORMAL` and the log synced
/// apart before any write is answered (``WALFileSync``), one writer
/// connection (used only by the ``GroupCommitWriter``, and by start-up work before it runs) and a
/// few reader connections that read concurrently with it. The writer connection runs statements
/// synchronously on the writer's executor (``SQLiteWriteConnection``); readers go through
/// sqlite-nio's thread pool.
final class SQLiteDriver: DatabaseDriver {
    let path: String
    let threadPool: NIOThreadPool
    let writer: SQLiteWriteConnection
    let readers: [SQLiteConnection]
    private let writerDatabase: SQLiteWriteDatabase
    let checkpointer: SQLiteCheckpointer
    private let walSync: WALFileSync
    private let logger: Logger
    private let nextReader = Atomic<Int>(0)
    /// Log frames at which the writer checkpoints next (``writerCommitted()``).
    private let writerCheckpointDue = Mutex((next: SQLiteDriver.writerCheckpointFrames, lastAttempt: 0))

    private init(
        path: String, threadPool: NIOThreadPool, writer: SQLiteWriteConnection, readers: [SQLiteConnection],
        checkpointer: SQLiteCheckpointer, logger: Logger, eventLoop: any EventLoop
    ) {
        self.checkpointer = checkpointer
        self.walSync = WALFileSync(databasePath: path)
        self.path = path
        self.threadPool = threadPool
        self.writer = writer
        self.readers = readers
        self.logger = logger
        self.writerDatabase = SQLiteWriteDatabase(connection: writer, logger: logger, eventLoop: eventLoop)
    }

    /// Opens (creating if needed) the database file and its connections.
    static func open(
        path: String, readerCount: Int = 4, profile: StatementProfile? = nil, logger: Logger
    ) async throws -> SQLiteDriver {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let threadPool = NIOThreadPool(numberOfThreads: readerCount)
        threadPool.start()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        var opened: SQLiteWriteConnection? = nil
        var openedCheckpointer: SQLiteWriteConnection? = nil
        do {
            let writer = try SQLiteWriteConnection.open(path: path, profile: profile)
            opened = writer
            // WAL lets readers run while the writer commits. NORMAL: a commit does not wait for the
            // disk; the writer syncs the log apart before answering (``WALFileSync``). The log is
            // copied into the file by the checkpointer, not inside the writer's commits.
            for pragma in [
                // No `wal_autocheckpoint`: the connection's WAL hook (``SQLiteWriteConnection/logFrames``)
                // replaces the automatic checkpoint, and that pragma would replace the hook.
                "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000",
            ] {
                try writer.execute(pragma, []) { _ in }
            }
            let checkpointConnection = try SQLiteWriteConnection.open(path: path)
            openedCheckpointer = checkpointConnection
            var readers: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                let reader = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop)
                let readerSQL = reader.sql(queryLogLevel: nil)
                try await readerSQL.raw("PRAGMA busy_timeout=10000").run()
                try await readerSQL.raw("PRAGMA query_only=1").run()
                readers.append(reader)
            }
            return SQLiteDriver(
                path: path, threadPool: threadPool, writer: writer, readers: readers,
                checkpointer: SQLiteCheckpointer(connection: checkpointConnection, threadPool: threadPool, logger: logger),
                logger: logger, eventLoop: eventLoop)
        } catch {
            opened?.close()
            openedCheckpointer?.close()
            try? await threadPool.shutdownGracefully()
            throw StoreError.unavailable("cannot open SQLite database at \(path): \(error)")
        }
    }

    var dialect: StoreDialect { .sqlite }

    var sqlitePath: String? { path }

    /// Runs `body` on the writer connection (SQLite statements end or fail; no deadline needed).
    /// Start-up work (without `deadline`) is synced before this returns; the writer's transactions
    /// are synced by the writer (``syncCommits()``).
    func withWriteConnection<T: Sendable>(
        deadline: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let result = try await body(writerDatabase)
        if !deadline { try syncCommits() }
        return result
    }

    /// A commit returns once its frames are in the log, before they are on disk.
    var commitsNeedSync: Bool { true }

    /// Syncs the log (an `fsync`, on the caller's thread; the writer's ``CommitSyncer`` calls it
    /// from a queue of its own, so the writer goes on meanwhile).
    func syncCommits() throws {
        try walSync.sync()
    }

    /// Runs `body` on a reader connection (round robin).
    func withBackgroundConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        throw StoreError.configuration("SQLite has one write connection: background transactions go through the writer")
    }

    func withReadConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.add(1, ordering: .relaxed).oldValue
        return try await body(SQLiteTupleDatabase(connection: readers[index % readers.count]))
    }

    /// SQLite errors are about statements or the file; they are reported as they are.
    func translate(_ error: any Error) -> any Error { error }

    /// One writer connection: SQLite transactions of this store never conflict with each other.
    func isTransientConflict(_ error: any Error) -> Bool { false }

    /// Checkpoints the write-ahead log beside the writer until cancelled.
    func runMaintenance() async {
        await checkpointer.run()
    }

    /// Log size, in frames, past which the writer checkpoints the log itself between two
    /// transactions (about 8 MB of 4 KB pages).
    static let writerCheckpointFrames = 2_000

    /// Lets the log start over once it has grown past ``writerCheckpointFrames``.
    ///
    /// Under a steady write load the background ``SQLiteCheckpointer`` copies frames while the
    /// writer appends new ones, so it never finds the whole log copied, and the log only starts
    /// over (SQLite's rule) after a checkpoint that found it complete: measured, the log grew to
    /// 344 MB in a 6 s load, every commit extended the file (the kernel allocating and zeroing
    /// blocks: 13 % of the server's CPU in `pwrite`) and every page read searched a longer log
    /// index. A checkpoint run here sees no new frames while it runs: it copies what the
    /// background one has not (little: a page is copied once however often it changed) and, when
    /// no reader still needs the log, completes, and the next transaction writes the log from its
    /// start again. A checkpoint that could not complete (the background one held the lock, a long
    /// read) is tried again after an eighth of ``writerCheckpointFrames`` more frames.
    func writerCommitted() {
        let frames = writer.logFrames
        let due = writerCheckpointDue.withLock { state -> Bool in
            if frames < state.lastAttempt { state.next = Self.writerCheckpointFrames }  // the log started over
            guard frames >= state.next else { return false }
            state.lastAttempt = frames
            return true
        }
        guard due else { return }
        var complete = false
        do {
            try writer.execute("PRAGMA wal_checkpoint(PASSIVE)", []) { row in
                // Columns: busy (the background checkpoint was running), log frames, frames copied.
                if case .integer(let busy) = row.values[0], case .integer(let log) = row.values[1],
                    case .integer(let copied) = row.values[2]
                {
                    complete = busy == 0 && log == copied
                }
            }
        } catch {
            logger.warning("SQLite checkpoint on the writer failed", metadata: ["error": "\(error)"])
        }
        // Not complete (the background checkpoint held the lock, or a reader still needs the log):
        // soon again, after an eighth of the threshold.
        let step = complete ? Self.writerCheckpointFrames : Self.writerCheckpointFrames / 8
        writerCheckpointDue.withLock { $0.next = frames + step }
    }

    /// Closes every connection and stops the thread pool; the log is copied into the file first.
    func close() async {
        if let profile = writer.profile {
            for line in profile.report() { logger.notice("\(line)") }
        }
        for reader in readers { try? await reader.close() }
        try? writer.execute("PRAGMA wal_checkpoint(TRUNCATE)", []) { _ in }
        checkpointer.connection.close()
        walSync.closeLog()
        writer.close()
        try? await threadPool.shutdownGracefully()
    }
}
