import DoralakeCore
import Foundation
import Logging
import DoralakeTestSupport
import Synchronization
import Testing

@testable import DoralakeStore

/// The store on a real SQLite file: migrations, group commit, write semantics.
@Suite("Store contract (SQLite, and PostgreSQL when configured)")
struct StoreTests {
    /// Runs `body` once on a new store of every available database (SQLite; PostgreSQL when
    /// configured, see `TestDatabase`): the store contract is one suite for both drivers.
    static func withStore(_ body: @escaping @Sendable (Store) async throws -> Void) async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "store-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, options: .testing, logger: logger)
            try await store.withRunningWriter { try await body(store) }
        }
    }

    @Test(
        "PostgreSQL store contract ran: a write committed through the group writer is read back",
        .enabled(if: TestDatabase.postgresURL != nil, "set DORALAKE_TEST_POSTGRES_URL to run the PostgreSQL suite"))
    func postgresSuiteRan() async throws {
        try await TestDatabase.postgres.withFreshDatabase { url in
            var logger = Logger(label: "store-test")
            logger.logLevel = .critical
            let store = try await Store.open(url, options: .testing, logger: logger)
            try await store.withRunningWriter {
                let created = try await store.createConnection(name: "pg", keyHash: "h", expiredAt: nil)
                #expect(try await store.connection(id: created.id)?.name == "pg")
                #expect(store.sqlitePath == nil)
            }
        }
    }

    static func event() -> EventDraft {
        EventDraft(
            receivedAt: 1_700_000_000_000, method: "POST", path: "/x", route: "deployments", connectionId: nil,
            projectName: nil, principal: "admin", status: 200, message: "success", contentType: "", bodySize: 0,
            bodySha256: "", body: "{}", bodyTruncated: false)
    }

    static func deployment(_ connectionId: Int64, _ id: String, shas: [String] = ["a"]) -> Deployment {
        Deployment(
            connectionId: connectionId, id: id, name: "n", displayTitle: "", result: "SUCCESS", originalResult: "SUCCESS",
            status: "DONE", originalStatus: "DONE", environment: "PRODUCTION", originalEnvironment: "", kind: nil,
            isRework: nil, createdDate: 1000, startedDate: 1000, finishedDate: 2000,
            commits: shas.map {
                DeploymentCommit(
                    repoUrl: "r", commitSha: $0, name: "c", displayTitle: "", result: "SUCCESS",
                    originalResult: "SUCCESS", status: "DONE", originalStatus: "DONE", repoId: "", refName: "",
                    commitMsg: "", createdDate: 1000, startedDate: 1000, finishedDate: 2000, includedCommitShas: [])
            })
    }

    @Test("the schema is created once; reopening migrates nothing and keeps data")
    func migrationsAreIdempotent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-mig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.sqlite").path
        var logger = Logger(label: "m")
        logger.logLevel = .critical
        let first = try await Store.open(.sqlite(path: path), options: .testing, logger: logger)
        let id = try await first.withRunningWriter {
            try await first.createConnection(name: "c", keyHash: "h", expiredAt: nil).id
        }
        let second = try await Store.open(.sqlite(path: path), options: .testing, logger: logger)
        let found = try await second.withRunningWriter(migrate: false) { try await second.connection(id: id) }
        #expect(found?.name == "c")
    }

    @Test("a database newer than this build is refused with a clear message, on every database")
    func schemaTooNew() async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "n")
            logger.logLevel = .critical
            let store = try await Store.open(url, options: .testing, logger: logger)
            try await store.withRunningWriter {
                try await store.write { db in
                    try await db.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)").run()
                }
            }
            // Both with and without migrating: an instance of an older build never serves it.
            for migrate in [true, false] {
                await #expect(throws: StoreError.schemaTooNew(found: 99, known: Store.schemaVersion)) {
                    try await Store.open(url, options: .testing, logger: logger).withRunningWriter(migrate: migrate) {}
                }
            }
            let error = await #expect(throws: StoreError.self) {
                try await Store.open(url, options: .testing, logger: logger).withRunningWriter {}
            }
            let message = error.map { String(describing: $0) } ?? ""
            #expect(message.contains("version 99") && message.contains("upgrade doralake"), "\(message)")
        }
    }

    @Test("concurrent writes share transactions; a failing job is undone alone and the others commit")
    func groupCommitIsolatesFailures() async throws {
        struct Boom: Error {}
        try await Self.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            if index % 10 == 3 {
                                // Writes a row, then fails: the row must not survive.
                                _ = try await store.write { db in
                                    _ = try await DeploymentRepository(db: db).ingest(
                                        [DeploymentIngest(deployment: Self.deployment(connection.id, "bad-\(index)"), event: Self.event())],
                                        now: 1)
                                    throw Boom()
                                }
                            } else {
                                _ = try await store.upsert(Self.deployment(connection.id, "ok-\(index)"), event: Self.event())
                            }
                            return (index, true)
                        } catch {
                            return (index, false)
                        }
                    }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(results.filter { $0.value }.count == 180)
            #expect(results.filter { !$0.value }.keys.allSatisfy { $0 % 10 == 3 })
            let page = try await store.deployments(DeploymentFilter(), scope: .all, limit: 1000, cursor: nil)
            let ids = Set(page.items.map(\.deployment.id))
            #expect(ids.count == 180)
            #expect(!ids.contains(where: { $0.hasPrefix("bad-") }))
            let statistics = store.writer.statistics
            #expect(statistics.transactions < statistics.jobs, "writes were grouped: \(statistics)")
            #expect(statistics.retriedBatches > 0, "a batch with a failing job was re-run with savepoints")
        }
    }

    @Test(
        "two PostgreSQL writers that lock the same rows in opposite orders deadlock once; the aborted transaction runs again and both commit",
        .enabled(if: TestDatabase.postgresURL != nil, "set DORALAKE_TEST_POSTGRES_URL to run the PostgreSQL suite"))
    func deadlockedTransactionRunsAgain() async throws {
        try await TestDatabase.postgres.withFreshDatabase { url in
            var logger = Logger(label: "store-test")
            logger.logLevel = .critical
            let first = try await Store.open(url, options: .testing, logger: logger)
            let second = try await Store.open(url, options: .testing, logger: logger)
            try await first.withRunningWriter {
                try await second.withRunningWriter {
                    let connection = try await first.createConnection(name: "c", keyHash: "h", expiredAt: nil)
                    for id in ["a", "b"] { _ = try await first.upsert(Self.deployment(connection.id, id), event: Self.event()) }
                    // Each writer renames both rows, in opposite orders. After its first update it
                    // waits until the other has made its own, so that each holds its first row's
                    // lock when it asks for the second: a deadlock, whatever the machine's load.
                    let firstLocks = SharedCount()
                    @Sendable func rename(_ store: Store, _ order: [String], to name: String) async throws {
                        try await store.write { db in
                            for (index, id) in order.enumerated() {
                                try await db.raw(
                                    "UPDATE cicd_deployments SET name = \(bind: name) WHERE connection_id = \(bind: connection.id) AND id = \(bind: id)"
                                ).run()
                                if index == 0 {
                                    // (Only the first run of each waits: a run again after the abort
                                    // finds the count at 2 or more.)
                                    firstLocks.value.add(1, ordering: .relaxed)
                                    let deadline = ContinuousClock.now + .seconds(20)
                                    while firstLocks.value.load(ordering: .relaxed) < 2 && ContinuousClock.now < deadline {
                                        try await Task.sleep(for: .milliseconds(5))
                                    }
                                }
                            }
                        }
                    }
                    async let one: Void = rename(first, ["a", "b"], to: "first")
                    async let two: Void = rename(second, ["b", "a"], to: "second")
                    _ = try await (one, two)
                    #expect(first.writer.conflictRetries + second.writer.conflictRetries >= 1)
                    // Both committed whole: the two rows carry one writer's name, the later one's.
                    var names: [String?] = []
                    for id in ["a", "b"] {
                        names.append(try await first.deployment(connectionId: connection.id, id: id, scope: .all)?.deployment.name)
                    }
                    #expect(names[0] == names[1] && (names[0] == "first" || names[0] == "second"), "\(names)")
                }
            }
        }
    }

    @Test("an ingest credential found once is answered from memory; a key rotated or deleted through the store stops working at once")
    func credentialCacheFollowsChanges() async throws {
        try await Self.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "old", expiredAt: nil)
            let first = try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "old")
            #expect(first.key?.keyHash == "old" && first.connection?.id == connection.id)
            // Answered from memory: a change behind the store's back (as another instance would
            // make) is not seen within the cache's lifetime.
            try await store.write { db in try await db.raw("DELETE FROM api_keys WHERE key_hash = 'old'").run() }
            #expect(try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "old").key?.keyHash == "old")
            // A rotation through the store empties the cache before it returns.
            _ = try await store.rotateConnectionKey(connectionId: connection.id, keyHash: "new", expiredAt: nil)
            #expect(try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "old").key == nil)
            #expect(try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "new").key?.keyHash == "new")
            // Looked up by name: a rename through the store is seen at once.
            #expect(try await store.connectionAndKey(id: nil, name: "c", keyHash: "new").connection?.id == connection.id)
            _ = try await store.renameConnection(id: connection.id, to: "d")
            #expect(try await store.connectionAndKey(id: nil, name: "c", keyHash: "new").connection == nil)
            // A deleted connection's key stops working at once.
            #expect(try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "new").key != nil)
            _ = try await store.deleteConnection(id: connection.id)
            #expect(try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "new").connection == nil)
        }
    }

    @Test("a key rotated through another store on the same database stops working here within the token check interval")
    func credentialCacheSeesOtherInstances() async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "store-test")
            logger.logLevel = .critical
            let here = try await Store.open(url, options: .testing, logger: logger)
            let there = try await Store.open(url, options: .testing, logger: logger)
            try await here.withRunningWriter {
                try await there.withRunningWriter {
                    let connection = try await here.createConnection(name: "c", keyHash: "old", expiredAt: nil)
                    #expect(try await here.connectionAndKey(id: connection.id, name: nil, keyHash: "old").key != nil)
                    _ = try await there.rotateConnectionKey(connectionId: connection.id, keyHash: "new", expiredAt: nil)
                    let rotatedAt = ContinuousClock.now
                    var refusedAfter: Duration? = nil
                    while ContinuousClock.now - rotatedAt < .seconds(3) {
                        if try await here.connectionAndKey(id: connection.id, name: nil, keyHash: "old").key == nil {
                            refusedAfter = ContinuousClock.now - rotatedAt
                            break
                        }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    // The interval is 250 ms; the bound leaves room for a loaded machine, and is far
                    // below the 5 s lifetime that would expire the entry anyway.
                    #expect(refusedAfter != nil && refusedAfter! < .seconds(2), "refused after \(String(describing: refusedAfter))")
                }
            }
        }
    }

    @Test("a credential changed by another process is read again once the cache lifetime has passed")
    func credentialCacheExpires() async throws {
        try await TestDatabase.forEachAvailable { _, url in
            var logger = Logger(label: "store-test")
            logger.logLevel = .critical
            var options = StoreOptions.testing
            let lifetime = Duration.seconds(2)
            options.credentialCacheLifetime = lifetime
            let store = try await Store.open(url, options: options, logger: logger)
            try await store.withRunningWriter {
                let connection = try await store.createConnection(name: "c", keyHash: "k", expiredAt: nil)
                // The entry expires between `lookupStarted + lifetime` and `lookupEnded + lifetime`.
                let lookupStarted = ContinuousClock.now
                #expect(try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "k").key != nil)
                let lookupEnded = ContinuousClock.now
                try await store.write { db in try await db.raw("DELETE FROM api_keys WHERE key_hash = 'k'").run() }
                let stillCached = try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "k").key != nil
                // (On a machine so loaded that the lifetime passed meanwhile, the key is read again.)
                if ContinuousClock.now - lookupStarted < lifetime { #expect(stillCached) }
                try await Task.sleep(until: lookupEnded + lifetime + .milliseconds(100))
                #expect(try await store.connectionAndKey(id: connection.id, name: nil, keyHash: "k").key == nil)
            }
        }
    }

    /// Runs `body` with a store on a new SQLite file (quiet logger) and the file's path.
    static func withSQLiteFile(prefix: String, _ body: (Store, String) async throws -> Void) async throws {
        try await TemporaryDirectory.with(prefix: prefix) { directory in
            let path = directory.appendingPathComponent("wal.sqlite").path
            var logger = Logger(label: "store-test")
            logger.logLevel = .critical
            try await body(try await Store.open(.sqlite(path: path), options: .testing, logger: logger), path)
        }
    }

    @Test("SQLite: the write-ahead log is copied into the file beside the writer, so the log does not grow with the writes")
    func checkpointsBesideTheWriter() async throws {
        try await Self.withSQLiteFile(prefix: "doralake-wal") { store, path in
            @Sendable func walBytes() throws -> Int {
                (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            }
            try await store.withRunningWriter {
                let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
                var sizes: [Int] = []
                for round in 0..<8 {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<100 {
                            group.addTask {
                                _ = try await store.upsert(
                                    Self.deployment(connection.id, "r\(round)-\(index)", shas: ["a\(round)x\(index)", "b\(round)x\(index)"]),
                                    event: Self.event())
                            }
                        }
                        try await group.waitForAll()
                    }
                    // The checkpointer copies the whole log (within a few intervals, later under a
                    // loaded machine); the next round's first transaction then starts the log over.
                    let checkpoints = try #require(store.driver as? SQLiteDriver).checkpointer.completeCheckpoints
                    let before = checkpoints.count
                    let deadline = ContinuousClock.now + .seconds(20)
                    while checkpoints.count == before, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    #expect(checkpoints.count > before, "no complete checkpoint within 20 s after round \(round)")
                    sizes.append(try walBytes())
                }
                // Without checkpoints the log would hold all eight rounds: about eight times the first.
                // It starts over at the first write after a complete checkpoint unless a reader still
                // uses the old log at that moment (then that round is appended): allow a few such.
                #expect(sizes.last! < sizes.first! * 4, "log sizes after each round: \(sizes)")
            }
        }
    }

    @Test("SQLite: under writes without a pause the log still starts over (the writer checkpoints it between transactions)")
    func logStartsOverUnderSteadyWrites() async throws {
        try await Self.withSQLiteFile(prefix: "doralake-wal-steady") { store, path in
            let driver = try #require(store.driver as? SQLiteDriver)
            try await store.withRunningWriter {
                let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
                // 64 writers that never pause: the background checkpointer always finds new frames.
                let perWriter = 25
                var peakFrames = 0
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for writerIndex in 0..<64 {
                        group.addTask {
                            var peak = 0
                            for index in 0..<perWriter {
                                _ = try await store.upsert(
                                    Self.deployment(connection.id, "s\(writerIndex)-\(index)",
                                        shas: ["a\(writerIndex)x\(index)", "b\(writerIndex)x\(index)"]),
                                    event: Self.event())
                                peak = max(peak, driver.writer.logFrames)
                            }
                            return peak
                        }
                    }
                    for try await peak in group { peakFrames = max(peakFrames, peak) }
                }
                let written = 64 * perWriter
                // Each deployment adds several pages to the log: without a restart the log would
                // hold every one of them (tens of thousands of frames).
                #expect(peakFrames < 3 * SQLiteDriver.writerCheckpointFrames,
                    "the log reached \(peakFrames) frames over \(written) deployments")
                let stored = try await store.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM cicd_deployments").first(decoding: CountRow.self)
                }
                #expect(stored?.n == written)
            }
        }
    }

    private struct CountRow: Decodable { let n: Int }

    @Test("line counts stored before the ingest bound (near Int64.max) are read without overflow, clamped to the bound")
    func extremeStoredLineCounts() async throws {
        try await Self.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
            _ = try await store.upsert(
                [Commit(connectionId: connection.id, repoUrl: "https://github.com/acme/shop", sha: "a1",
                    authoredDate: 1_700_000_000_000, additions: 5, deletions: 7)],
                event: Self.event())
            _ = try await store.createProject(name: "p", connectionIds: [connection.id])
            // As an older build without the bound could have stored them.
            try await store.write { db in
                try await db.raw("UPDATE commits SET additions = \(bind: Int64.max - 1), deletions = \(bind: Int64.max - 1)").run()
            }
            let inputs = try #require(try await store.metricInputs(project: "p"))
            #expect(inputs.commitLines.map(\.lines) == [2 * ObjectReader.lineCountLimit])
        }
    }

    @Test("concurrent posts of one deployment id: one is created, the row ends with exactly one body's commits")
    func concurrentSameIdentity() async throws {
        try await Self.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
            let outcomes = try await withThrowingTaskGroup(of: WriteOutcome.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        try await store.upsert(
                            Self.deployment(connection.id, "same", shas: ["s\(index)", "t\(index)"]), event: Self.event()
                        ).result.outcome
                    }
                }
                return try await group.reduce(into: [WriteOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .created }.count == 1)
            #expect(outcomes.filter { $0 == .updated }.count == 59)
            let stored = try #require(try await store.deployment(connectionId: connection.id, id: "same", scope: .all))
            let shas = stored.commits.map(\.commit.commitSha)
            #expect(shas.count == 2)
            #expect(shas.first.map { "t" + $0.dropFirst() } == shas.last)
        }
    }

    @Test("many concurrent deployments are written with few statements: batches carry many jobs")
    func batchedDeployments() async throws {
        try await Self.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
            let results = try await withThrowingTaskGroup(of: Accepted<DeploymentWriteResult>.self) { group in
                for index in 0..<300 {
                    group.addTask { try await store.upsert(Self.deployment(connection.id, "b-\(index)", shas: ["x", "y\(index)"]), event: Self.event()) }
                }
                return try await group.reduce(into: [Accepted<DeploymentWriteResult>]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.eventId)).count == 300)
            #expect(results.allSatisfy { $0.result.outcome == .created })
            for result in results.prefix(20) {
                let id = try #require(result.result.commitIds.first?.split(separator: ":")[2])
                let stored = try #require(try await store.deployment(connectionId: connection.id, id: String(id), scope: .all))
                #expect(stored.lastEventId == result.eventId)
                #expect(stored.commits.map(\.id) == result.result.commitIds)
            }
            let statistics = store.writer.statistics
            #expect(statistics.transactions < 150, "\(statistics)")
        }
    }

    @Test("re-posting removes commit rows no longer listed and reports identical content as unchanged")
    func upsertSemantics() async throws {
        try await Self.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
            let created = try await store.upsert(Self.deployment(connection.id, "d", shas: ["a", "b"]), event: Self.event())
            #expect(created.result.outcome == .created)
            let unchanged = try await store.upsert(Self.deployment(connection.id, "d", shas: ["a", "b"]), event: Self.event())
            #expect(unchanged.result.outcome == .unchanged)
            #expect(unchanged.eventId > created.eventId)
            let updated = try await store.upsert(Self.deployment(connection.id, "d", shas: ["b", "c"]), event: Self.event())
            #expect(updated.result.outcome == .updated)
            #expect(updated.result.removedCommitIds == [DevLakeID.deploymentCommit(connectionId: connection.id, deploymentId: "d", repoUrl: "r", commitSha: "a")])
            let stored = try #require(try await store.deployment(connectionId: connection.id, id: "d", scope: .all))
            #expect(stored.commits.map(\.commit.commitSha) == ["b", "c"])
            #expect(stored.lastEventId == updated.eventId)
        }
    }

    @Test("creating a connection is insert-if-absent: concurrent creates of one name yield one connection")
    func concurrentCreate() async throws {
        try await Self.withStore { store in
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        (try? await store.createConnection(name: "same", keyHash: "h\(index)", expiredAt: nil)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let connections = try await store.connections()
            #expect(connections.count == 1)
        }
    }

    @Test("after the writer stops, writes fail with unavailable instead of hanging")
    func writesAfterStop() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doralake-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "s")
        logger.logLevel = .critical
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("s.sqlite").path), options: .testing, logger: logger)
        try await store.withRunningWriter {}
        await #expect(throws: StoreError.self) {
            _ = try await store.createConnection(name: "late", keyHash: "h", expiredAt: nil)
        }
    }
}

extension StoreTests {
    @Test("a deployment's derived data can be read for one project of its connection only")
    func deploymentProjectsForOneProject() async throws {
        try await Self.withStore { store in
            let connection = try await store.createConnection(name: "c", keyHash: "h", expiredAt: nil)
            _ = try await store.createProject(name: "a", connectionIds: [connection.id])
            _ = try await store.createProject(name: "b", connectionIds: [connection.id])
            _ = try await store.upsert(Self.deployment(connection.id, "d"), event: Self.event())
            let all = try await store.deploymentProjects(connectionId: connection.id, id: "d")
            #expect(all.map(\.project) == ["a", "b"])
            let one = try await store.deploymentProjects(connectionId: connection.id, id: "d", only: "b")
            #expect(one.map(\.project) == ["b"])
            #expect(one.first == all.last)
        }
    }

    @Test("a page of deployments carries each deployment's own commit rows in body order, as a single read does")
    func pageCommits() async throws {
        try await Self.withStore { store in
            // Given two connections, with deployments of several rows each, posted in an order
            // unlike the rows' sha order
            let first = try await store.createConnection(name: "page-a", keyHash: "ha", expiredAt: nil).id
            let second = try await store.createConnection(name: "page-b", keyHash: "hb", expiredAt: nil).id
            let bodies: [(Int64, String, [String])] = [
                (first, "d1", ["c", "a", "b"]), (first, "d2", ["z"]), (second, "d1", ["y", "x"]), (second, "d3", ["m", "n", "k", "l"]),
            ]
            for (connection, id, shas) in bodies {
                _ = try await store.upsert(Self.deployment(connection, id, shas: shas), event: Self.event())
            }
            // When one page holds all of them
            let page = try await store.deployments(DeploymentFilter(), scope: .all, limit: 10, cursor: nil)
            // Then each carries exactly its rows, in the order they were sent, like the single read
            #expect(page.items.count == 4)
            for (connection, id, shas) in bodies {
                let item = try #require(page.items.first { $0.deployment.connectionId == connection && $0.deployment.id == id })
                #expect(item.commits.map(\.commit.commitSha) == shas, "\(connection)/\(id)")
                #expect(item.deployment.commits.map(\.commitSha) == shas, "\(connection)/\(id)")
                let single = try #require(try await store.deployment(connectionId: connection, id: id, scope: .all))
                #expect(item.commits.map(\.id) == single.commits.map(\.id), "\(connection)/\(id)")
            }
        }
    }
}

/// A count several tasks share.
final class SharedCount: Sendable {
    let value = Atomic<Int>(0)
}
