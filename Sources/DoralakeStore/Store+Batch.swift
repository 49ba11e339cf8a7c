import DoralakeCore
import SQLKit

/// One decoded item of a batch request (spec §8.2), for the connection of the request.
public enum BatchWrite: Sendable {
    case deployment(Deployment)
    case issue(Issue)
    /// `issue_close` (the body form of spec §6.3).
    case issueClose(IssueClose)
    case pullRequest(PullRequest)
    case commits([Commit])
}

/// What one batch item wrote.
public enum BatchWriteResult: Sendable {
    case deployment(DeploymentWriteResult)
    case issue(WriteOutcome)
    case issueClose(IssueCloseResult)
    case pullRequest(PullRequestWriteResult)
    case commits(CommitWriteResult)
}

/// A batch item to apply: a decoded write, or the reason it was refused before reaching the store.
public enum BatchItem: Sendable {
    case write(BatchWrite)
    case refused(status: Int)
}

extension Store {
    /// Applies a batch's items in order in one job of the group-commit writer: the request's one
    /// event-log entry, then each item in a savepoint of its own, so that a failing item is undone
    /// alone and the others commit (an issue and its `issue_close` may travel together). The items'
    /// statuses are kept with the event (`statusOf` maps an item's error to its HTTP status).
    /// - Returns: the event id and one result per item; a write item's error is its own (nothing of
    ///   it is written), a `refused` item's result is nil.
    /// - Throws: ``StoreError/unavailable(_:)`` when the transaction as a whole failed.
    public func applyBatch(
        _ items: [BatchItem], connectionId: Int64, event: EventDraft,
        statusOf: @escaping @Sendable (any Error) -> Int
    ) async throws -> Accepted<[Result<BatchWriteResult, any Error>?]> {
        let clock = self.clock
        let driver = self.driver
        return try await write { db in
            let now = clock.now()
            let eventId = try await EventLogRepository(db: db).insert(event, durationMs: max(0, now - event.receivedAt))
            var results: [Result<BatchWriteResult, any Error>?] = Array(repeating: nil, count: items.count)
            /// Writes `group` with one set of multi-row statements under one savepoint; false (and
            /// nothing written) when that failed, so that its items are applied one by one.
            func writeTogether(_ group: [(index: Int, deployment: Deployment)]) async throws -> Bool {
                guard group.count > 1,
                    case .success(let written) = try await Self.inSavepoint(db, driver: driver, {
                        try await DeploymentRepository(db: db).write(
                            group.map { DeploymentIngest(deployment: $0.deployment, event: event) },
                            eventIds: Array(repeating: eventId, count: group.count), now: now)
                    })
                else { return false }
                for (entry, accepted) in zip(group, written) { results[entry.index] = .success(.deployment(accepted.result)) }
                return true
            }
            // Every deployment of the batch at once when their ids are distinct: a deployment's
            // base rows touch no other kind's, and derived data is computed after the commit, so
            // writing them before the other items gives the same rows and the same outcomes as in
            // order. Otherwise (or if that fails) the items are applied in order below.
            _ = try await writeTogether(Self.distinctDeployments(items, connectionId: connectionId))
            var index = 0
            while index < items.count {
                if results[index] != nil {
                    index += 1
                    continue
                }
                // Consecutive deployments of distinct ids are written together; if that fails,
                // each is applied alone.
                let run = Self.deploymentRun(items, from: index, connectionId: connectionId)
                if try await writeTogether(run) {
                    index += run.count
                    continue
                }
                let end = index + max(1, run.count)
                for position in index..<end {
                    guard case .write(let write) = items[position] else { continue }
                    results[position] = try await Self.inSavepoint(db, driver: driver) {
                        try await Self.apply(write, connectionId: connectionId, db: db, now: now, event: event, eventId: eventId)
                    }
                }
                index = end
            }
            let statuses = zip(items, results).map { item, result -> Int in
                switch (item, result) {
                case (.refused(let status), _): return status
                case (_, .failure(let error)?): return statusOf(error)
                default: return 200
                }
            }
            try await EventLogRepository(db: db).setItemStatuses(statuses, of: eventId)
            return Accepted(eventId: eventId, result: results)
        }
    }

    /// Every deployment of `items`, or none when two share an id (they must apply one after the other).
    private static func distinctDeployments(_ items: [BatchItem], connectionId: Int64) -> [(index: Int, deployment: Deployment)] {
        var all: [(index: Int, deployment: Deployment)] = []
        var ids: Set<String> = []
        for (position, item) in items.enumerated() {
            guard case .write(.deployment(var deployment)) = item else { continue }
            guard ids.insert(deployment.id).inserted else { return [] }
            deployment.connectionId = connectionId
            all.append((position, deployment))
        }
        return all
    }

    /// The deployments at `start` and after it, up to the first item that is not a deployment or
    /// repeats an id of the run (equal ids must apply one after the other).
    private static func deploymentRun(_ items: [BatchItem], from start: Int, connectionId: Int64) -> [(index: Int, deployment: Deployment)] {
        var run: [(index: Int, deployment: Deployment)] = []
        var ids: Set<String> = []
        var position = start
        while position < items.count, case .write(.deployment(var deployment)) = items[position], ids.insert(deployment.id).inserted {
            deployment.connectionId = connectionId
            run.append((position, deployment))
            position += 1
        }
        return run
    }

    /// Runs `body` in a savepoint: its result, or its own error with its writes undone. An error of
    /// the transaction itself (a lost connection, a conflict between transactions) is thrown: the
    /// writer retries the job or answers 503.
    private static func inSavepoint<T>(
        _ db: any SQLDatabase, driver: any DatabaseDriver, _ body: () async throws -> T
    ) async throws -> Result<T, any Error> {
        try await db.raw("SAVEPOINT item").run()
        do {
            let value = try await body()
            try await db.raw("RELEASE SAVEPOINT item").run()
            return .success(value)
        } catch {
            if failsTheTransaction(error, driver: driver) { throw error }
            try await db.raw("ROLLBACK TO SAVEPOINT item").run()
            try await db.raw("RELEASE SAVEPOINT item").run()
            return .failure(error)
        }
    }

    /// Whether an item's error is the transaction's: a conflict with a concurrent transaction, a
    /// connection-level failure, or the store being unavailable.
    private static func failsTheTransaction(_ error: any Error, driver: any DatabaseDriver) -> Bool {
        if driver.isTransientConflict(error) { return true }
        if let storeError = error as? StoreError {
            if case .unavailable = storeError { return true }
            return false
        }
        return driver.translate(error) is StoreError
    }

    private static func apply(
        _ write: BatchWrite, connectionId: Int64, db: any SQLDatabase, now: Int64, event: EventDraft, eventId: Int64
    ) async throws -> BatchWriteResult {
        switch write {
        case .deployment(var deployment):
            deployment.connectionId = connectionId
            let written = try await DeploymentRepository(db: db).write(
                [DeploymentIngest(deployment: deployment, event: event)], eventIds: [eventId], now: now)
            return .deployment(written[0].result)
        case .issue(var issue):
            issue.connectionId = connectionId
            return .issue(try await IssueRepository(db: db).upsert(issue, now: now, eventId: eventId).outcome)
        case .issueClose(let close):
            return .issueClose(
                try await IssueRepository(db: db).close(
                    connectionId: connectionId, issueKey: close.issueKey ?? "", request: close,
                    receivedAt: event.timeForDefaults, now: now, eventId: eventId))
        case .pullRequest(var pullRequest):
            pullRequest.connectionId = connectionId
            return .pullRequest(try await PullRequestRepository(db: db).upsert(pullRequest, now: now, eventId: eventId))
        case .commits(let commits):
            let owned = commits.map { commit -> Commit in
                var commit = commit
                commit.connectionId = connectionId
                return commit
            }
            return .commits(try await CommitRepository(db: db).upsert(owned, now: now, eventId: eventId))
        }
    }
}
