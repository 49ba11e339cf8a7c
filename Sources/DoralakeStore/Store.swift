import DoralakeCore
import Logging
import SQLKit
import ServiceLifecycle

/// The persistence facade: opens the database, runs migrations, and runs every write through the
/// group-commit writer. It is a `Service`: `run()` processes writes until graceful shutdown, then
/// closes the database.
public final class Store: Service, Sendable {
    /// The database this store talks to (without credentials in its description).
    let url: DatabaseURL
    let dialect: StoreDialect
    let writer: GroupCommitWriter
    /// The deriver: a `Service` to run beside the store (see ``withRunningWriter(_:)`` for tools).
    public let derivation: DerivationService
    /// The clock used for bookkeeping times (`updated_at`, event durations).
    public let clock: WallClock
    let driver: any DatabaseDriver
    /// Recently authenticated ingest credentials.
    let credentials: CredentialCache
    /// Set once ``prepare(migrate:)`` succeeded.
    private let prepared = Flag()
    private let preparedSignal = WakeSignal(latching: false)
    private let logger: Logger

    private init(url: DatabaseURL, driver: any DatabaseDriver, clock: WallClock, options: StoreOptions, logger: Logger) {
        self.url = url
        self.clock = clock
        self.driver = driver
        self.dialect = driver.dialect
        self.logger = logger
        self.credentials = CredentialCache(lifetime: options.credentialCacheLifetime)
        self.writer = GroupCommitWriter(driver: driver, logger: logger)
        self.derivation = DerivationService(driver: driver, writer: writer, options: options, logger: logger)
    }

    /// Opens the database without using it yet: SQLite's file and connections are opened, a
    /// PostgreSQL client is made (it connects once ``services`` or ``withRunningWriter(migrate:_:)``
    /// run it). Then ``prepare(migrate:)`` brings the schema up to date: a server calls it before
    /// it listens (Hummingbird's `beforeServerStarts`), tools through ``withRunningWriter(migrate:_:)``.
    /// - Parameters:
    ///   - url: where the data lives.
    ///   - clock: the source of bookkeeping times.
    /// - Throws: ``StoreError`` when the URL is malformed or the SQLite file cannot be opened.
    public static func open(
        _ url: DatabaseURL, clock: WallClock = .system, options: StoreOptions = StoreOptions(), logger: Logger
    ) async throws -> Store {
        let driver: any DatabaseDriver
        switch url {
        case .sqlite(let path):
            driver = try await SQLiteDriver.open(
                path: path, profile: options.statementProfile ? StatementProfile() : nil, logger: logger)
        case .postgres(let text):
            driver = try PostgresDriver.open(url: text, poolSize: options.postgresPoolSize, logger: logger)
        }
        return Store(url: url, driver: driver, clock: clock, options: options, logger: logger)
    }

    /// What a service group runs for this store, in this order: the database client (PostgreSQL's
    /// pool, which must outlive every user of it), the writer (``run()``) and the deriver (which
    /// waits for ``prepare(migrate:)``). Put the HTTP application after them, so that graceful
    /// shutdown stops it first and the client last.
    public var services: [any Service] {
        (driver.runsConnections ? [DatabaseConnections(driver: driver)] : []) + [self, derivation]
    }

    /// Brings the schema up to date (or, without `migrate`, checks that it is), rebuilds derived
    /// data when a migration asked for it, then lets the deriver start. With PostgreSQL, the client
    /// must be running (``services``).
    /// - Throws: ``StoreError`` when the database cannot be reached, its schema is newer than this
    ///   build, or (without `migrate`) older.
    public func prepare(migrate: Bool = true) async throws {
        let (driver, url, logger, clock) = (self.driver, self.url, self.logger, self.clock)
        try await driver.checkReachable()
        do {
            try await driver.withWriteConnection(deadline: false) { database in
                if migrate {
                    let applied = try await Migrations.migrate(on: database, dialect: driver.dialect, now: clock.now())
                    if !applied.isEmpty {
                        logger.info("database migrated", metadata: ["versions": "\(applied)", "database": "\(url)"])
                    }
                    try await Self.rebuildDerivedDataIfPending(on: database, dialect: driver.dialect, logger: logger)
                } else {
                    let version = try await Migrations.currentVersion(on: database)
                    if version > Migrations.latestVersion {
                        throw StoreError.schemaTooNew(found: version, known: Migrations.latestVersion)
                    }
                    if version < Migrations.latestVersion {
                        throw StoreError.configuration(
                            "the database schema is at version \(version); run `doralake migrate` first")
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("cannot prepare the database \(url): \(error)")
        }
        prepared.set()
        preparedSignal.notify()
        derivation.start()
    }

    /// Returns once ``prepare(migrate:)`` has succeeded (services that use the schema wait for it).
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func waitUntilPrepared() async throws {
        while !prepared.isSet {
            try Task.checkCancellation()
            await preparedSignal.wait(timeout: .milliseconds(100))
        }
    }

    /// Rebuilds the production index and all derived data when a migration asked for it (its new
    /// tables need Swift code to fill from existing rows), in one transaction with clearing the request.
    private static func rebuildDerivedDataIfPending(
        on database: any SQLDatabase, dialect: StoreDialect, logger: Logger
    ) async throws {
        let settings = SettingsRepository(db: database)
        guard try await settings.value(Migrations.rebuildPendingSetting) != nil else { return }
        try await dialect.begin(on: database)
        try await DerivationLock.take(on: database, dialect: dialect)
        // Another instance may have done it while this one waited for the lock.
        guard try await settings.value(Migrations.rebuildPendingSetting) != nil else {
            try await database.raw("COMMIT").run()
            return
        }
        do {
            let projects = try await DerivedDataRepository(db: database).rebuildAll()
            try await settings.delete(Migrations.rebuildPendingSetting)
            try await database.raw("COMMIT").run()
            logger.info("derived data rebuilt after migration", metadata: ["projects": "\(projects)"])
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }

    /// The schema version this build creates.
    public static var schemaVersion: Int { Migrations.latestVersion }

    /// The SQLite file, when the store is SQLite.
    var sqlitePath: String? { driver.sqlitePath }

    /// Processes writes until graceful shutdown, then closes the database. Run ``derivation``
    /// beside it, after it in the service group (so that it stops first).
    public func run() async throws {
        // Upkeep (SQLite's checkpoints) runs beside the writer and stops when the writer has drained.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.driver.runMaintenance() }
            defer { group.cancelAll() }
            try await writer.run()
        }
        await driver.close()
        logger.debug("database closed")
    }

    /// Runs `body` with the store prepared (``prepare(migrate:)``) and its services running, for
    /// command-line tools and tests that use the store without a service group; the database is
    /// closed when it returns. The deriver stops first, then the writer, then the client.
    public func withRunningWriter<T: Sendable>(migrate: Bool = true, _ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self, returning: T.self) { connections in
            if driver.runsConnections {
                connections.addTask { await self.driver.runConnections() }
            }
            defer { connections.cancelAll() }
            do {
                try await prepare(migrate: migrate)
            } catch {
                await driver.close()
                throw error
            }
            return try await withPreparedServices(body)
        }
    }

    private func withPreparedServices<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let writerTask = Task { try await self.writer.run() }
        let derivationTask = Task { try await self.derivation.run() }
        let maintenanceTask = Task { await self.driver.runMaintenance() }
        func stop() async {
            derivation.stop()
            _ = await derivationTask.result
            writer.stop()
            _ = await writerTask.result
            maintenanceTask.cancel()
            _ = await maintenanceTask.value
            await driver.close()
        }
        do {
            let value = try await body()
            await stop()
            return value
        } catch {
            await stop()
            throw error
        }
    }

    /// Runs `work` in the next group transaction; returns after the commit, and wakes the deriver.
    func write<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        defer { derivation.changesCommitted() }
        return try await writer.submit(work)
    }

    /// Runs `work` on a reader connection.
    func read<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await driver.withReadConnection(work)
        } catch let error as StoreError {
            throw error
        } catch let error where driver.translate(error) is StoreError {
            throw error
        } catch {
            logger.error("read failed", metadata: ["error": "\(error)"])
            throw StoreError.unavailable("read failed")
        }
    }

    /// True when the database answers a trivial query.
    /// Gives up after `timeout`, so a load balancer's check is answered even while the database
    /// does not respond.
    public func isReady(timeout: Duration = .seconds(2)) async -> Bool {
        let driver = self.driver
        // Not a task group: leaving one waits for its children, and a query stuck on a dead
        // connection would hold the answer past `timeout` (it ends on its own later).
        let answered: Result<Bool, any Error> = await withCheckedContinuation { continuation in
            let answer = AnswerOnce(continuation)
            Task { answer.give(.success((try? await driver.withReadConnection { try await $0.raw("SELECT 1 AS ok").first() }) != nil)) }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give(.success(false))
            }
        }
        return (try? answered.get()) ?? false
    }
}


/// The driver's connections (PostgreSQL's pool) as the first service of the store's group.
struct DatabaseConnections: Service {
    let driver: any DatabaseDriver

    func run() async throws {
        await driver.runConnections()
    }
}
