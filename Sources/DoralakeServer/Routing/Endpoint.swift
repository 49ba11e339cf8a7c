/// A connection named in a path: by id (nil when the digits exceed 64 bits, so it cannot exist) or by name.
enum ConnectionReference: Sendable, Equatable, CustomStringConvertible {
    case id(Int64?, text: String)
    case name(String)

    var description: String {
        switch self {
        case .id(_, let text): return text
        case .name(let name): return name
        }
    }
}

/// The ingest routes of spec §1.3.
enum IngestRoute: Sendable, Equatable {
    case deployments
    case issues
    case issueClosePath(issueKey: String)
    case issueCloseBody
    case pullRequests
    case commits
    /// `POST …/batch` (spec §8.2).
    case batch

    /// The event log's route name.
    var name: String {
        switch self {
        case .deployments: return "deployments"
        case .issues: return "issues"
        case .issueClosePath: return "issue_close_path"
        case .issueCloseBody: return "issue_close_body"
        case .pullRequests: return "pull_requests"
        case .commits: return "commits"
        case .batch: return "batch"
        }
    }
}

/// Kinds of stored data under `/api/v1`.
enum StoredDataKind: String, Sendable {
    case deployments
    case issues
    case pullRequests = "pull_requests"
    case commits
}

/// Everything the server answers, after routing.
enum Endpoint: Sendable, Equatable {
    case ping
    case health
    case version
    case ingest(IngestRoute, ConnectionReference)
    case projectDeployments(projectName: String)
    case removedRoute
    case listConnections
    case createConnection
    case readConnection(ConnectionReference)
    case renameConnection(ConnectionReference)
    case deleteConnection(ConnectionReference)
    case rotateConnectionKey(ConnectionReference)
    case replaceKey(keyId: Int64?)
    case listProjects
    case createProject
    case readProject(name: String)
    case deleteProject(name: String)
    case attachProjectConnection(name: String, connectionId: Int64?)
    case detachProjectConnection(name: String, connectionId: Int64?)
    case rotateProjectKey(name: String)
    case projectMetrics(name: String)
    case allMetrics
    case listStoredData(StoredDataKind)
    case readStoredData(StoredDataKind, connectionId: Int64?, key: String)
    /// `DELETE /api/v1/connections/{c}/{kind}/{key}` (admin, spec §10).
    case deleteStoredData(StoredDataKind, connectionId: Int64?, key: String)
    /// `GET /api/v1/openapi.json`: the OpenAPI document of these routes.
    case openAPIDocument
    /// `GET /api/v1/events` (spec §11).
    case listEvents
    /// `GET /api/v1/events/{id}`; nil when the digits exceed 64 bits (no such event).
    case readEvent(id: Int64?)
    /// `POST /api/v1/events/{id}/replay`.
    case replayEvent(id: Int64?)

    /// True for the ingest routes (they accept `ingest.allowUnauthenticated` and are event-logged).
    var isIngest: Bool {
        switch self {
        case .ingest, .projectDeployments: return true
        default: return false
        }
    }
}
