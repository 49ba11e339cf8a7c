import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, for the end-to-end tests.
///
/// Foundation's `Process` is not used: on Linux its `run()` crashed CI runs with a bad pointer in
/// `memcpy` (an over-read of `struct dirent` while it lists `/proc/self/fd`, fixed upstream in
/// swift-corelibs-foundation PR #5472, not yet in the toolchain here).
final class ChildProcess: Sendable {
    /// Where a standard stream of the child goes.
    enum Output {
        /// `/dev/null`.
        case discard
        /// A new pipe; its read end is in ``stdoutPipe`` / ``stderrPipe``.
        case pipe
        /// The same pipe as standard output (only for standard error).
        case sameAsOutput
    }

    let processIdentifier: pid_t
    /// The read end of the child's standard output pipe, if it was `.pipe`.
    let stdoutPipe: Int32?
    /// The read end of the child's standard error pipe, if it was `.pipe`.
    let stderrPipe: Int32?
    private let exitStatus = Mutex<Int32?>(nil)

    /// Launches are serialised, so that a pipe created for one child is never inherited by another
    /// one launched at the same moment (before its close-on-exec flag is set).
    private static let launchLock = Mutex(())

    /// Starts `executable` with `arguments` and exactly `environment`; standard input is `/dev/null`.
    init(
        executable: String, arguments: [String], environment: [String: String],
        stdout: Output = .discard, stderr: Output = .discard
    ) throws {
        (processIdentifier, stdoutPipe, stderrPipe) = try Self.launchLock.withLock { _ in
            try Self.spawn(executable, arguments, environment, stdout, stderr)
        }
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], _ environment: [String: String], _ stdout: Output, _ stderr: Output
    ) throws -> (pid_t, Int32?, Int32?) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }
        func makePipe() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw E2EError("pipe failed: errno \(errno)") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            parentEnds.append(fds[0])
            childEnds.append(fds[1])
            return (fds[0], fds[1])
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var outRead: Int32?
        var errRead: Int32?
        var outWrite: Int32?
        switch stdout {
        case .pipe:
            let ends = try makePipe()
            outRead = ends.read
            outWrite = ends.write
            posix_spawn_file_actions_adddup2(&actions, ends.write, 1)
        case .discard, .sameAsOutput:
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        switch stderr {
        case .pipe:
            let ends = try makePipe()
            errRead = ends.read
            posix_spawn_file_actions_adddup2(&actions, ends.write, 2)
        case .sameAsOutput where outWrite != nil:
            posix_spawn_file_actions_adddup2(&actions, outWrite!, 2)
        case .discard, .sameAsOutput:
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no signal blocked and SIGPIPE at its default, whatever this test
        // process has set.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            parentEnds.forEach { close($0) }
            throw E2EError("posix_spawn \(executable) failed: \(String(cString: strerror(result)))")
        }
        return (pid, outRead, errRead)
    }

    /// Closes every descriptor above standard error in the child (glibc 2.34+), as `Process` did;
    /// where that call is missing, close-on-exec flags are all there is.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        #if os(Linux)
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        #endif
    }

    /// Whether the child has not ended yet (reaps it when it has).
    var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let result = waitpid(processIdentifier, &raw, WNOHANG)
            if result == processIdentifier {
                status = Self.decode(raw)
                return false
            }
            return result == 0
        }
    }

    /// Blocks until the child ends.
    func waitUntilExit() {
        while isRunning {
            usleep(10_000)
        }
    }

    /// The exit code, or 128 + the signal number when a signal ended the child; valid after it ended.
    var terminationStatus: Int32 {
        exitStatus.withLock { $0 } ?? -1
    }

    /// Sends SIGTERM.
    func terminate() { signal(SIGTERM) }

    /// Sends `signal` if the child still runs.
    func signal(_ signal: Int32) {
        if isRunning { _ = kill(processIdentifier, signal) }
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

/// Reads a descriptor until end of file with blocking reads; retries on `EINTR`.
enum DescriptorReader {
    /// Reads `descriptor` to its end, calling `chunk` with each piece, then closes it.
    static func readAll(_ descriptor: Int32, _ chunk: (Data) -> Void) {
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                chunk(Data(buffer[0..<count]))
            } else if count == 0 || errno != EINTR {
                return
            }
        }
    }
}
