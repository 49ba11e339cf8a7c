import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import Logging

/// `/api/v1/projects…` (spec §4): admin token only; answers in the envelope.
struct ProjectController: Sendable {
    let store: Store
    let authenticator: Authenticator
    let keyHasher: KeyHasher
    let configuration: ServerConfiguration
    let logger: Logger

    func handle(_ endpoint: Endpoint, request: Request, receivedAt: EpochMilliseconds) async -> Response {
        do {
            let principal = try await authenticator.authenticate(
                header: request.headers[.authorization], allowAnonymous: false)
            guard case .admin = principal else { throw APIError.forbidden("path doesn't match api key's scope") }
            switch endpoint {
            case .listProjects:
                return JSONResponse.success(.array(try await store.projects().map(Self.json)))
            case .createProject:
                let body = try await parseBody(request, receivedAt: receivedAt)
                let name = try ConnectionController.validName(body["name"], limit: NameRules.projectNameLimit)
                let connectionIds = try Self.connectionIds(body["connectionIds"])
                do {
                    let project = try await store.createProject(name: name, connectionIds: connectionIds)
                    logger.info("project created", metadata: ["project": "\(name)"])
                    return JSONResponse.success(Self.json(project), status: .created)
                } catch StoreError.conflict(let message) {
                    throw APIError(status: .conflict, message: message)
                }
            case .readProject(let name):
                guard let project = try await store.project(named: name) else { throw Self.notFound(name) }
                return JSONResponse.success(Self.json(project))
            case .deleteProject(let name):
                try await store.deleteProject(named: name)
                return JSONResponse.success(.object([JSONMember("deleted", .object([JSONMember("projects", 1)]))]))
            case .attachProjectConnection(let name, let connectionId):
                guard let connectionId else {
                    throw APIError.notFound("connection not found", causes: ["record not found"])
                }
                return JSONResponse.success(Self.json(try await store.attach(connectionId: connectionId, toProject: name)))
            case .detachProjectConnection(let name, let connectionId):
                guard let connectionId else {
                    throw APIError.notFound("connection not found", causes: ["record not found"])
                }
                return JSONResponse.success(Self.json(try await store.detach(connectionId: connectionId, fromProject: name)))
            case .rotateProjectKey(let name):
                let body = try await parseBody(request, receivedAt: receivedAt)
                let expiredAt = try ConnectionController.expiry(body, receivedAt: receivedAt, configuration: configuration)
                let plaintext = APIKeyGenerator.generate()
                let key = try await store.rotateProjectKey(
                    name: name, keyHash: keyHasher.hash(plaintext), expiredAt: expiredAt ?? nil)
                logger.info("project key rotated", metadata: ["project": "\(name)"])
                return JSONResponse.success(RecordJSON.apiKey(key, plaintext: plaintext))
            default:
                return APIError.routeNotFound.response(eventId: nil)
            }
        } catch {
            return APIError.from(error, logger: logger).response(eventId: nil)
        }
    }

    static func notFound(_ name: String) -> APIError {
        APIError.notFound("project not found: \(name)", causes: ["record not found"])
    }

    /// The project as the API shows it: name, connection ids, creation time, key (no plaintext) or null.
    static func json(_ project: ProjectRecord) -> JSONValue {
        .object([
            JSONMember("name", .string(project.name)),
            JSONMember("connectionIds", .array(project.connectionIds.map { .int($0) })),
            JSONMember("createdAt", RecordJSON.time(project.createdAt)),
            JSONMember("apiKey", project.apiKey.map { RecordJSON.apiKey($0) } ?? .null),
        ])
    }

    private static func connectionIds(_ value: JSONValue?) throws -> [Int64] {
        guard let value, value != .null else { return [] }
        guard case .array(let elements) = value else {
            throw APIError.badRequest("connectionIds: must be a list of connection ids", causes: ["connectionIds: invalid_type"])
        }
        return try elements.enumerated().map { index, element in
            guard case .number(let text) = element, let id = Int64(text), id >= 1 else {
                throw APIError.badRequest(
                    "connectionIds[\(index)]: must be a connection id (an integer ≥ 1)",
                    causes: ["connectionIds[\(index)]: invalid_type"])
            }
            return id
        }
    }

    private func parseBody(_ request: Request, receivedAt: EpochMilliseconds) async throws -> JSONValue {
        let bytes = try await RequestBody.bytes(of: request, limit: configuration.maxBodyBytes)
        return .object(try RequestBody.object(from: bytes, context: DecodingContext(receivedAt: receivedAt)) ?? [])
    }
}
