import DoralakeCore
import Synchronization

/// Connections and keys that ingest requests were recently authenticated with, so that a steady
/// sender's requests do not each read the key from the database.
///
/// Only a found pair (the connection and a key with the presented hash) is kept, for `lifetime`;
/// an unknown key or connection is read again every time. Every change this process makes to
/// connections, keys or projects empties the cache before it returns, so a key rotated or deleted
/// through this instance stops working at once. Such a change also writes a new random token to
/// the `settings` row ``tokenSetting`` in its transaction; at most every ``checkInterval`` one
/// request reads that token, and a token that changed (a change made by another instance, or by
/// the command line on the same database) empties the cache. A read that began before a change
/// does not put its result back afterwards (the generation check).
final class CredentialCache: Sendable {
    /// What a request presented: the key's hash and the connection it named.
    struct Lookup: Hashable, Sendable {
        var keyHash: String
        var connectionId: Int64?
        var connectionName: String?
    }

    private struct Entry {
        var connection: ConnectionRecord
        var key: APIKeyRecord
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Lookup: Entry] = [:]
        var generation: UInt64 = 0
        /// The stored token as last read, and when a read of it was last started.
        var token: String? = nil
        var lastCheck: ContinuousClock.Instant? = nil
        var checking = false
    }

    /// The `settings` row every change to connections, keys or projects rewrites.
    static let tokenSetting = "credentials_token"
    /// How often the stored token is read (by the request that finds the last read too old).
    static let checkInterval = Duration.milliseconds(250)

    /// How long a pair is trusted without reading it again; zero turns the cache off.
    let lifetime: Duration
    /// Most pairs kept; when full, the cache starts over.
    let capacity: Int
    private let state = Mutex(State())

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached pair for `lookup`, if it has not expired.
    func pair(for lookup: Lookup) -> (connection: ConnectionRecord, key: APIKeyRecord)? {
        guard lifetime > .zero else { return nil }
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.entries[lookup] else { return nil }
            guard entry.expires > now else {
                state.entries[lookup] = nil
                return nil
            }
            return (entry.connection, entry.key)
        }
    }

    /// The current generation, to pass to ``remember(_:connection:key:generation:)`` after a read.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Keeps a pair read from the database, unless the cache was emptied since `generation`.
    func remember(_ lookup: Lookup, connection: ConnectionRecord, key: APIKeyRecord, generation: UInt64) {
        guard lifetime > .zero else { return }
        let expires = ContinuousClock.now + lifetime
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries = [:] }
            state.entries[lookup] = Entry(connection: connection, key: key, expires: expires)
        }
    }

    /// Whether the caller should read the stored token now: true for one caller once the last read
    /// is older than ``checkInterval`` (it then calls ``checked(token:)``).
    func claimTokenCheck() -> Bool {
        guard lifetime > .zero else { return false }
        let now = ContinuousClock.now
        return state.withLock { state in
            if state.checking { return false }
            if let last = state.lastCheck, now - last < Self.checkInterval { return false }
            state.checking = true
            state.lastCheck = now
            return true
        }
    }

    /// The stored token as just read (nil when the read failed: the cache is kept, and the next
    /// check is due after the interval). A token unlike the last one empties the cache.
    func checked(token: String??) {
        state.withLock { state in
            state.checking = false
            guard let token, token != state.token else { return }
            if state.token != nil || !state.entries.isEmpty {
                state.entries = [:]
                state.generation &+= 1
            }
            state.token = token
        }
    }

    /// Forgets every pair (after a change to connections, keys or projects).
    func removeAll() {
        state.withLock { state in
            state.entries = [:]
            state.generation &+= 1
        }
    }
}
