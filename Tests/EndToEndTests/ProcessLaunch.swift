import Foundation

/// Starts child processes one at a time. corelibs-foundation's `Process.run()` is not safe to call
/// from several threads at once: a CI run crashed inside it (a bad pointer in its `memcpy` of the
/// launch arguments) while another test started a server.
enum ProcessLaunch {
    private static let lock = NSLock()

    /// Runs `process`, never concurrently with another launch of this test process.
    static func run(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}
