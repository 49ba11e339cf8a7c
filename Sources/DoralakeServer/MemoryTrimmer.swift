#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle

/// Gives freed heap memory back to the operating system every few seconds (glibc's
/// `malloc_trim`). glibc keeps memory freed by a burst of large requests in its per-thread
/// arenas, so without this the resident size stays near its peak for good; with it the process
/// returns close to its working set once the burst is over. Does nothing on other C libraries.
///
/// It also makes this the only time memory is given back: glibc otherwise shrinks a thread's heap
/// on any `free` that leaves more than 128 KB at its top, with an `madvise` whose TLB flush
/// interrupts every core. On the SQLite writer's thread that was about 8 % of its time under load
/// (perf, `scripts/bench-ingest.sh --perf`).
public struct MemoryTrimmer: Service {
    let interval: Duration

    public init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    public func run() async throws {
        guard let trim = Self.mallocTrim else { return }
        Self.returnMemoryOnlyWhenTrimmed()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                _ = trim(0)
            }
        }
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32

    /// glibc's `M_TRIM_THRESHOLD` (malloc.h; not in the Glibc module).
    private static let trimThresholdOption: Int32 = -1

    /// Raises glibc's trim threshold above any heap top this process leaves (64 MB), so that
    /// `free` never shrinks a heap by itself. Setting it also stops glibc from raising its mmap
    /// threshold as large blocks are freed: blocks of 128 KB and more keep their own mappings,
    /// returned to the system as soon as they are freed (large bodies do not stay in the heap).
    private static func returnMemoryOnlyWhenTrimmed() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(trimThresholdOption, 64 << 20)
        #endif
    }

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
