import Foundation
import NIOCore
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// The writer's own connection to the SQLite file, which runs each statement synchronously on the
/// calling thread and keeps every distinct statement prepared.
///
/// sqlite-nio runs a statement on its thread pool and answers on an event loop, and parses the SQL
/// anew each time: three thread hops and a `sqlite3_prepare` for every statement of a group
/// transaction. The group-commit writer sends its statements one after the other from an executor
/// of its own, so this connection runs them right there instead, and a statement seen before is
/// reused (`SQLITE_PREPARE_PERSISTENT`, reset after each run).
///
/// It uses the SQLite library that sqlite-nio vendors, the same copy as the reader connections: two
/// copies of SQLite in one process do not see each other's POSIX locks and can corrupt the file.
/// Calls are serialised by a lock; a statement blocks the calling thread while it runs.
final class SQLiteWriteConnection: @unchecked Sendable {
    /// Most prepared statements kept; the oldest is finalized first. Multi-row statements differ by
    /// their row count, so a writer under varying load sees a few hundred shapes at most.
    static let cacheCapacity = 256

    private let lock = NSLock()
    // Guarded by `lock`.
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private var statementOrder: [String] = []
    private var hits = 0
    private var misses = 0
    /// Set for benchmarks: every statement is timed.
    let profile: StatementProfile?
    /// Frames in the write-ahead log after this connection's last commit (SQLite's WAL hook).
    private let logFrameCount = LogFrameCount()

    private init(handle: OpaquePointer, profile: StatementProfile?) {
        self.handle = handle
        self.profile = profile
        // The hook replaces SQLite's automatic checkpoint, which the writer has switched off.
        sqlite_nio_sqlite3_wal_hook(handle, Self.walHook, Unmanaged.passUnretained(logFrameCount).toOpaque())
    }

    /// Frames in the write-ahead log after this connection's last commit: how far the log has
    /// grown since it last started over.
    var logFrames: Int { logFrameCount.value.load(ordering: .relaxed) }

    /// Set by SQLite after every commit of this connection.
    private final class LogFrameCount: Sendable {
        let value = Atomic<Int>(0)
    }

    private static let walHook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = {
        context, _, _, frames in
        guard let context else { return SQLITE_OK }
        Unmanaged<LogFrameCount>.fromOpaque(context).takeUnretainedValue().value.store(Int(frames), ordering: .relaxed)
        return SQLITE_OK
    }

    /// Opens (creating if needed) the database file.
    static func open(path: String, profile: StatementProfile? = nil) throws -> SQLiteWriteConnection {
        var handle: OpaquePointer?
        // NOMUTEX: this type serialises its calls itself.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "status \(status)"
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw SQLiteWriteError(code: status, message: "cannot open \(path): \(message)")
        }
        sqlite_nio_sqlite3_extended_result_codes(handle, 1)
        return SQLiteWriteConnection(handle: handle, profile: profile)
    }

    /// Runs one statement with its bound values, calling `onRow` for each result row.
    /// - Throws: ``SQLiteWriteError`` (the statement's effects are undone by SQLite as usual:
    ///   the statement, not the transaction).
    func execute(_ sql: String, _ binds: [SQLiteData], onRow: (SQLiteWriteRow) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        guard let handle else { throw SQLiteWriteError(code: SQLITE_MISUSE, message: "the connection is closed") }
        let statement = try prepared(sql, on: handle)
        // Every parameter is bound on every run, so a run never sees a value of the one before.
        let parameters = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        guard parameters == binds.count else {
            throw SQLiteWriteError(code: SQLITE_RANGE, message: "the statement has \(parameters) parameters, \(binds.count) values were given")
        }
        defer {
            sqlite_nio_sqlite3_reset(statement)
            // Bindings are not cleared: SQLite compiles a statement again when a parameter its plan
            // looked at (a LIMIT, a `column = ?` whose value is 0 or 1) changes, and clearing counts
            // as a change, so every run of such a statement was compiled anew. Only large values are
            // let go, so that a cached statement does not hold a request body.
            for (offset, value) in binds.enumerated() where Self.isLarge(value) {
                sqlite_nio_sqlite3_bind_null(statement, Int32(offset + 1))
            }
        }
        for (offset, value) in binds.enumerated() {
            let status = Self.bind(value, at: Int32(offset + 1), to: statement)
            guard status == SQLITE_OK else { throw error(status, on: handle) }
        }
        var names: [String]? = nil
        let started = profile == nil ? nil : ContinuousClock.now
        var rows = 0
        defer {
            if let profile, let started {
                let reprepares = sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 1)
                profile.record(sql, duration: ContinuousClock.now - started, rows: rows, reprepares: Int(reprepares))
            }
        }
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            rows += 1
            guard status == SQLITE_ROW else { throw error(status, on: handle) }
            let count = sqlite_nio_sqlite3_column_count(statement)
            if names == nil {
                names = (0..<count).map { sqlite_nio_sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? "" }
            }
            let values = (0..<count).map { Self.column($0, of: statement) }
            try onRow(SQLiteWriteRow(names: names!, values: values))
        }
    }

    /// How many statements were reused and how many had to be prepared.
    var cacheStatistics: (hits: Int, misses: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (hits, misses)
    }

    /// Finalizes every statement and closes the connection.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        statementOrder = []
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    deinit {
        close()
    }

    // MARK: - Statements

    private func prepared(_ sql: String, on handle: OpaquePointer) throws -> OpaquePointer {
        if let statement = statements[sql] {
            hits += 1
            return statement
        }
        misses += 1
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let status = sql.withCString { text in
            let status = sqlite_nio_sqlite3_prepare_v3(
                handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            // Only the first statement of the text would run: refuse the rest rather than skip it.
            if status == SQLITE_OK, let tail, !String(cString: tail).allSatisfy({ $0.isWhitespace || $0 == ";" }) {
                return SQLITE_MISUSE
            }
            return status
        }
        guard status == SQLITE_OK, let statement else {
            if let statement { sqlite_nio_sqlite3_finalize(statement) }
            if status == SQLITE_MISUSE {
                throw SQLiteWriteError(code: status, message: "one statement at a time: \(sql.prefix(200))")
            }
            throw error(status, on: handle)
        }
        statements[sql] = statement
        statementOrder.append(sql)
        if statementOrder.count > Self.cacheCapacity {
            let evicted = statementOrder.removeFirst()
            if let old = statements.removeValue(forKey: evicted) { sqlite_nio_sqlite3_finalize(old) }
        }
        return statement
    }

    private func error(_ status: Int32, on handle: OpaquePointer) -> SQLiteWriteError {
        let message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "status \(status)"
        return SQLiteWriteError(code: status, message: message)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// A text or blob bound value too large to keep in a cached statement between runs.
    private static func isLarge(_ value: SQLiteData) -> Bool {
        switch value {
        case .text(let text): text.utf8.count > 4_096
        case .blob(let buffer): buffer.readableBytes > 4_096
        default: false
        }
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer):
            return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double):
            return sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .text(let text):
            var text = text
            return text.withUTF8 { bytes in
                // An empty buffer may have no address, and a nil pointer would bind NULL.
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return sqlite_nio_sqlite3_bind_text64(statement, index, "", 0, transient, UInt8(SQLITE_UTF8))
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite_nio_sqlite3_bind_text64(statement, index, $0, UInt64(bytes.count), transient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let buffer):
            if buffer.readableBytes == 0 { return sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0) }
            return buffer.withUnsafeReadableBytes { bytes in
                sqlite_nio_sqlite3_bind_blob64(statement, index, bytes.baseAddress, UInt64(bytes.count), transient)
            }
        case .null:
            return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private static func column(_ index: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, index), count > 0 else {
                return .blob(ByteBuffer())
            }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}

/// A result row of the writer connection.
struct SQLiteWriteRow: Sendable {
    /// The column names, in select order.
    let names: [String]
    /// The values, one per name.
    let values: [SQLiteData]

    /// The value of the first column with this name.
    func value(_ column: String) -> SQLiteData? {
        names.firstIndex(of: column).map { values[$0] }
    }
}

/// A failure reported by SQLite on the writer connection.
struct SQLiteWriteError: Error, CustomStringConvertible {
    /// SQLite's (extended) result code.
    let code: Int32
    /// SQLite's message for it.
    let message: String

    var description: String { "SQLite error \(code): \(message)" }
}
