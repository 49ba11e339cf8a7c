#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle

/// Gives freed heap memory back to the operating system every few seconds (glibc's
/// `malloc_trim`). glibc keeps memory freed by a burst of large requests in its per-thread
/// arenas, so without this the resident size stays near its peak for good; with it the process
/// returns close to its working set once the burst is over. Does nothing on other C libraries.
public struct MemoryTrimmer: Service {
    let interval: Duration

    public init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    public func run() async throws {
        guard let trim = Self.mallocTrim else { return }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                _ = trim(0)
            }
        }
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, looked up at run time (it is not in the Glibc module, and other C
    /// libraries do not have it).
    private static var mallocTrim: MallocTrim? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
        return nil
        #endif
    }
}
