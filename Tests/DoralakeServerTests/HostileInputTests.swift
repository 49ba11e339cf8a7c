import DoralakeCore
import DoralakeServer
import Foundation
import HTTPTypes
import Testing

/// Hostile or odd input answered as the issue asks (issue 14): control characters are a 400
/// naming the field on both databases and nothing is stored; Unicode normalisation does not make
/// two values of one; `+` in a query is a space; metrics ranges are bounded; errors echo little.
@Suite("Hostile input")
struct HostileInputTests {
    static let base = "/api/plugins/webhook/connections"

    static let controlBodies: [(route: String, field: String, body: String)] = [
        (
            "deployments", "displayTitle",
            #"{"id":"nul-1","displayTitle":"vis\u0000hidden","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"a1"}]}"#
        ),
        (
            "deployments", "id",
            #"{"id":"a\u0000b","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"a1"}]}"#
        ),
        (
            "deployments", "deploymentCommits[0].commitSha",
            #"{"id":"nul-2","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"a\u0001"}]}"#
        ),
        ("issues", "title", #"{"issueKey":"INC-1","title":"down\u0000","type":"INCIDENT","status":"TODO","createdDate":"2024-05-02T15:00:00Z"}"#),
        ("issues", "issueKey", #"{"issueKey":"INC-\u001b1","title":"down","type":"INCIDENT","status":"TODO","createdDate":"2024-05-02T15:00:00Z"}"#),
        (
            "pull_requests", "displayTitle",
            #"{"id":"pr-1","pullRequestKey":1,"displayTitle":"x\u0000","url":"https://github.com/acme/shop/pull/1","status":"OPEN","createdDate":"2024-05-02T15:00:00Z","mergeCommitSha":"m1"}"#
        ),
    ]

    @Test("a control character in a body field is a 400 naming the field, and nothing is stored", arguments: controlBodies)
    func controlCharacters(_ route: String, _ field: String, _ body: String) async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("hostile")
            let reply = try await server.post("\(Self.base)/\(connection.id)/\(route)", token: connection.key, body: body)
            #expect(reply.status == .badRequest, "\(reply.text)")
            let errors = reply.data?["errors"]?.array ?? []
            #expect(errors.map { $0["field"]?.string } == [field], "\(reply.text)")
            #expect(errors.first?["code"]?.string == "invalid_character")
            #expect(reply.message?.hasPrefix(field) == true, "\(reply.text)")
            let listed = try await server.request(.get, "/api/v1/\(route)", token: ServerHarness.adminToken)
            #expect(listed.status == .ok)
            #expect(listed.data?["items"]?.array?.isEmpty == true, "\(listed.text)")
        }
    }

    @Test("story points and line counts beyond any real value are a 400, so metrics never overflow")
    func numericBounds() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("bounds")
            let issue = try await server.post(
                "\(Self.base)/\(connection.id)/issues", token: connection.key,
                body: #"{"issueKey":"REQ-1","title":"big","type":"REQUIREMENT","status":"TODO","createdDate":"2020-01-05T00:00:00Z","storyPoint":1e307}"#)
            #expect(issue.status == .badRequest, "\(issue.text)")
            #expect(issue.data?["errors"]?.array?.first?["field"]?.string == "storyPoint")
            let commits = try await server.post(
                "\(Self.base)/\(connection.id)/commits", token: connection.key,
                body: #"{"commits":[{"sha":"a1","repoUrl":"https://github.com/acme/shop","authoredDate":"2020-01-02T10:00:00Z","additions":9223372036854775807}]}"#)
            #expect(commits.status == .badRequest, "\(commits.text)")
            #expect(commits.message?.contains("additions") == true, "\(commits.text)")
            let fine = try await server.post(
                "\(Self.base)/\(connection.id)/issues", token: connection.key,
                body: #"{"issueKey":"REQ-2","title":"ok","type":"REQUIREMENT","status":"TODO","createdDate":"2020-01-05T00:00:00Z","storyPoint":1000000}"#)
            #expect(fine.status == .ok, "\(fine.text)")
        }
    }

    @Test("tab, line feed and carriage return are text, not control characters to refuse")
    func allowedWhitespace() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("ws")
            let body =
                #"{"id":"ws-1","displayTitle":"line 1\n\tline 2\r\n","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"a1"}]}"#
            let reply = try await server.post("\(Self.base)/\(connection.id)/deployments", token: connection.key, body: body)
            #expect(reply.status == .ok, "\(reply.text)")
            let listed = try await server.request(.get, "/api/v1/deployments", token: ServerHarness.adminToken)
            #expect(listed.data?["items"]?.array?.first?["displayTitle"]?.string == "line 1\n\tline 2\r\n")
        }
    }

    @Test("control characters in path and query parameters are a 400, on every database")
    func controlCharactersInParameters() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("params")
            let path = try await server.post(
                "\(Self.base)/\(connection.id)/issue/INC%001/close", token: connection.key, body: "{}")
            #expect(path.status == .badRequest, "\(path.text)")
            #expect(path.message?.contains("U+0000") == true, "\(path.text)")
            let query = try await server.request(.get, "/api/v1/deployments?project=a%00b", token: ServerHarness.adminToken)
            #expect(query.status == .badRequest, "\(query.text)")
            #expect(query.message?.hasPrefix("project:") == true, "\(query.text)")
            let byName = try await server.request(
                .get, "/api/v1/projects/a%00b/metrics", token: ServerHarness.adminToken)
            #expect(byName.status == .badRequest, "\(byName.text)")
        }
    }

    @Test("a commit sha re-posted in another Unicode normalisation is the same commit")
    func normalisation() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("nfc")
            let nfd = "cafe\u{301}"
            let nfc = "caf\u{E9}"
            #expect(Array(nfd.utf8) != Array(nfc.utf8))
            for sha in [nfd, nfc] {
                let reply = try await server.post(
                    "\(Self.base)/\(connection.id)/deployments", token: connection.key,
                    body: Samples.deployment(id: "d-n", sha: sha))
                #expect(reply.status == .ok, "\(reply.text)")
            }
            let listed = try await server.request(.get, "/api/v1/deployments", token: ServerHarness.adminToken)
            let commits = listed.data?["items"]?.array?.first?["commits"]?.array ?? []
            #expect(commits.count == 1, "\(listed.text)")
            #expect(commits.first?["commitSha"]?.string.map { Array($0.utf8) } == Array(nfc.utf8))
        }
    }

    @Test("+ in a query string is a space, as HTML forms send it")
    func plusInQuery() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("plus")
            let created = try await server.post(
                "/api/v1/projects", body: #"{"name":"my project","connectionIds":[\#(connection.id)]}"#)
            #expect(created.status == .ok || created.status == .created, "\(created.text)")
            let posted = try await server.post(
                "\(Self.base)/\(connection.id)/deployments", token: connection.key, body: Samples.deployment())
            #expect(posted.status == .ok)
            for query in ["my+project", "my%20project"] {
                let listed = try await server.request(
                    .get, "/api/v1/deployments?project=\(query)", token: ServerHarness.adminToken)
                #expect(listed.data?["items"]?.array?.count == 1, "\(query): \(listed.text)")
            }
        }
    }

    @Test("a metrics range over ten years is a 400 naming from; ten years are answered")
    func metricsRangeBound() async throws {
        try await ServerHarness.run { server in
            let wide = try await server.request(
                .get, "/api/v1/metrics?from=1970-01-01&to=9999-12-31", token: ServerHarness.adminToken)
            #expect(wide.status == .badRequest, "\(wide.text)")
            #expect(wide.message?.hasPrefix("from:") == true, "\(wide.text)")
            #expect(wide.text.utf8.count < 1_000)
            let tenYears = try await server.request(
                .get, "/api/v1/metrics?from=2014-01-01&to=2023-12-31", token: ServerHarness.adminToken)
            #expect(tenYears.status == .ok, "\(tenYears.text)")
        }
    }

    @Test("a 400 for a huge value echoes a short prefix of it, not the value")
    func shortEcho() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("echo")
            let huge = String(repeating: "x", count: 900_000)
            let body =
                #"{"id":"e-1","environment":"\#(huge)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"a1"}]}"#
            let reply = try await server.post("\(Self.base)/\(connection.id)/deployments", token: connection.key, body: body)
            #expect(reply.status == .badRequest, "\(reply.text.prefix(300))")
            #expect(reply.text.utf8.count < 4_096, "answer of \(reply.text.utf8.count) bytes")
            let keys = (0..<5_000).map { #""k\#($0)":1"# }.joined(separator: ",")
            let noisy = try await server.post(
                "\(Self.base)/\(connection.id)/deployments", token: connection.key,
                body: #"{"id":"e-2",\#(keys),"startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"a1"}]}"#)
            #expect(noisy.status == .ok)
            let warnings = noisy.data?["warnings"]?.array ?? noisy.json["warnings"]?.array ?? []
            #expect(warnings.count == EchoLimit.entries, "\(noisy.text.prefix(300))")
            #expect(warnings.last?["code"]?.string == "warnings_truncated")
        }
    }

    @Test("a displayTitle of 600 KB is stored whole")
    func largeTitle() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("large")
            let title = String(repeating: "t", count: 600_000)
            let body =
                #"{"id":"big-1","displayTitle":"\#(title)","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"a1"}]}"#
            let reply = try await server.post("\(Self.base)/\(connection.id)/deployments", token: connection.key, body: body)
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            let listed = try await server.request(.get, "/api/v1/deployments", token: ServerHarness.adminToken)
            #expect(listed.data?["items"]?.array?.first?["displayTitle"]?.string?.count == 600_000)
        }
    }
}

@Suite("List pages bounded by size")
struct PageSizeTests {
    @Test("records with very large titles make short pages whose cursors still reach every record")
    func largeRecordsPage() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("pages")
            let title = String(repeating: "p", count: 900_000)
            for index in 0..<5 {
                let body =
                    #"{"id":"big-\#(index)","displayTitle":"\#(title)","startedDate":"2024-05-02T14:0\#(index):00Z","finishedDate":"2024-05-02T14:3\#(index):00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s\#(index)"}]}"#
                let reply = try await server.post(
                    "/api/plugins/webhook/connections/\(connection.id)/deployments", token: connection.key, body: body)
                #expect(reply.status == .ok)
            }
            var seen: [String] = []
            var cursor: String? = nil
            var pages = 0
            repeat {
                let uri = "/api/v1/deployments?limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await server.request(.get, uri, token: ServerHarness.adminToken)
                #expect(page.status == .ok)
                let items = page.data?["items"]?.array ?? []
                #expect(items.count <= 2, "a page of \(items.count) items of 900 KB")
                #expect(page.text.utf8.count < 2_500_000)
                seen += items.compactMap { $0["id"]?.string }
                cursor = page.data?["nextCursor"]?.string
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == ["big-4", "big-3", "big-2", "big-1", "big-0"])
            #expect(pages == 3)
        }
    }

    @Test("deployments with a thousand commits each make short pages too")
    func manyCommitsPage() async throws {
        try await ServerHarness.run { server in
            let connection = try await server.createConnection("commits")
            let message = String(repeating: "m", count: 500)
            for index in 0..<4 {
                let commits = (0..<1000).map { #"{"repoUrl":"r","commitSha":"s\#(index)-\#($0)","commitMsg":"\#(message)"}"# }
                let body =
                    #"{"id":"many-\#(index)","startedDate":"2024-05-02T14:0\#(index):00Z","finishedDate":"2024-05-02T14:3\#(index):00Z","deploymentCommits":[\#(commits.joined(separator: ","))]}"#
                let reply = try await server.post(
                    "/api/plugins/webhook/connections/\(connection.id)/deployments", token: connection.key, body: body)
                #expect(reply.status == .ok, "\(reply.text.prefix(200))")
            }
            let page = try await server.request(.get, "/api/v1/deployments?limit=100", token: ServerHarness.adminToken)
            let items = page.data?["items"]?.array ?? []
            #expect((1...2).contains(items.count), "a page of \(items.count) deployments of 1000 commits")
            #expect(items.first?["commits"]?.array?.count == 1000)
            #expect(page.data?["nextCursor"]?.string != nil)
        }
    }
}
