import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import Logging

/// Connection management (spec §3): admin token only; bare JSON objects as DevLake answers them.
struct ConnectionController: Sendable {
    let store: Store
    let authenticator: Authenticator
    let keyHasher: KeyHasher
    let configuration: ServerConfiguration
    let logger: Logger

    func handle(_ endpoint: Endpoint, request: Request, receivedAt: EpochMilliseconds) async -> Response {
        do {
            let principal = try await authenticator.authenticate(
                header: request.headers[.authorization], allowAnonymous: false)
            // Non-admin keys: the target must exist before the scope check fails (spec §2.1 order).
            switch endpoint {
            case .listConnections:
                try requireAdmin(principal)
                let connections = try await store.connections()
                return JSONResponse.make(body: .array(connections.map { RecordJSON.connection($0) }))
            case .createConnection:
                try requireAdmin(principal)
                let body = try await parseBody(request, receivedAt: receivedAt)
                let name = try Self.validName(body["name"], limit: NameRules.connectionNameLimit)
                let expiredAt = try Self.expiry(body, receivedAt: receivedAt, configuration: configuration)
                let (connection, plaintext) = try await createConnection(name: name, expiredAt: expiredAt ?? nil)
                return JSONResponse.make(body: RecordJSON.connection(connection, plaintextKey: plaintext))
            case .readConnection(let reference):
                let connection = try await reference.resolve(in: store)
                try requireAdmin(principal)
                return JSONResponse.make(body: RecordJSON.connection(connection))
            case .renameConnection(let reference):
                let connection = try await reference.resolve(in: store)
                try requireAdmin(principal)
                let body = try await parseBody(request, receivedAt: receivedAt)
                let name = try Self.validName(body["name"], limit: NameRules.connectionNameLimit)
                let renamed = try await store.renameConnection(id: connection.id, to: name)
                return JSONResponse.make(body: RecordJSON.bareConnection(renamed))
            case .deleteConnection(let reference):
                let connection = try await reference.resolve(in: store)
                try requireAdmin(principal)
                let counts = try await store.deleteConnection(id: connection.id)
                logger.info("connection deleted", metadata: ["connection.id": "\(connection.id)"])
                return JSONResponse.success(.object([
                    JSONMember("deleted", .object([
                        JSONMember("deployments", .int(counts.deployments)),
                        JSONMember("deploymentCommits", .int(counts.deploymentCommits)),
                        JSONMember("issues", .int(counts.issues)), JSONMember("pullRequests", .int(counts.pullRequests)),
                        JSONMember("commits", .int(counts.commits)),
                    ]))
                ]))
            case .rotateConnectionKey(let reference):
                let connection = try await reference.resolve(in: store)
                try requireAdmin(principal)
                let body = try await parseBody(request, receivedAt: receivedAt)
                let expiredAt = try Self.expiry(body, receivedAt: receivedAt, configuration: configuration)
                let (key, plaintext) = try await rotateKey(of: connection, expiredAt: expiredAt ?? nil)
                return JSONResponse.make(body: RecordJSON.apiKey(key, plaintext: plaintext))
            case .replaceKey(let keyId):
                try requireAdmin(principal)
                guard let keyId else { throw APIError.notFound("api key not found", causes: ["record not found"]) }
                let body = try await parseBody(request, receivedAt: receivedAt)
                let expiredAt = try Self.expiry(body, receivedAt: receivedAt, configuration: configuration)
                let plaintext = APIKeyGenerator.generate()
                let key = try await store.replaceKey(id: keyId, keyHash: keyHasher.hash(plaintext), expiredAt: expiredAt)
                return JSONResponse.make(body: RecordJSON.apiKey(key, plaintext: plaintext))
            default:
                return APIError.routeNotFound.response(eventId: nil)
            }
        } catch {
            return APIError.from(error, logger: logger).response(eventId: nil)
        }
    }

    /// Creates a connection with a new key (the API's create and the web UI's form).
    /// - Returns: the connection and the key's plaintext, to show once.
    func createConnection(name: String, expiredAt: EpochMilliseconds?) async throws -> (ConnectionRecord, String) {
        let plaintext = APIKeyGenerator.generate()
        let connection = try await store.createConnection(name: name, keyHash: keyHasher.hash(plaintext), expiredAt: expiredAt)
        logger.info("connection created", metadata: ["connection.id": "\(connection.id)"])
        return (connection, plaintext)
    }

    /// Replaces a connection's key with a new one (the API's rotate and the web UI's button).
    /// - Returns: the key and its plaintext, to show once.
    func rotateKey(of connection: ConnectionRecord, expiredAt: EpochMilliseconds?) async throws -> (APIKeyRecord, String) {
        let plaintext = APIKeyGenerator.generate()
        let key = try await store.rotateConnectionKey(
            connectionId: connection.id, keyHash: keyHasher.hash(plaintext), expiredAt: expiredAt)
        logger.info("connection key rotated", metadata: ["connection.id": "\(connection.id)"])
        return (key, plaintext)
    }

    private func requireAdmin(_ principal: Principal) throws {
        guard case .admin = principal else { throw APIError.forbidden("path doesn't match api key's scope") }
    }

    /// The body as a JSON object (`{}` when absent).
    private func parseBody(_ request: Request, receivedAt: EpochMilliseconds) async throws -> JSONValue {
        let bytes = try await RequestBody.bytes(of: request, limit: configuration.maxBodyBytes)
        let context = DecodingContext(receivedAt: receivedAt)
        return .object(try RequestBody.object(from: bytes, context: context) ?? [])
    }

    /// Checks a connection or project name (spec §3.1).
    static func validName(_ value: JSONValue?, limit: Int) throws -> String {
        guard let value, value != .null else { throw nameError("is required") }
        guard case .string(let name) = value else { throw nameError("must be a string, not \(value.typeName)") }
        if let problem = NameRules.problem(with: name, limit: limit) { throw nameError(problem) }
        return name
    }

    private static func nameError(_ problem: String) -> APIError {
        APIError(
            status: .badRequest, message: "name: \(problem)", causes: ["name: \(problem)"],
            fieldErrors: [FieldError(field: "name", code: .invalidType, message: problem)])
    }

    /// `expiredAt` of a body: `.none` when absent, `.some(nil)` for `null`, `.some(date)` otherwise.
    static func expiry(_ body: JSONValue, receivedAt: EpochMilliseconds, configuration: ServerConfiguration) throws
        -> EpochMilliseconds??
    {
        guard let members = body.objectMembers, members.contains(where: { $0.key == "expiredAt" }) else { return .none }
        let context = DecodingContext(
            receivedAt: receivedAt, dateParser: DateParser(zonelessTimeZone: configuration.zonelessTimeZone))
        let reader = ObjectReader(members: members.filter { $0.key == "expiredAt" }, fields: [FieldSpec("expiredAt")], context: context)
        let date = reader.date("expiredAt")
        try context.throwIfInvalid()
        return .some(date)
    }
}
