import DoralakeCore
import DoralakeStore

/// The event-log entries the benchmark writes with its data, shaped like the server's for the
/// same webhook routes. The raw body is not recorded (`body: nil`): the benchmark measures the
/// store's write path, not JSON encoding, and the generator never builds request bodies.
enum BenchEvents {
    /// The event of a write to route `route` (`deployments`, `issues`, `pull_requests`, `commits`)
    /// of connection `connectionId`, received at `receivedAt`.
    static func draft(route: String, connectionId: Int64, receivedAt: EpochMilliseconds) -> EventDraft {
        EventDraft(
            receivedAt: receivedAt, method: "POST", path: "/api/rest/plugins/webhook/connections/\(connectionId)/\(route)",
            route: route, connectionId: connectionId, projectName: nil, principal: "connection-key:\(connectionId)",
            status: 200, message: "", contentType: "application/json", bodySize: 0, bodySha256: "", body: nil,
            bodyTruncated: false)
    }
}
