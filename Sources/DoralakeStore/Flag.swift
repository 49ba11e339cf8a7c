import Synchronization

/// A flag that concurrent tasks can set once and read (e.g. "the connection was leased").
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Sets the flag.
    func set() { value.store(true, ordering: .releasing) }

    /// Whether the flag is set.
    var isSet: Bool { value.load(ordering: .acquiring) }
}
