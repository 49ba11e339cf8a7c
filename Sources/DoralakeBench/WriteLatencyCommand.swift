import ArgumentParser
import DoralakeCore
import DoralakeStore

/// `doralake-bench write-latency`: the cost of one incremental write. Posts incidents, then
/// deployments (5 commits each), one at a time (each awaited before the next, so no batching),
/// to the first connection of the benchmark project, and prints p50/p99 per kind.
///
/// On a loaded database the project exists; on an empty one a connection and the project are
/// created first, so both cases pay for the same per-project derived-data refresh. The writes
/// are dated after the data set, as live traffic would be.
struct WriteLatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-latency", abstract: "Time single incident and deployment writes, one at a time.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Writes per kind.") var count: Int = 200
    @Option(help: "Stop a kind early after this many seconds (at least 5 writes are made).") var maxSeconds: Double = 120
    @Option(help: "Project whose first connection receives the writes.") var project: String = BenchDataSet.projectName(0)
    @Option(help: "Label of the RESULT lines (e.g. loaded, empty).") var label: String = "run"

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard maxSeconds > 0 else { throw ValidationError("--max-seconds must be positive") }
    }

    func run() async throws {
        let store = try await options.openStore()
        let (count, maxSeconds, project, label) = (self.count, self.maxSeconds, self.project, self.label)
        try await store.withRunningWriter {
            let connectionId = try await Self.targetConnection(store: store, project: project)
            let data = BenchDataSet(scale: 0.01, seed: 7)
            let clock = store.clock
            // After the data set and after any earlier probe into the same database (a reused
            // --loaded-database): every run writes new ids at new, later times, as live traffic
            // does. Repeated ids would be no-op writes (the content is unchanged) and flatter the
            // figures.
            let after = max(BenchDataSet.start + BenchDataSet.span, clock.now())

            let incidents = try await Self.time(count: count, maxSeconds: maxSeconds) { n in
                var issue = Issue(
                    connectionId: connectionId, issueKey: "LAT-INC-\(after)-\(n)", title: "latency incident \(n)", status: "DONE",
                    createdDate: after + EpochMilliseconds(n) * 600_000)
                issue.type = "INCIDENT"
                issue.originalType = "INCIDENT"
                issue.resolutionDate = issue.createdDate + 3_600_000
                issue.leadTimeMinutes = 60
                _ = try await store.upsert(
                    issue, event: BenchEvents.draft(route: "issues", connectionId: connectionId, receivedAt: clock.now()))
            }
            Console.result("RESULT write=incident db=\(label) \(incidents.fields)")

            let deployments = try await Self.time(count: count, maxSeconds: maxSeconds) { n in
                // Slot far beyond the data set; the generator's own times are replaced below.
                var deployment = data.deployment(n * BenchDataSet.connectionCount, connectionId: connectionId)
                // Dated after the incidents just written, as live traffic is: a deployment dated
                // before K existing incidents would move their time links and costs K relinks.
                let started = after + EpochMilliseconds(count + n) * 600_000 + 300_000
                deployment.id = "latency-deploy-\(after)-\(n)"
                deployment.result = "SUCCESS"
                deployment.environment = "PRODUCTION"
                deployment.createdDate = started - 60_000
                deployment.startedDate = started
                deployment.finishedDate = started + 240_000
                for k in deployment.commits.indices {
                    deployment.commits[k].commitSha = data.sha(3_000_000, n, k)
                    deployment.commits[k].result = "SUCCESS"
                    deployment.commits[k].createdDate = started - 60_000
                    deployment.commits[k].startedDate = started
                    deployment.commits[k].finishedDate = started + 240_000
                }
                _ = try await store.upsert(
                    deployment,
                    event: BenchEvents.draft(route: "deployments", connectionId: connectionId, receivedAt: clock.now()))
            }
            Console.result("RESULT write=deployment db=\(label) \(deployments.fields)")
        }
    }

    /// The first connection of `project`; creates a connection and the project when it does not exist.
    private static func targetConnection(store: Store, project: String) async throws -> Int64 {
        if let existing = try await store.project(named: project), let first = existing.connectionIds.min() {
            Console.progress("writing to connection \(first) of existing project \(project)")
            return first
        }
        let connection = try await store.createConnection(
            name: "bench-latency-\(project)", keyHash: "bench-latency-key-\(project)", expiredAt: nil)
        _ = try await store.createProject(name: project, connectionIds: [connection.id])
        Console.progress("created project \(project) with connection \(connection.id)")
        return connection.id
    }

    /// Times `write(n)` for `n` in `0..<count`, sequentially; stops after `maxSeconds` once 5 are done.
    private static func time(count: Int, maxSeconds: Double, _ write: (Int) async throws -> Void) async throws
        -> LatencySummary
    {
        let clock = ContinuousClock()
        let started = clock.now
        var samples: [Double] = []
        for n in 0..<count {
            let before = clock.now
            try await write(n)
            samples.append((clock.now - before).milliseconds)
            if samples.count >= 5 && (clock.now - started).milliseconds / 1000 > maxSeconds {
                Console.progress("stopped after \(samples.count) writes (--max-seconds \(maxSeconds))")
                break
            }
        }
        return LatencySummary(samples)
    }
}
