import Synchronization

/// A flag that concurrent tasks can set once and read (e.g. "the connection was leased").
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Sets the flag.
    func set() { value.store(true, ordering: .releasing) }

    /// Sets the flag; true when this call set it (it was not set before).
    func setIfUnset() -> Bool {
        value.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    /// Whether the flag is set.
    var isSet: Bool { value.load(ordering: .acquiring) }
}
