import Foundation
import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization
import _ConnectionPoolModule

/// A shared PostgreSQL database: a small pool of connections (`PostgresClient`), used by the
/// single writer of this instance one transaction at a time, by the deriver and by readers. Several
/// instances may share the database; their writers commit concurrently (no global lock: rows lock
/// per entity), and derivation rounds take a transaction-level advisory lock (``DerivationLock``).
///
/// The client's background work (its pool) is ``runConnections()``: a `Service` of the store's
/// service group (``Store/services``), or a child task of ``Store/withRunningWriter(migrate:_:)``
/// for tools. Until it runs, leases wait. When the server goes away, queries fail (the store
/// answers "unavailable") and the pool reconnects by itself when it comes back.
final class PostgresDriver: DatabaseDriver {
    let client: PostgresClient
    private let url: String
    private let logger: Logger
    /// Set when ``runConnections()`` has started the client.
    private let running = Flag()
    private let runningSignal = WakeSignal(latching: true)

    private init(client: PostgresClient, url: String, logger: Logger) {
        self.client = client
        self.url = url
        self.logger = logger
    }

    /// Prepares a client for `url` (`postgres://user:pass@host:port/db?sslmode=…`); nothing is
    /// connected until ``runConnections()`` runs and the store is prepared.
    /// - Throws: ``StoreError/configuration(_:)`` for a malformed URL.
    static func open(url: String, poolSize: Int, logger: Logger) throws -> PostgresDriver {
        let configuration = try configuration(url: url, poolSize: poolSize)
        return PostgresDriver(
            client: PostgresClient(configuration: configuration, backgroundLogger: logger), url: url, logger: logger)
    }

    var runsConnections: Bool { true }

    /// Runs the client's pool until graceful shutdown or cancellation.
    func runConnections() async {
        running.set()
        runningSignal.notify()
        await client.run()
    }

    /// Waits for ``runConnections()`` to start, then checks that the server answers.
    /// - Throws: ``StoreError/unavailable(_:)`` when the server cannot be reached, or when nothing
    ///   runs the client within a few seconds (a programming error).
    func checkReachable() async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !running.isSet {
            guard ContinuousClock.now < deadline else {
                throw StoreError.unavailable("the PostgreSQL client is not running (run the store's services)")
            }
            await runningSignal.wait(timeout: .milliseconds(100))
        }
        // A first connection can take longer than one lease timeout on a loaded machine (a new
        // database, TLS and SCRAM on a busy CPU) or while the server is still starting: retry
        // transient failures for a while, then report the last one.
        let retryUntil = ContinuousClock.now + Self.startUpWait
        var retried = false
        while true {
            do {
                _ = try await withReadConnection { try await $0.raw("SELECT 1 AS ok").first() }
                return
            } catch {
                guard Self.isUnavailable(error), ContinuousClock.now < retryUntil, !Task.isCancelled else {
                    throw StoreError.unavailable(
                        "cannot connect to PostgreSQL at \(DatabaseURL.postgres(url: url)): \(Self.describe(error))")
                }
                if !retried {
                    logger.info("PostgreSQL not reachable yet; retrying for \(Self.startUpWait)", metadata: ["cause": "\(Self.describe(error))"])
                    retried = true
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// How long start-up keeps retrying a database that does not answer yet.
    static let startUpWait: Duration = .seconds(15)

    var dialect: StoreDialect { .postgres }

    var sqlitePath: String? { nil }

    /// Longest wait for a pooled connection. The pool itself keeps waiting for about a minute
    /// while the server is unreachable; callers get "unavailable" (503) after this instead.
    static let leaseTimeout: Duration = .seconds(5)

    /// Longest a unit of database work may wait for one statement (or for the lease and its first
    /// statement). A query whose connection dropped can stay unanswered for good (seen with
    /// postgres-nio 1.33 when the network is cut); after this the caller gets "unavailable" and the
    /// writer goes on with another connection. A long transaction whose statements keep answering
    /// (a large batch on a loaded machine) is not cut.
    static let operationTimeout: Duration = .seconds(15)

    func withWriteConnection<T: Sendable>(
        deadline: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await withConnection(deadline: deadline ? Self.operationTimeout : nil, executor: WriterExecutor.shared, body)
    }

    func withReadConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection(deadline: Self.operationTimeout, body)
    }

    func withBackgroundConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection(deadline: Self.operationTimeout, body)
    }

    private struct Timeout: Error {}

    /// Runs `body` on a pooled connection in a task of its own, and answers when it finishes, when no
    /// connection could be leased within ``leaseTimeout``, when the leased connection closes, or
    /// when no statement finished for `deadline` — whichever comes first. A body still running then
    /// is left to end on its own.
    private func withConnection<T: Sendable>(
        deadline: Duration?, executor: (any TaskExecutor)? = nil,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let client = self.client
        let leased = Flag()
        let progress = StatementProgress()
        let outcome: Result<T, any Error> = await withCheckedContinuation { continuation in
            let answer = AnswerOnce(continuation)
            let watchdog = Task {
                try? await Task.sleep(for: Self.leaseTimeout)
                if Task.isCancelled { return }
                if !leased.isSet {
                    answer.give(.failure(Timeout()))
                    return
                }
                guard let deadline else { return }
                // The deadline counts from the last statement that finished.
                while !Task.isCancelled {
                    let idle = progress.idle
                    if idle >= deadline {
                        answer.give(.failure(Timeout()))
                        return
                    }
                    try? await Task.sleep(for: max(deadline - idle, .milliseconds(100)))
                }
            }
            answer.onFirstAnswer = { watchdog.cancel() }
            Task(executorPreference: executor) {
                do {
                    let value = try await client.withConnection { connection in
                        progress.note()
                        leased.set()
                        // A connection that closes (the server restarted, the network broke)
                        // answers at once: a statement in flight on it may never be answered.
                        connection.closeFuture.whenComplete { _ in answer.give(.failure(Timeout())) }
                        return try await body(ProgressReportingDatabase(base: PostgresTupleDatabase(connection: connection), progress: progress))
                    }
                    answer.give(.success(value))
                } catch {
                    answer.give(.failure(error))
                }
            }
        }
        switch outcome {
        case .success(let value): return value
        case .failure(let error) where error is Timeout: throw StoreError.unavailable("the database is not reachable")
        case .failure(let error): throw translate(error)
        }
    }

    /// Connection-level failures become ``StoreError/unavailable(_:)`` (HTTP 503); anything else
    /// (a constraint, a bug) is passed on.
    func translate(_ error: any Error) -> any Error {
        if isTransientConflict(error) {
            return StoreError.unavailable("the write kept conflicting with concurrent writes of the same data")
        }
        return Self.isUnavailable(error) ? StoreError.unavailable("the database is not reachable") : error
    }

    /// PostgreSQL's COMMIT returns once it is durable.
    var commitsNeedSync: Bool { false }

    /// Nothing to do: every COMMIT is durable when it returns.
    func syncCommits() throws {}

    /// PostgreSQL keeps itself (checkpoints, vacuum): nothing to do.
    func runMaintenance() async {}

    /// Nothing to close: the pool ends with ``runConnections()``.
    func close() async {}

    // MARK: - Configuration

    /// The client configuration for a `postgres://` URL. `sslmode` follows libpq: `disable`;
    /// `allow`/`prefer` (default) and `require` use TLS without checking the certificate;
    /// `verify-ca` checks the chain; `verify-full` the chain and the host name. `sslrootcert=PATH`
    /// names the trusted roots.
    static func configuration(url text: String, poolSize: Int) throws -> PostgresClient.Configuration {
        let shown = DatabaseURL.postgres(url: text).description
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw StoreError.configuration("database URL \(shown) is not of the form postgres://user:pass@host:port/db")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.configuration("database URL \(shown) names no user (postgres://user:pass@host:port/db)")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        var tls = TLSConfiguration.makeClientConfiguration()
        if let roots = query["sslrootcert"], !roots.isEmpty { tls.trustRoots = .file(roots) }
        let mode: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable":
            mode = .disable
        case "allow", "prefer":
            tls.certificateVerification = .none
            mode = .prefer(tls)
        case "require":
            tls.certificateVerification = .none
            mode = .require(tls)
        case "verify-ca":
            tls.certificateVerification = .noHostnameVerification
            mode = .require(tls)
        case "verify-full":
            mode = .require(tls)
        case let other:
            throw StoreError.configuration(
                "database URL \(shown): sslmode \"\(other)\" is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        let database = String(components.path.drop { $0 == "/" })
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: mode)
        configuration.options.maximumConnections = max(2, poolSize)
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", "doralake")]
        return configuration
    }

    // MARK: - Errors

    /// Whether `error` means the database cannot be used right now (unreachable, restarting,
    /// shutting down, overloaded), as opposed to a problem with one statement.
    static func isUnavailable(_ error: any Error) -> Bool {
        if let error = error as? StoreError, case .unavailable = error { return true }
        if error is _ConnectionPoolModule.ConnectionPoolError { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .queryCancelled:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P")
        default:
            return false
        }
    }

    /// `40P01` (deadlock detected) and `40001` (serialization failure): two instances' group
    /// transactions took the same rows' locks in opposite orders, and PostgreSQL aborted one.
    func isTransientConflict(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server else { return false }
        let state = error.serverInfo?[.sqlState] ?? ""
        return state == "40P01" || state == "40001"
    }

    /// A short description of a connection error, without credentials.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        if case .unavailable(let message)? = error as? StoreError { return message }
        return "\(type(of: error))"
    }
}

/// Resumes a continuation with the first answer given; later answers are dropped.
final class AnswerOnce<T: Sendable>: Sendable {
    private let state: Mutex<(continuation: CheckedContinuation<Result<T, any Error>, Never>?, onFirst: (@Sendable () -> Void)?)>

    init(_ continuation: CheckedContinuation<Result<T, any Error>, Never>) {
        state = Mutex((continuation, nil))
    }

    /// Called once, with the first answer.
    var onFirstAnswer: (@Sendable () -> Void)? {
        get { state.withLock { $0.onFirst } }
        set { state.withLock { $0.onFirst = newValue } }
    }

    func give(_ result: Result<T, any Error>) {
        let taken = state.withLock { state -> (CheckedContinuation<Result<T, any Error>, Never>, (@Sendable () -> Void)?)? in
            guard let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.onFirst)
        }
        guard let (continuation, onFirst) = taken else { return }
        onFirst?()
        continuation.resume(returning: result)
    }
}
