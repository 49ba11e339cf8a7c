import DoralakeCore
import DoralakeStore
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Builds the HTTP application on an open store. The store's ``Store/services`` must run in the
/// same service group, placed before the application so that shutdown drains HTTP requests before
/// closing the database.
/// - Parameters:
///   - beforeServerStarts: runs once the other services run and before the server listens (the
///     store's ``Store/prepare(migrate:)`` and the admin-token bootstrap); an error ends the group.
///   - onServerRunning: called with the bound port once the server accepts requests.
public func buildApplication(
    store: Store,
    configuration: ServerConfiguration,
    credentials: ServerCredentials,
    logger: Logger,
    beforeServerStarts: (@Sendable () async throws -> Void)? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let responder = DoralakeResponder(
        store: store, configuration: configuration, credentials: credentials, logger: logger)
    let registry = ConnectionRegistry(maxConnections: configuration.connectionLimits.maxConnections)
    let limits = configuration.connectionLimits
    var application = Application(
        responder: responder,
        server: HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                inner: HTTP1Channel(
                    responder: responder,
                    configuration: .init(
                        additionalChannelHandlers: [ConnectionGuardHandler(limits: limits, registry: registry, logger: logger)]
                    )))
        },
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "doralake"),
        services: [MemoryTrimmer()],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
    if let beforeServerStarts { application.beforeServerStarts(perform: beforeServerStarts) }
    return application
}
