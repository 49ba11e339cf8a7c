import Logging
import ServiceLifecycle

/// Prunes the raw event log (`rawLog.retentionDays`, spec §11): every ``interval`` (and once at
/// start), events received more than `days` days ago are deleted in chunks of ``chunkSize``, each
/// its own small job of the writer, so that ingest is never held behind one long delete.
public struct EventRetention: Service {
    /// Rows deleted per transaction.
    static let chunkSize = 1_000

    let store: Store
    let days: Int
    let interval: Duration
    let logger: Logger

    /// - Parameters:
    ///   - days: keep events of the last `days` days (at least 1).
    ///   - interval: time between prunes.
    public init(store: Store, days: Int, interval: Duration = .seconds(3_600), logger: Logger) {
        precondition(days > 0, "a retention of 0 days means keep everything: do not run the service")
        self.store = store
        self.days = days
        self.interval = interval
        self.logger = logger
    }

    /// Prunes until graceful shutdown or cancellation. The first prune waits for the store to be
    /// prepared.
    public func run() async throws {
        try await store.waitUntilPrepared()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let removed = try await store.pruneEvents(olderThanDays: days)
                if removed > 0 { logger.info("event log pruned", metadata: ["events": "\(removed)", "retentionDays": "\(days)"]) }
            } catch {
                logger.warning("event log prune failed", metadata: ["error": "\(error)"])
            }
            // The pause ends early on graceful shutdown or cancellation.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

extension Store {
    /// Deletes events received more than `days` days before now, in chunks; returns how many.
    /// Events are visited in id order (the order they were received, up to clock differences
    /// between instances): a chunk looks at the oldest ``EventRetention/chunkSize`` events only, so
    /// a prune with nothing to do reads one small range, not the whole log.
    public func pruneEvents(olderThanDays days: Int) async throws -> Int {
        let cutoff = clock.now() - Int64(days) * 86_400_000
        var total = 0
        while true {
            let removed = try await write { db in
                try await db.raw("""
                    DELETE FROM events WHERE id IN (SELECT id FROM (SELECT id, received_at FROM events ORDER BY id
                        LIMIT \(literal: EventRetention.chunkSize)) oldest WHERE received_at < \(bind: cutoff)) RETURNING id
                    """).all().count
            }
            total += removed
            if removed < EventRetention.chunkSize { return total }
        }
    }
}
