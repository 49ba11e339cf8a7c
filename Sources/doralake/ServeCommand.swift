import ArgumentParser
import DoralakeCore
import DoralakeServer
import DoralakeStore
import Foundation
import Logging
import ServiceLifecycle

/// `doralake serve`: runs the HTTP server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP server.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Address to listen on (env DORALAKE_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env DORALAKE_PORT; default 8080).")
    var port: Int?

    @Flag(help: "Accept ingest requests without an Authorization header (env DORALAKE_INGEST_ALLOW_UNAUTHENTICATED).")
    var allowUnauthenticated = false

    @Option(help: "Largest accepted body in bytes (env DORALAKE_INGEST_MAX_BODY_BYTES; default 1048576).")
    var maxBodyBytes: Int?

    @Option(help: "IANA zone for dates without offset (env DORALAKE_INGEST_ZONELESS_TIME_ZONE; default UTC).")
    var zonelessTimeZone: String?

    @Option(help: "Body bytes kept for rejected requests (env DORALAKE_RAW_LOG_REJECTED_BODY_BYTES; default 65536).")
    var rejectedBodyBytes: Int?

    @Option(help: "IANA zone of metric ranges and buckets when a request names none (env DORALAKE_METRICS_TIME_ZONE; default UTC).")
    var metricsTimeZone: String?

    @Flag(help: "Serve POST /bench/decode-only for benchmarks (env DORALAKE_BENCH_DECODE_ONLY; off by default).")
    var benchDecodeOnlyRoute = false

    func run() async throws {
        let environment = Environment()
        let logger = try options.logger(environment)
        var configuration = ServerConfiguration()
        configuration.host = host ?? environment["DORALAKE_HOST"] ?? "127.0.0.1"
        configuration.port = try port ?? environment.integer("DORALAKE_PORT") ?? 8080
        configuration.allowUnauthenticated =
            try allowUnauthenticated || (environment.bool("DORALAKE_INGEST_ALLOW_UNAUTHENTICATED") ?? false)
        configuration.maxBodyBytes = try maxBodyBytes ?? environment.integer("DORALAKE_INGEST_MAX_BODY_BYTES") ?? 1_048_576
        configuration.rejectedBodyBytes =
            try rejectedBodyBytes ?? environment.integer("DORALAKE_RAW_LOG_REJECTED_BODY_BYTES") ?? 65_536
        configuration.decodeOnlyBenchmarkRoute =
            try benchDecodeOnlyRoute || (environment.bool("DORALAKE_BENCH_DECODE_ONLY") ?? false)
        let zoneName = zonelessTimeZone ?? environment["DORALAKE_INGEST_ZONELESS_TIME_ZONE"] ?? "UTC"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ValidationError("zoneless time zone \"\(zoneName)\" is not an IANA time zone")
        }
        configuration.zonelessTimeZone = zone
        let metricsZoneName = metricsTimeZone ?? environment["DORALAKE_METRICS_TIME_ZONE"] ?? "UTC"
        guard let metricsZone = TimeZone(identifier: metricsZoneName) else {
            throw ValidationError("metrics time zone \"\(metricsZoneName)\" is not an IANA time zone")
        }
        configuration.metricsTimeZone = metricsZone
        configuration.maxBatchItems = try environment.integer("DORALAKE_INGEST_MAX_BATCH_ITEMS") ?? configuration.maxBatchItems
        configuration.maxBatchBodyBytes =
            try environment.integer("DORALAKE_INGEST_MAX_BATCH_BODY_BYTES") ?? configuration.maxBatchBodyBytes
        guard configuration.maxBatchItems > 0, configuration.maxBatchBodyBytes > 0 else {
            throw ValidationError("DORALAKE_INGEST_MAX_BATCH_ITEMS and DORALAKE_INGEST_MAX_BATCH_BODY_BYTES must be positive")
        }
        guard configuration.maxBodyBytes > 0, configuration.rejectedBodyBytes >= 0 else {
            throw ValidationError("body limits must be positive")
        }
        var limits = ConnectionLimits()
        limits.headTimeout = try environment.seconds("DORALAKE_HTTP_HEAD_TIMEOUT") ?? limits.headTimeout
        limits.idleTimeout = try environment.seconds("DORALAKE_HTTP_IDLE_TIMEOUT") ?? limits.idleTimeout
        limits.bodyTimeout = try environment.seconds("DORALAKE_HTTP_BODY_TIMEOUT") ?? limits.bodyTimeout
        limits.maxConnections = try environment.integer("DORALAKE_MAX_CONNECTIONS") ?? limits.maxConnections
        limits.bodyBudgetBytes = try environment.integer("DORALAKE_HTTP_BODY_BUDGET_BYTES") ?? limits.bodyBudgetBytes
        guard limits.maxConnections > 0, limits.bodyBudgetBytes > 0 else {
            throw ValidationError("DORALAKE_MAX_CONNECTIONS and DORALAKE_HTTP_BODY_BUDGET_BYTES must be positive")
        }
        configuration.connectionLimits = limits

        let retentionDays = try environment.integer("DORALAKE_RAW_LOG_RETENTION_DAYS") ?? 0
        guard (0...36_500).contains(retentionDays) else {
            throw ValidationError("DORALAKE_RAW_LOG_RETENTION_DAYS must be between 0 (keep everything) and 36500, not \(retentionDays)")
        }
        let (store, keyHasher, url) = try await options.openStore(environment, logger: logger)
        if configuration.allowUnauthenticated {
            logger.warning("ingest.allowUnauthenticated is on: ingest routes accept requests without a key")
        }
        let configuredAdminToken = environment["DORALAKE_ADMIN_TOKEN"]
        let adminToken = AdminTokenHash(
            try SecretsBootstrap.configuredAdminTokenHash(configuredAdminToken, keyHasher: keyHasher))
        let host = configuration.host
        let application = buildApplication(
            store: store, configuration: configuration,
            credentials: ServerCredentials(keyHasher: keyHasher, adminToken: adminToken), logger: logger,
            beforeServerStarts: {
                // The store's services run already (the PostgreSQL client, the writer): migrate,
                // then read or create the admin token, before the server listens.
                try await store.prepare(migrate: true)
                guard adminToken.hash == nil else { return }
                adminToken.set(
                    try await SecretsBootstrap.adminTokenHash(
                        configured: configuredAdminToken, store: store, keyHasher: keyHasher,
                        dataDirectory: SecretsBootstrap.dataDirectory(for: url), logger: logger))
            },
            onServerRunning: { port in
                logger.info("doralake listening", metadata: ["host": "\(host)", "port": "\(port)", "database": "\(url)"])
            })
        var services = store.services
        if retentionDays > 0 { services.append(EventRetention(store: store, days: retentionDays, logger: logger)) }
        let group = ServiceGroup(
            configuration: .init(
                services: services + [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
