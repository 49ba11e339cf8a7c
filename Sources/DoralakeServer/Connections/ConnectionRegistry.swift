import NIOConcurrencyHelpers
import NIOCore

/// The open client connections of one server, shared by all event loops: counts them against
/// ``ConnectionLimits/maxConnections`` and picks which connection to shed when a new one arrives
/// over the limit (the one idle longest, else the newcomer).
final class ConnectionRegistry: Sendable {
    private struct Entry {
        var channel: any Channel
        /// When the connection last became idle (waiting for a request head); nil while busy.
        var idleSince: NIODeadline?
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var shed = 0
    }

    private let state = NIOLockedValueBox(State())
    let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
    }

    /// Number of open connections.
    var count: Int { state.withLockedValue { $0.entries.count } }

    /// Number of connections closed so far to stay under the limit.
    var shedCount: Int { state.withLockedValue { $0.shed } }

    /// Registers a new, idle connection.
    /// - Returns: the connection to close to stay within the limit (possibly `channel` itself), or nil.
    func opened(_ channel: any Channel) -> (any Channel)? {
        state.withLockedValue { state in
            let id = ObjectIdentifier(channel)
            state.entries[id] = Entry(channel: channel, idleSince: .now())
            guard state.entries.count > maxConnections else { return nil }
            state.shed += 1
            var victim: (id: ObjectIdentifier, since: NIODeadline)?
            for (key, entry) in state.entries where key != id {
                if let since = entry.idleSince, since < (victim?.since ?? .distantFuture) { victim = (key, since) }
            }
            // The victim leaves the registry now, so that two arrivals never pick the same one.
            let chosen = victim?.id ?? id
            return state.entries.removeValue(forKey: chosen)?.channel
        }
    }

    /// Marks a connection idle (waiting for its next request head) or busy.
    func setIdle(_ channel: any Channel, _ idle: Bool) {
        state.withLockedValue { state in
            let id = ObjectIdentifier(channel)
            guard state.entries[id] != nil else { return }
            state.entries[id]!.idleSince = idle ? (state.entries[id]!.idleSince ?? .now()) : nil
        }
    }

    /// Forgets a closed connection.
    func closed(_ channel: any Channel) {
        _ = state.withLockedValue { $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
