import DoralakeCore
import Foundation
import HTTPTypes
import Testing

@testable import DoralakeServer

/// The OpenAPI document (docs/openapi.json, served at /api/v1/openapi.json) and the route table
/// describe the same routes.
@Suite("OpenAPI document")
struct OpenAPITests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func documentFile() throws -> Data {
        try Data(contentsOf: repositoryRoot.appendingPathComponent("docs/openapi.json"))
    }

    /// Every (method, path) of the document's `paths`.
    static func documentedRoutes() throws -> Set<RouteTemplate> {
        let document = try JSONSerialization.jsonObject(with: try documentFile()) as? [String: Any]
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        return Set(
            paths.flatMap { path, item in
                item.keys.filter(methods.contains).map { RouteTemplate(method: $0.uppercased(), path: path) }
            })
    }

    /// A concrete path for a template: each `{name}` replaced by a valid sample value.
    static func samplePath(_ template: String) -> String {
        let samples = [
            "{connectionId}": "7", "{connectionName}": "shop%20ci", "{issueKey}": "DLK-1", "{projectName}": "shop",
            "{pipelineName}": "p", "{apiKeyId}": "3", "{deploymentId}": "d-1", "{pullRequestKey}": "42", "{sha}": "abc",
            "{eventId}": "12",
        ]
        var path = template
        for (parameter, value) in samples { path = path.replacingOccurrences(of: parameter, with: value) }
        return path
    }

    @Test("GET /api/v1/openapi.json serves docs/openapi.json byte for byte, without credentials")
    func servedDocumentIsTheFile() async throws {
        let file = try Self.documentFile()
        try await ServerHarness.run { server in
            let reply = try await server.request(.get, "/api/v1/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/json; charset=utf-8")
            let served = Array(reply.text.utf8)
            #expect(
                served == Array(file),
                "served \(served.count) bytes, docs/openapi.json has \(file.count): run python3 scripts/openapi-generate.py")
            #expect(reply.json["openapi"] == "3.1.0")
            let head = try await server.request(.head, "/api/v1/openapi.json")
            #expect(head.status == .ok)
            let post = try await server.request(.post, "/api/v1/openapi.json")
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD")
        }
    }

    @Test("every route template resolves to an endpoint for its method, and the path serves no other method")
    func templatesResolve() throws {
        let templates = RouteTable.templates
        #expect(Set(templates).count == templates.count, "duplicate templates")
        let methodsByPath = Dictionary(grouping: templates, by: \.path).mapValues { Set($0.map(\.method)) }
        for (template, methods) in methodsByPath {
            let path = Self.samplePath(template)
            guard case .endpoints(let endpoints) = RouteTable.resolve(path: path) else {
                Issue.record("\(template) (\(path)) does not resolve: \(RouteTable.resolve(path: path))")
                continue
            }
            #expect(Set(endpoints.keys.map(\.rawValue)) == methods, "\(template)")
        }
    }

    @Test("the OpenAPI document and the route table list the same routes")
    func documentMatchesTemplates() throws {
        let documented = try Self.documentedRoutes()
        let templates = Set(RouteTable.templates)
        for route in documented.subtracting(templates).sorted(by: { $0.description < $1.description }) {
            Issue.record("documented but not a route template: \(route)")
        }
        for route in templates.subtracting(documented).sorted(by: { $0.description < $1.description }) {
            Issue.record("route template missing from docs/openapi.json: \(route)")
        }
        #expect(documented.count == templates.count)
    }
}
