import ArgumentParser
import DoralakeCore
import DoralakeStore

/// `doralake-bench load`: generates the data set of ``BenchDataSet`` and loads it through the
/// store's public API.
///
/// Order matters for speed: the 60 connections are created first without projects, then every
/// entity kind is loaded by concurrent tasks (writes to a connection of no project skip the
/// per-project derived-data recomputation), and only then are the 20 projects created, each
/// computing its derived data once. Prints one `LOAD` line per phase and a `BENCH` line naming
/// the project and range to measure.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Generate the benchmark data set and load it into an empty database.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Multiplies every entity count (1.0 = 1 000 000 deployment commits).") var scale: Double = 1.0
    @Option(help: "Seed of the generator.") var seed: UInt64 = 42
    @Option(help: "Concurrent writer tasks.") var concurrency: Int = 64

    func validate() throws {
        guard scale > 0, scale <= 10 else { throw ValidationError("--scale must be in (0, 10]") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        let data = BenchDataSet(scale: scale, seed: seed)
        let store = try await options.openStore()
        let concurrency = self.concurrency
        let outcomes = try await store.withRunningWriter { () async throws -> [LoadPhase.Outcome] in
            guard try await store.connections().isEmpty else {
                throw ValidationError("the database already has connections; load needs an empty database")
            }
            let clock = store.clock
            var outcomes: [LoadPhase.Outcome] = []
            var ids: [Int64] = []
            for c in 0..<BenchDataSet.connectionCount {
                let record = try await store.createConnection(
                    name: BenchDataSet.connectionName(c), keyHash: "bench-key-\(seed)-\(c)", expiredAt: nil)
                ids.append(record.id)
            }
            let connectionIds = ids
            Console.progress(
                "loading \(data.deploymentCount) deployments, \(data.incidentCount) incidents, \(data.issueCount) issues, \(data.pullRequestCount) pull requests (scale \(scale), seed \(seed), \(concurrency) tasks)"
            )

            let rows = data.deploymentCount * BenchDataSet.commitsPerDeployment
            outcomes.append(
                try await LoadPhase(kind: "deployment_commits", count: data.deploymentCount, concurrency: concurrency)
                    .run(rows: rows) { i in
                        let id = connectionIds[i % BenchDataSet.connectionCount]
                        _ = try await store.upsert(
                            data.deployment(i, connectionId: id),
                            event: BenchEvents.draft(route: "deployments", connectionId: id, receivedAt: clock.now()))
                    })
            Console.progress(outcomes.last!.line)

            outcomes.append(
                try await LoadPhase(kind: "incidents", count: data.incidentCount, concurrency: concurrency)
                    .run(rows: data.incidentCount) { i in
                        let id = connectionIds[i % BenchDataSet.connectionCount]
                        _ = try await store.upsert(
                            data.incident(i, connectionId: id),
                            event: BenchEvents.draft(route: "issues", connectionId: id, receivedAt: clock.now()))
                    })
            Console.progress(outcomes.last!.line)

            outcomes.append(
                try await LoadPhase(kind: "issues", count: data.issueCount, concurrency: concurrency)
                    .run(rows: data.issueCount) { i in
                        let id = connectionIds[i % BenchDataSet.connectionCount]
                        _ = try await store.upsert(
                            data.workItem(i, connectionId: id),
                            event: BenchEvents.draft(route: "issues", connectionId: id, receivedAt: clock.now()))
                    })
            Console.progress(outcomes.last!.line)

            outcomes.append(
                try await LoadPhase(kind: "pull_requests", count: data.pullRequestCount, concurrency: concurrency)
                    .run(rows: data.pullRequestCount) { i in
                        let id = connectionIds[i % BenchDataSet.connectionCount]
                        _ = try await store.upsert(
                            data.pullRequest(i, connectionId: id),
                            event: BenchEvents.draft(route: "pull_requests", connectionId: id, receivedAt: clock.now()))
                    })
            Console.progress(outcomes.last!.line)

            // Commits go in batches of up to 50 of one connection, as a CI job would post them.
            var batches: [(connection: Int, range: Range<Int>)] = []
            for c in 0..<BenchDataSet.connectionCount {
                let total = data.commitCount(connection: c)
                for start in stride(from: 0, to: total, by: 50) { batches.append((c, start..<min(total, start + 50))) }
            }
            let commitBatches = batches
            outcomes.append(
                try await LoadPhase(kind: "commits", count: commitBatches.count, concurrency: concurrency)
                    .run(rows: commitBatches.reduce(0) { $0 + $1.range.count }) { b in
                        let (c, range) = commitBatches[b]
                        let id = connectionIds[c]
                        _ = try await store.upsert(
                            range.map { data.commit(connection: c, $0, connectionId: id) },
                            event: BenchEvents.draft(route: "commits", connectionId: id, receivedAt: clock.now()))
                    })
            Console.progress(outcomes.last!.line)

            // Projects last: each computes its derived data once, from everything loaded.
            outcomes.append(
                try await LoadPhase(kind: "projects", count: BenchDataSet.projectCount, concurrency: 1)
                    .run(rows: BenchDataSet.projectCount) { p in
                        _ = try await store.createProject(
                            name: BenchDataSet.projectName(p),
                            connectionIds: BenchDataSet.connections(ofProject: p).map { connectionIds[$0] })
                    })
            Console.progress(outcomes.last!.line)
            return outcomes
        }
        for outcome in outcomes { Console.result(outcome.line) }
        let entities = outcomes.filter { $0.kind != "projects" }
        let seconds = outcomes.reduce(0) { $0 + $1.seconds }
        let rows = entities.reduce(0) { $0 + $1.rows }
        Console.result(
            LoadPhase.Outcome(kind: "total", items: outcomes.reduce(0) { $0 + $1.items }, rows: rows, seconds: seconds).line)
        Console.result(
            "BENCH project=\(BenchDataSet.projectName(0)) from=\(BenchDataSet.metricsFrom) to=\(BenchDataSet.metricsTo) scale=\(scale) seed=\(seed)")
    }
}
