import Synchronization

/// A hand-over between concurrent producers and one consumer that takes everything accumulated
/// at once: the group-commit writer's inbox of jobs, and its ``CommitSyncer``'s committed
/// transactions waiting for a sync.
final class BatchQueue<Item: Sendable>: Sendable {
    private struct State {
        var items: [Item] = []
        var waiter: CheckedContinuation<[Item]?, Never>? = nil
        var closed = false
    }

    private let state = Mutex(State())

    private enum EnqueueAction {
        case rejected
        case queued
        case wake(CheckedContinuation<[Item]?, Never>)
    }

    /// Adds an item; false when the queue is closed.
    func enqueue(_ item: Item) -> Bool {
        let action: EnqueueAction = state.withLock { state in
            if state.closed { return .rejected }
            if let waiter = state.waiter {
                state.waiter = nil
                return .wake(waiter)
            }
            state.items.append(item)
            return .queued
        }
        switch action {
        case .rejected: return false
        case .queued: return true
        case .wake(let waiter):
            waiter.resume(returning: [item])
            return true
        }
    }

    /// Everything queued so far, waiting for at least one item; nil once closed and drained.
    func next() async -> [Item]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Item]?, Never>) in
            let immediate: [Item]?? = state.withLock { state in
                if !state.items.isEmpty {
                    let items = state.items
                    state.items = []
                    return .some(items)
                }
                if state.closed { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Stops accepting items and wakes the consumer; ``next()`` returns what is queued, then nil.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<[Item]?, Never>? in
            state.closed = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: nil)
    }
}
