import DoralakeCore
import DoralakeServer
import HTTPTypes
import Testing

/// Spec §10: deletes under `/api/v1` (admin), with row counts; derived data follows.
@Suite("Stored data deletes")
struct StoredDataDeleteTests {
    @Test("deleting a deployment, an incident, a pull request and a commit answers counts; reads and metrics follow; derived data equals a recomputation")
    func deletesWithCounts() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop")
            let project = try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(own.id)]}"#)
            #expect(project.status == .created, "\(project.text)")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            let two = #"{"id":"d-1","environment":"PRODUCTION","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"abc"},{"repoUrl":"https://github.com/acme/api","commitSha":"def"}]}"#
            #expect(try await server.post("\(base)/deployments", token: own.key, body: two).status == .ok)
            #expect(try await server.post("\(base)/issues", token: own.key, body: Samples.issue(key: "INC-1")).status == .ok)
            let pr = #"{"id":"pr-42","pullRequestKey":42,"title":"fix","status":"MERGED","createdDate":"2024-05-01T10:00:00Z","mergedDate":"2024-05-02T10:00:00Z","mergeCommitSha":"abc","repoUrl":"https://github.com/acme/shop"}"#
            #expect(try await server.post("\(base)/pull_requests", token: own.key, body: pr).status == .ok)
            let commit = #"{"sha":"abc","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-01T09:00:00Z","additions":10}"#
            #expect(try await server.post("\(base)/commits", token: own.key, body: commit).status == .ok)
            let issue = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/INC-1", token: own.key)
            #expect(issue.data?["links"]?.array?.first?["deploymentId"] == "d-1", "\(issue.text)")

            let v1 = "/api/v1/connections/\(own.id)"
            let byKey = try await server.request(.delete, "\(v1)/deployments/d-1", token: own.key)
            #expect(byKey.status == .forbidden)
            let deployment = try await server.request(.delete, "\(v1)/deployments/d-1", token: ServerHarness.adminToken)
            #expect(deployment.status == .ok, "\(deployment.text)")
            #expect(deployment.data?["deleted"] == .object([JSONMember("deployments", 1), JSONMember("deploymentCommits", 2)]))
            #expect(try await server.request(.get, "\(v1)/deployments/d-1", token: ServerHarness.adminToken).status == .notFound)
            // The incident's link moves off the deleted deployment at once (read barrier).
            let relinked = try await server.request(.get, "\(v1)/issues/INC-1", token: own.key)
            #expect(relinked.data?["links"]?.array?.first?["deploymentId"] == .null, "\(relinked.text)")
            let metrics = try await server.request(.get, "/api/v1/projects/shop/metrics?from=2024-05-01&to=2024-05-31&series=none", token: ServerHarness.adminToken)
            #expect(metrics.status == .ok, "\(metrics.text)")

            let incident = try await server.request(.delete, "\(v1)/issues/INC-1", token: ServerHarness.adminToken)
            #expect(incident.data?["deleted"] == .object([JSONMember("issues", 1), JSONMember("incidents", 1), JSONMember("links", 1)]), "\(incident.text)")
            let pullRequest = try await server.request(.delete, "\(v1)/pull_requests/42", token: ServerHarness.adminToken)
            #expect(pullRequest.data?["deleted"]?["pullRequests"] == 1, "\(pullRequest.text)")
            let noRepo = try await server.request(.delete, "\(v1)/commits/abc", token: ServerHarness.adminToken)
            #expect(noRepo.status == .badRequest)
            let commitDeleted = try await server.request(
                .delete, "\(v1)/commits/abc?repoUrl=https%3A%2F%2Fgithub.com%2Facme%2Fshop", token: ServerHarness.adminToken)
            #expect(commitDeleted.data?["deleted"] == .object([JSONMember("commits", 1)]), "\(commitDeleted.text)")

            for path in ["deployments/d-1", "issues/INC-1", "pull_requests/42", "commits/abc?repoUrl=x", "pull_requests/x"] {
                let again = try await server.request(.delete, "\(v1)/\(path)", token: ServerHarness.adminToken)
                #expect(again.status == (path == "pull_requests/x" ? .badRequest : .notFound), "\(path)")
            }
            #expect(try await server.store.derivedDataMismatches() == [])
        }
    }
}
