import DoralakeStore

/// One timed phase of the load: `count` items written by `concurrency` tasks (task `t` writes
/// items `t`, `t + concurrency`, …), so the group-commit writer sees many writes at once and
/// batches them. Prints progress with an estimate of the remaining time to standard error.
struct LoadPhase: Sendable {
    /// What the phase loads, e.g. `deployments`.
    let kind: String
    /// Items (writes) in the phase.
    let count: Int
    /// Concurrent writer tasks.
    let concurrency: Int

    /// The outcome of a phase.
    struct Outcome: Sendable {
        var kind: String
        var items: Int
        var rows: Int
        var seconds: Double

        /// `LOAD kind=… items=… rows=… seconds=… rows_per_s=…`.
        var line: String {
            let rate = seconds > 0 ? Double(rows) / seconds : 0
            return "LOAD kind=\(kind) items=\(items) rows=\(rows) seconds=\(LatencySummary.format(seconds)) rows_per_s=\(Int(rate.rounded()))"
        }
    }

    /// Runs `write(i)` for every item `i` in `0..<count`; `rows` (the rows the phase writes) gives the rate.
    func run(rows: Int, _ write: @escaping @Sendable (Int) async throws -> Void) async throws -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let done = Counter()
        let step = max(1, count / 10)
        let kind = self.kind
        let count = self.count
        let tasks = max(1, min(concurrency, count))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for index in stride(from: task, to: count, by: tasks) {
                        try await Self.withRetries { try await write(index) }
                        let finished = done.increment()
                        if finished % step == 0 && finished < count {
                            let elapsed = (clock.now - started).milliseconds / 1000
                            let remaining = elapsed / Double(finished) * Double(count - finished)
                            Console.progress(
                                "\(kind): \(finished)/\(count) after \(Int(elapsed)) s, about \(Int(remaining.rounded())) s to go")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Outcome(kind: kind, items: count, rows: rows, seconds: (clock.now - started).milliseconds / 1000)
    }

    /// Runs `write`, and again (up to 4 more times, 1 s apart) while the store answers
    /// ``StoreError/unavailable(_:)``, as a webhook sender re-posts after a 503: a long load on a
    /// busy machine must not fail for one transaction that missed its deadline (every write is an
    /// idempotent upsert, so a write that did commit is simply written again).
    static func withRetries(_ write: () async throws -> Void) async throws {
        var attempt = 1
        while true {
            do {
                return try await write()
            } catch let error as StoreError {
                guard case .unavailable = error, attempt < 5 else { throw error }
                Console.progress("write answered \(error); retrying (attempt \(attempt + 1) of 5)")
                attempt += 1
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
