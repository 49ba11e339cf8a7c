import AsyncHTTPClient
import DoralakeCore
import DoralakeTestSupport
import Foundation
import Testing

/// `doralake import` (issue "Data operations"): batch items streamed from a file into a
/// connection, straight into the database or through a running server.
@Suite("Command line: import")
struct ImportCommandTests {
    static func lines(deployments: Range<Int>) -> [String] {
        deployments.map { n in
            #"{"type":"deployment","payload":{"id":"d-\#(n)","environment":"PRODUCTION","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"sha\#(n)"}]}}"#
        }
    }

    @Test("NDJSON into the database: broken lines are reported by file line, the exit status says so, progress is plain lines off a terminal; a re-run changes nothing")
    func importIntoDatabase() async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = "sqlite:" + directory.appendingPathComponent("i.sqlite").path
        let created = try await CommandLineTests.run(["webhook", "create", "--name", "ci", "--database", database])
        let id = try #require(try JSONParser.parse(created.output).value["id"]?.int)
        var lines = Self.lines(deployments: 0..<2_500)
        lines.insert(#"{"type":"deployment","payload":{"id":"bad","startedDate":"2024/05/03"}}"#, at: 10)
        lines.insert("", at: 20)
        lines.insert(#"{"type":"issue","payload":{"issueKey":"INC-1""#, at: 1_500)
        let file = directory.appendingPathComponent("items.ndjson")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let first = try await CommandLineTests.run(["import", "--connection", String(id), file.path, "--database", database])
        #expect(first.status == 1, "\(first.output)\(first.error)")
        #expect(first.output.hasPrefix("imported 2502 items: 2500 accepted, 2 rejected (2500 created)"), "\(first.output)")
        #expect(first.output.contains("line 11: 2 invalid fields: startedDate, deploymentCommits"), "\(first.output)")
        #expect(first.output.contains("line 1501: invalid JSON"), "\(first.output)")
        // Not a terminal: plain progress lines, the last one complete.
        #expect(first.error.contains("import: 2502 items"), "\(first.error)")
        #expect(first.error.contains("100%"))
        #expect(!first.error.contains("\r"))

        let again = try await CommandLineTests.run(
            ["import", "--connection", String(id), file.path, "--database", database, "--allow-rejected", "--batch-size", "700"])
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.hasPrefix("imported 2502 items: 2500 accepted, 2 rejected (2500 unchanged)"), "\(again.output)")

        let missing = try await CommandLineTests.run(["import", "--connection", "99", file.path, "--database", database])
        #expect(missing.status != 0)
        #expect(missing.error.contains("connection 99 does not exist"), "\(missing.error)")
    }

    @Test("a JSON array through a running server's batch route, with the connection's key; a malformed array stops with a clear message")
    func importThroughServer() async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("s.sqlite").path
        let created = try await CommandLineTests.run(["webhook", "create", "--name", "ci", "--database", "sqlite:\(path)"])
        let json = try JSONParser.parse(created.output).value
        let id = try #require(json["id"]?.int)
        let key = try #require(json["apiKey"]?["apiKey"]?.string)
        let client = LiveServer.makeClient()
        let server = try await ServerProcess.start(database: path, client: client)
        do {
            let items = Self.lines(deployments: 0..<1_200) + [
                #"{"type":"issue","payload":{"issueKey":"INC-1","title":"down","type":"INCIDENT","status":"TODO","createdDate":"2024-05-02T15:00:00Z"}}"#,
                #"{"type":"issue_close","payload":{"issueKey":"INC-1","resolutionDate":"2024-05-02T16:00:00Z"}}"#,
            ]
            let file = directory.appendingPathComponent("items.json")
            try ("[\n  " + items.joined(separator: ",\n  ") + "\n]\n").write(to: file, atomically: true, encoding: .utf8)
            let imported = try await CommandLineTests.run(
                ["import", "--connection", String(id), file.path, "--url", server.baseURL, "--token", key])
            #expect(imported.status == 0, "\(imported.output)\(imported.error)")
            #expect(imported.output.hasPrefix("imported 1202 items: 1202 accepted, 0 rejected (1 closed, 1201 created)"), "\(imported.output)")
            let issue = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .GET, "/api/v1/connections/\(id)/issues/INC-1", token: key)
            #expect(issue.data?["status"] == "DONE")

            let broken = directory.appendingPathComponent("broken.json")
            try ("[" + Self.lines(deployments: 0..<3).joined(separator: ",") + ", {\"type\":").write(to: broken, atomically: true, encoding: .utf8)
            let stopped = try await CommandLineTests.run(
                ["import", "--connection", String(id), broken.path, "--url", server.baseURL, "--token", key])
            #expect(stopped.status != 0)
            #expect(stopped.output.contains("imported 3 items: 3 accepted"), "\(stopped.output)")
            #expect(stopped.output.contains("stopped early: the input stopped being a JSON array"), "\(stopped.output)")

            let wrongKey = try await CommandLineTests.run(
                ["import", "--connection", String(id), file.path, "--url", server.baseURL, "--token", "nope"])
            #expect(wrongKey.status != 0)
            #expect(wrongKey.output.contains("the server refused a batch (403)") || wrongKey.output.contains("(401)"), "\(wrongKey.output)")
            server.terminate()
        } catch {
            server.kill()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
