import Synchronization

/// The HMAC of the admin token, set once at start-up: ``ServerCredentials`` share it with the
/// server's preamble, which reads or creates the token after the store is prepared.
public final class AdminTokenHash: Sendable {
    private let value: Mutex<String?>

    /// A hash known now, or (nil) one to ``set(_:)`` later.
    public init(_ hash: String? = nil) {
        self.value = Mutex(hash)
    }

    /// Sets the hash.
    public func set(_ hash: String) {
        value.withLock { $0 = hash }
    }

    /// The hash, or nil before it is set.
    public var hash: String? { value.withLock { $0 } }
}
