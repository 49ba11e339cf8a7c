import Foundation
import NIOConcurrencyHelpers

/// A bound on the request-body bytes held in memory at once, across all requests: a request
/// with a body reserves its size (its `Content-Length`, or the body limit when it is chunked)
/// before reading it and gives it back once answered. Requests over the budget wait, first come
/// first served, up to a deadline; small bodies (nearly all ingest traffic) never wait in practice.
///
/// A request reserves at most the whole budget, so one large body always fits once the others
/// are done.
final class BodyBudget: Sendable {
    private struct Waiter {
        let id: UInt64
        let bytes: Int
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextId: UInt64 = 0
        /// Waits that timed out before they were queued.
        var cancelled: Set<UInt64> = []
    }

    /// Bytes the budget holds when nothing is reserved.
    let capacity: Int
    private let state: NIOLockedValueBox<State>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.state = NIOLockedValueBox(State(available: max(1, capacity)))
    }

    /// Bytes currently reserved.
    var reserved: Int { capacity - state.withLockedValue { $0.available } }

    /// Reserves `bytes` (clamped to the capacity), waiting at most `timeout`.
    /// - Returns: the bytes reserved, to give back with ``release(_:)``; nil when the wait timed out.
    func reserve(_ bytes: Int, timeout: Duration) async -> Int? {
        let amount = min(max(0, bytes), capacity)
        if amount == 0 { return 0 }
        let immediate: UInt64? = state.withLockedValue { state in
            if state.waiters.isEmpty && state.available >= amount {
                state.available -= amount
                return nil
            }
            state.nextId += 1
            return state.nextId
        }
        guard let id = immediate else { return amount }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self?.cancel(id)
        }
        let granted = await withCheckedContinuation { continuation in
            let timedOut = state.withLockedValue { state in
                if state.cancelled.remove(id) != nil { return true }
                state.waiters.append(Waiter(id: id, bytes: amount, continuation: continuation))
                return false
            }
            if timedOut { continuation.resume(returning: false) } else { grantWaiters() }
        }
        timer.cancel()
        return granted ? amount : nil
    }

    /// Gives back bytes returned by ``reserve(_:timeout:)``.
    func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        state.withLockedValue { $0.available += bytes }
        grantWaiters()
    }

    private func cancel(_ id: UInt64) {
        let waiter: Waiter? = state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                state.cancelled.insert(id)
                return nil
            }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: false)
        // The head of the queue may have been the one blocking the others.
        grantWaiters()
    }

    /// Wakes the waiters at the head of the queue that now fit.
    private func grantWaiters() {
        let granted: [Waiter] = state.withLockedValue { state in
            var granted: [Waiter] = []
            while let first = state.waiters.first, first.bytes <= state.available {
                state.available -= first.bytes
                granted.append(state.waiters.removeFirst())
            }
            return granted
        }
        for waiter in granted { waiter.continuation.resume(returning: true) }
    }
}
