import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import Logging

/// Routes every request: the web UI's paths (`/`, `/signin`, `/webhooks…`, `/projects…`,
/// `/assets/…`) go to the ``WebUIController``; for every other path the route table decides the
/// endpoint (or 400/404/405), and one controller per resource answers it.
public struct DoralakeResponder: HTTPResponder {
    public typealias Context = BasicRequestContext

    let clock: WallClock
    let ingest: IngestController
    let connections: ConnectionController
    let storedData: StoredDataController
    let projects: ProjectController
    let metrics: MetricsController
    let health: HealthController
    let events: EventLogController
    let webUI: WebUIController
    let decodeOnlyRoute: Bool
    let bodyBudget: BodyBudget
    let bodyBudgetWait: Duration
    let maxBodyBytes: Int

    init(store: Store, configuration: ServerConfiguration, credentials: ServerCredentials, logger: Logger) {
        let authenticator = Authenticator(store: store, credentials: credentials)
        self.clock = store.clock
        self.ingest = IngestController(
            store: store, authenticator: authenticator, configuration: configuration, logger: logger)
        self.connections = ConnectionController(
            store: store, authenticator: authenticator, keyHasher: credentials.keyHasher, configuration: configuration,
            logger: logger)
        self.storedData = StoredDataController(
            store: store, authenticator: authenticator, configuration: configuration, logger: logger)
        self.projects = ProjectController(
            store: store, authenticator: authenticator, keyHasher: credentials.keyHasher, configuration: configuration,
            logger: logger)
        self.metrics = MetricsController(
            store: store, authenticator: authenticator, configuration: configuration, logger: logger)
        self.health = HealthController(store: store)
        self.events = EventLogController(
            store: store, authenticator: authenticator, ingest: ingest, configuration: configuration, logger: logger)
        self.webUI = WebUIController(
            store: store,
            sessions: WebSessions(store: store, authenticator: authenticator, keyHasher: credentials.keyHasher),
            connections: connections, ingest: ingest, configuration: configuration, logger: logger)
        self.decodeOnlyRoute = configuration.decodeOnlyBenchmarkRoute
        self.bodyBudget = BodyBudget(capacity: configuration.connectionLimits.bodyBudgetBytes)
        self.bodyBudgetWait = configuration.connectionLimits.bodyBudgetWait
        self.maxBodyBytes = configuration.maxBodyBytes
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        // Bodies are read whole before decoding: bound the bytes all requests hold at once.
        guard let reserved = await bodyBudget.reserve(bodyReservation(request), timeout: bodyBudgetWait) else {
            var headers = HTTPFields()
            headers[.retryAfter] = "1"
            headers[.connection] = "close"
            return APIError(status: .serviceUnavailable, message: "server busy with other large requests; retry later", headers: headers)
                .response(eventId: nil)
        }
        defer { bodyBudget.release(reserved) }
        return await route(request)
    }

    /// The body bytes a request may bring: its `Content-Length` up to the body limit, the body
    /// limit when a request that may have one does not say its length (chunked), else none.
    private func bodyReservation(_ request: Request) -> Int {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }) { return min(length, maxBodyBytes) }
        switch request.method {
        case .post, .put, .patch: return maxBodyBytes
        default: return 0
        }
    }

    private func route(_ request: Request) async -> Response {
        let receivedAt = clock.now()
        if decodeOnlyRoute && request.method == .post && request.uri.path == "/bench/decode-only" {
            return await ingest.decodeOnly(request: request, receivedAt: receivedAt)
        }
        if let page = WebRoute.resolve(path: request.uri.path) {
            return await webUI.handle(page, request: request)
        }
        switch RouteTable.resolve(path: request.uri.path) {
        case .notFound:
            return APIError.routeNotFound.response(eventId: nil)
        case .badParameter(let message):
            return APIError.badRequest(message).response(eventId: nil)
        case .endpoints(let endpoints):
            guard let endpoint = endpoints[request.method] else {
                return APIError.methodNotAllowed(allowed: Array(endpoints.keys)).response(eventId: nil)
            }
            switch endpoint {
            case .ping, .health, .version:
                return await health.handle(endpoint)
            case .removedRoute:
                return APIError.notFound("route removed in DevLake v0.17; post to .../deployments").response(eventId: nil)
            case .ingest, .projectDeployments:
                return await ingest.handle(endpoint, request: request, receivedAt: receivedAt)
            case .listConnections, .createConnection, .readConnection, .renameConnection, .deleteConnection,
                .rotateConnectionKey, .replaceKey:
                return await connections.handle(endpoint, request: request, receivedAt: receivedAt)
            case .listProjects, .createProject, .readProject, .deleteProject, .attachProjectConnection,
                .detachProjectConnection, .rotateProjectKey:
                return await projects.handle(endpoint, request: request, receivedAt: receivedAt)
            case .projectMetrics, .allMetrics:
                return await metrics.handle(endpoint, request: request, receivedAt: receivedAt)
            case .listStoredData, .readStoredData, .deleteStoredData:
                return await storedData.handle(endpoint, request: request)
            case .openAPIDocument:
                return OpenAPIDocument.response()
            case .listEvents, .readEvent, .replayEvent:
                return await events.handle(endpoint, request: request, receivedAt: receivedAt)
            }
        }
    }
}
