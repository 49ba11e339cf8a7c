import AsyncHTTPClient
import DoralakeCore
import DoralakeTestSupport
import Foundation
import Testing

/// `doralake events list|show|replay` over the raw event log, on the database and through a server.
@Suite("Command line: events")
struct EventsCommandTests {
    @Test("list and show through a server; replay of rejected requests on the database once the cause is fixed, with a summary")
    func listShowReplay() async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("e.sqlite").path
        let database = "sqlite:\(path)"
        let created = try await CommandLineTests.run(["webhook", "create", "--name", "ops", "--database", database])
        let json = try JSONParser.parse(created.output).value
        let id = try #require(json["id"]?.int)
        let key = try #require(json["apiKey"]?["apiKey"]?.string)
        let client = LiveServer.makeClient()
        let server = try await ServerProcess.start(database: path, client: client)
        do {
            let base = "/api/rest/plugins/webhook/connections/\(id)"
            // Two closes that arrived before their issues: rejected (404), bodies kept.
            for key2 in ["INC-1", "INC-2"] {
                let early = try await LiveServer.send(client: client, baseURL: server.baseURL, .POST, "\(base)/issue/\(key2)/close", token: key, body: "")
                #expect(early.status == 404)
            }
            let deployed = try await LiveServer.send(
                client: client, baseURL: server.baseURL, .POST, "\(base)/deployments", token: key,
                body: #"{"id":"d-1","startedDate":"2024-05-02T14:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#)
            let deployedId = try #require(deployed.data?["eventId"]?.int)

            let listed = try await CommandLineTests.run(["events", "list", "--url", server.baseURL, "--token", LiveServer.adminToken])
            #expect(listed.status == 0, "\(listed.error)")
            let rows = listed.output.split(separator: "\n")
            #expect(rows.count == 3, "\(listed.output)")
            #expect(rows.first?.hasPrefix("\(deployedId)\t") == true)
            #expect(rows.dropFirst().allSatisfy { $0.contains("\t404\tissue_close_path\t") }, "\(listed.output)")
            let rejectedOnly = try await CommandLineTests.run(
                ["events", "list", "--status", "rejected", "--json", "--url", server.baseURL, "--token", LiveServer.adminToken])
            #expect(rejectedOnly.output.split(separator: "\n").count == 2)
            let shown = try await CommandLineTests.run(["events", "show", String(deployedId), "--url", server.baseURL, "--token", LiveServer.adminToken])
            #expect(try JSONParser.parse(shown.output).value["body"]?.string?.contains("\"d-1\"") == true, "\(shown.output)")

            for key2 in ["INC-1", "INC-2"] {
                _ = try await LiveServer.send(
                    client: client, baseURL: server.baseURL, .POST, "\(base)/issues", token: key,
                    body: #"{"issueKey":"\#(key2)","title":"down","type":"INCIDENT","status":"TODO","createdDate":"2024-05-01T00:00:00Z"}"#)
            }
            server.terminate()
        } catch {
            server.kill()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()

        let replayed = try await CommandLineTests.run(
            ["events", "replay", "--since", "2000-01-01", "--status", "rejected", "--connection", String(id), "--database", database])
        #expect(replayed.status == 0, "\(replayed.output)\(replayed.error)")
        #expect(replayed.output.hasPrefix("replayed 2 events: 2 accepted, 0 rejected"), "\(replayed.output)")
        #expect(replayed.error.contains("replay: 2 items"), "\(replayed.error)")
        // The replays are new events that name their originals.
        let listed = try await CommandLineTests.run(["events", "list", "--json", "--database", database])
        let replays = listed.output.split(separator: "\n").filter { $0.contains("\"replayOf\":") && !$0.contains("\"replayOf\":null") }
        #expect(replays.count == 2, "\(listed.output)")
        let single = try await CommandLineTests.run(["events", "replay", "999", "--database", database])
        #expect(single.status == 1)
        #expect(single.output.contains("event not found"), "\(single.output)")
    }
}
