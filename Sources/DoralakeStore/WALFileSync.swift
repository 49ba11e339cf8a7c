#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Makes the commits of a SQLite file in WAL mode durable with an `fsync` of its write-ahead log,
/// called from a thread other than the writer's.
///
/// The writer connection runs with `synchronous=NORMAL`: a COMMIT writes its frames to the log
/// and returns without waiting for the disk (SQLite still syncs the log before every checkpoint
/// and the log's header when it starts over, so the file stays consistent). The group-commit
/// writer answers a transaction's requests only after an `fsync` of the log that began after
/// that COMMIT returned, which is what `synchronous=FULL` would have done inside the COMMIT, but
/// the writer goes on with the next transaction meanwhile, and one `fsync` covers every
/// transaction committed before it.
final class WALFileSync: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    // Guarded by `lock`.
    private var descriptor: Int32 = -1
    private var inode: ino_t = 0

    /// The log of the database file at `databasePath`.
    init(databasePath: String) {
        self.path = databasePath + "-wal"
    }

    /// Flushes the log to disk (blocks the calling thread).
    /// - Throws: ``StoreError/unavailable(_:)`` when the log cannot be opened or synced.
    func sync() throws {
        lock.lock()
        defer { lock.unlock() }
        try openIfNeeded()
        guard descriptor >= 0 else { return }
        guard fsync(descriptor) == 0 else {
            let code = errno
            close(descriptor)
            descriptor = -1
            throw StoreError.unavailable("the write-ahead log could not be synced to disk (errno \(code))")
        }
    }

    /// Opens the log, again if the file at its path is no longer the one open (SQLite deletes the
    /// log when the last connection to the database closes, and a new one is created later).
    private func openIfNeeded() throws {
        var current = stat()
        let exists = stat(path, &current) == 0
        if descriptor >= 0, exists, current.st_ino == inode { return }
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        // No log yet: nothing was written since it was last removed, so nothing to sync.
        guard exists else { return }
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw StoreError.unavailable("the write-ahead log \(path) could not be opened (errno \(errno))")
        }
        descriptor = opened
        inode = current.st_ino
    }

    /// Closes the descriptor.
    func closeLog() {
        lock.lock()
        defer { lock.unlock() }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
