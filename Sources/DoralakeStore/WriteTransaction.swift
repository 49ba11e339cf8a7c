import Synchronization

/// What the jobs of one group transaction leave for the end of the transaction: the changes whose
/// derived data must be brought up to date. Doing it once per transaction instead of once per job
/// keeps bursts of writes cheap; it still happens before `COMMIT`, so every answered write sees
/// its derived data committed with it.
final class WriteTransaction: Sendable {
    /// The transaction the current writer task is running, if any.
    @TaskLocal static var current: WriteTransaction?

    private let pending = Mutex(DerivedChanges())

    /// Records changes to apply before the transaction commits.
    func record(_ changes: DerivedChanges) {
        pending.withLock { $0.merge(changes) }
    }

    /// Takes the recorded changes (and clears them).
    func takeChanges() -> DerivedChanges {
        pending.withLock { changes in
            defer { changes = DerivedChanges() }
            return changes
        }
    }
}
