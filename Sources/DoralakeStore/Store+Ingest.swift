import DoralakeCore
import SQLKit

/// An accepted write and the id of its event-log entry.
public struct Accepted<Result: Sendable>: Sendable {
    public var eventId: Int64
    public var result: Result
}

extension Store {
    /// Runs an accepted ingest write: the event-log entry and the data in one transaction.
    private func ingest<T: Sendable>(
        _ event: EventDraft, _ work: @escaping @Sendable (any SQLDatabase, Int64, Int64) async throws -> T
    ) async throws -> Accepted<T> {
        let clock = self.clock
        return try await write { db in
            let now = clock.now()
            let eventId = try await EventLogRepository(db: db).insert(event, durationMs: max(0, now - event.receivedAt))
            let result = try await work(db, now, eventId)
            return Accepted(eventId: eventId, result: result)
        }
    }

    /// Creates or replaces a deployment (spec §5.4). Concurrent deployment writes are applied
    /// together, with one set of statements per transaction.
    public func upsert(_ deployment: Deployment, event: EventDraft) async throws -> Accepted<DeploymentWriteResult> {
        let clock = self.clock
        let item = DeploymentIngest(deployment: deployment, event: event)
        defer { derivation.changesCommitted() }
        return try await writer.submit(
            payload: item, key: "deployment",
            batch: { items, db in
                // Equal identities in one batch must apply in order: run those one by one.
                let identities = Set(items.map { "\($0.deployment.connectionId)\u{0}\($0.deployment.id)" })
                let repository = DeploymentRepository(db: db)
                if identities.count == items.count { return try await repository.ingest(items, now: clock.now()) }
                var results: [Accepted<DeploymentWriteResult>] = []
                for item in items { results += try await repository.ingest([item], now: clock.now()) }
                return results
            },
            work: { db in try await DeploymentRepository(db: db).ingest([item], now: clock.now())[0] })
    }

    /// Creates or replaces an issue (spec §6.1); returns the outcome and, for incidents, the
    /// per-project deployment links as they stand after the write.
    public func upsert(_ issue: Issue, event: EventDraft) async throws
        -> Accepted<(outcome: WriteOutcome, links: [IncidentLinkRecord])>
    {
        // Derived data follows the commit: the links are read once this write's change is derived
        // (an unchanged re-post waits for whatever is pending, which may include its earlier post).
        let accepted = try await ingest(event) { db, now, eventId in
            try await IssueRepository(db: db).upsert(issue, now: now, eventId: eventId)
        }
        try await derivation.waitUntilDerived(through: accepted.result.changeSeq)
        let identity = IssueIdentity(connectionId: issue.connectionId, issueKey: issue.issueKey)
        let links = try await read { try await DerivedDataRepository(db: $0).links(of: [identity]) }[identity] ?? []
        return Accepted(eventId: accepted.eventId, result: (accepted.result.outcome, links))
    }

    /// Closes an issue (spec §6.3).
    /// - Throws: ``StoreError/notFound(_:)`` or ``CloseRejection``; nothing is written then.
    public func close(issueKey: String, connectionId: Int64, request: IssueClose, event: EventDraft) async throws
        -> Accepted<IssueCloseResult>
    {
        try await ingest(event) { db, now, eventId in
            try await IssueRepository(db: db).close(
                connectionId: connectionId, issueKey: issueKey, request: request, receivedAt: event.timeForDefaults,
                now: now, eventId: eventId)
        }
    }

    /// Creates or replaces a pull request (spec §7).
    public func upsert(_ pullRequest: PullRequest, event: EventDraft) async throws -> Accepted<PullRequestWriteResult> {
        try await ingest(event) { db, now, eventId in
            try await PullRequestRepository(db: db).upsert(pullRequest, now: now, eventId: eventId)
        }
    }

    /// Creates or replaces commits, all or nothing (spec §8.1).
    public func upsert(_ commits: [Commit], event: EventDraft) async throws -> Accepted<CommitWriteResult> {
        try await ingest(event) { db, now, eventId in
            try await CommitRepository(db: db).upsert(commits, now: now, eventId: eventId)
        }
    }

    /// Records a rejected request in its own transaction and returns the event id.
    public func recordRejected(_ event: EventDraft) async throws -> Int64 {
        let clock = self.clock
        return try await write { db in
            try await EventLogRepository(db: db).insert(event, durationMs: max(0, clock.now() - event.receivedAt))
        }
    }
}
