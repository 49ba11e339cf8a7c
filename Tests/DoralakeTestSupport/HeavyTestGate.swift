import Synchronization

/// Lets the heavy end-to-end tests (those that start servers and drive hundreds of concurrent
/// requests, kill processes or cut the database) run one at a time within the test process.
///
/// Swift Testing runs tests in parallel. On a small CI machine, several load tests at once push
/// database work past the product's own deadlines (the 5 s connection wait, the 15 s operation
/// deadline), and the tests then report the machine's overload as a product failure. The other
/// tests still run alongside.
public final class HeavyTestGate: Sendable {
    /// The process-wide gate.
    public static let shared = HeavyTestGate()

    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Runs `body` when no other heavy test is running.
    public func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enter = state.withLock { state -> Bool in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if enter { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
