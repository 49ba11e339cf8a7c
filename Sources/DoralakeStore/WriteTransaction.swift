import Synchronization

/// What the jobs of one group transaction leave for the end of the transaction: the connections
/// whose projects' derived data must be recomputed. Recomputing once per transaction instead of
/// once per job keeps bursts of writes to one project cheap; it still happens before `COMMIT`,
/// so every answered write sees its derived data committed with it.
final class WriteTransaction: Sendable {
    /// The transaction the current writer task is running, if any.
    @TaskLocal static var current: WriteTransaction?

    private let dirty = Mutex<Set<Int64>>([])

    /// Marks connections whose projects need their derived data recomputed.
    func markDirty(_ connectionIds: Set<Int64>) {
        dirty.withLock { $0.formUnion(connectionIds) }
    }

    /// Takes the marked connections (and clears them).
    func takeDirty() -> Set<Int64> {
        dirty.withLock { set in
            defer { set = [] }
            return set
        }
    }
}
