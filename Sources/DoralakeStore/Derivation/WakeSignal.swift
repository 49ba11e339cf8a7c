import Synchronization

/// Wakes tasks that wait for something to happen, with a timeout.
///
/// Latching (the deriver's inbox): a notification with nobody waiting is kept, so the next wait
/// returns at once. Not latching (progress broadcasts): only current waiters are woken; they
/// re-check what they wait for, so a missed notification costs at most one timeout.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextId: UInt64 = 0
    }

    private let latching: Bool
    private let state = Mutex(State())

    init(latching: Bool) {
        self.latching = latching
    }

    /// Wakes every waiter (or, latching, the next wait when nobody waits).
    func notify() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                if latching { state.pending = true }
                return []
            }
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at the next notification, or after `timeout`.
    func wait(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> UInt64? in
                if state.pending {
                    state.pending = false
                    return nil
                }
                state.nextId += 1
                state.waiters[state.nextId] = continuation
                return state.nextId
            }
            guard let id else {
                continuation.resume()
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                self.resume(id)
            }
        }
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
}
