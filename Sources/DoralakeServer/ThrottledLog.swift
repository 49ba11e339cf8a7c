import Dispatch
import Logging
import Synchronization

/// Logs a recurring condition at most once per interval, with how many times it recurred in
/// between, so that an outage answered with thousands of 503s gives a few log lines instead of
/// one per request.
final class ThrottledLog: Sendable {
    /// "storage unavailable" (503) answers: at most one line per 10 s.
    static let storageUnavailable = ThrottledLog(intervalNanoseconds: 10_000_000_000)

    private struct State {
        var lastLogged: UInt64? = nil
        var suppressed = 0
    }

    private let intervalNanoseconds: UInt64
    private let now: @Sendable () -> UInt64
    private let state = Mutex(State())

    /// - Parameter now: a monotonic clock in nanoseconds (tests pass their own).
    init(intervalNanoseconds: UInt64, now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.intervalNanoseconds = intervalNanoseconds
        self.now = now
    }

    /// Logs `message` at error level if the interval since the last line has passed (adding the
    /// number of occurrences not logged since); otherwise only counts it.
    func error(_ logger: Logger, _ message: @autoclosure () -> Logger.Message, metadata: Logger.Metadata) {
        let now = self.now()
        let repeats: Int? = state.withLock { state in
            if let last = state.lastLogged, now - last < intervalNanoseconds {
                state.suppressed += 1
                return nil
            }
            let repeats = state.suppressed
            state.lastLogged = now
            state.suppressed = 0
            return repeats
        }
        guard let repeats else { return }
        var metadata = metadata
        if repeats > 0 { metadata["repeatedSinceLastLine"] = "\(repeats)" }
        logger.error(message(), metadata: metadata)
    }
}
