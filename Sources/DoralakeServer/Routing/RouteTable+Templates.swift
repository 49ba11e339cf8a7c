/// One route the API serves: a method and a path template whose `{name}` segments are parameters,
/// e.g. `POST /api/plugins/webhook/connections/{connectionId}/deployments`.
struct RouteTemplate: Hashable, Sendable, CustomStringConvertible {
    let method: String
    let path: String

    var description: String { "\(method) \(path)" }
}

extension RouteTable {
    /// Every route ``resolve(path:)`` answers, as the OpenAPI document (`docs/openapi.json`) lists
    /// them: the health routes under each health prefix, key replacement, the webhook routes under
    /// each webhook prefix (three connection forms), and `/api/v1`. The web UI's pages and the
    /// benchmark route are not part of it.
    static var templates: [RouteTemplate] {
        var routes: [RouteTemplate] = []
        func add(_ methods: [String], _ path: String) {
            routes += methods.map { RouteTemplate(method: $0, path: path) }
        }
        for prefix in healthPrefixes.map(joined) {
            add(["GET", "HEAD"], "\(prefix)/ping")
            add(["GET", "HEAD"], "\(prefix)/health")
            add(["GET", "HEAD"], "\(prefix)/readyz")
            add(["GET"], "\(prefix)/version")
        }
        add(["PUT"], "/api-keys/{apiKeyId}")
        add(["PUT"], "/api/api-keys/{apiKeyId}")
        let ingestTails = [
            "deployments", "issues", "issue/{issueKey}/close", "issue/close", "pull_requests", "commits", "batch", "cicd_tasks",
            "cicd_pipeline/{pipelineName}/finish",
        ]
        for prefix in webhookPrefixes.map(joined) {
            add(["GET", "POST"], "\(prefix)/connections")
            add(["POST"], "\(prefix)/projects/{projectName}/deployments")
            for connection in ["connections/{connectionId}", "connections/by-name/{connectionName}"] {
                add(["GET", "PATCH", "DELETE"], "\(prefix)/\(connection)")
                add(["POST"], "\(prefix)/\(connection)/api-key/rotate")
            }
            for connection in ["connections/{connectionId}", "connections/by-name/{connectionName}", "{connectionId}"] {
                for tail in ingestTails { add(["POST"], "\(prefix)/\(connection)/\(tail)") }
            }
        }
        let v1 = "/api/v1"
        for (kind, key) in [("deployments", "deploymentId"), ("issues", "issueKey"), ("pull_requests", "pullRequestKey"), ("commits", "sha")] {
            add(["GET"], "\(v1)/\(kind)")
            add(["GET", "DELETE"], "\(v1)/connections/{connectionId}/\(kind)/{\(key)}")
        }
        add(["GET", "POST"], "\(v1)/projects")
        add(["GET", "DELETE"], "\(v1)/projects/{projectName}")
        add(["PUT", "DELETE"], "\(v1)/projects/{projectName}/connections/{connectionId}")
        add(["POST"], "\(v1)/projects/{projectName}/api-key/rotate")
        add(["GET"], "\(v1)/projects/{projectName}/metrics")
        add(["GET"], "\(v1)/metrics")
        add(["GET", "HEAD"], "\(v1)/openapi.json")
        add(["GET"], "\(v1)/events")
        add(["GET"], "\(v1)/events/{eventId}")
        add(["POST"], "\(v1)/events/{eventId}/replay")
        return routes
    }

    private static func joined(_ segments: [String]) -> String {
        segments.map { "/\($0)" }.joined()
    }
}
