import DoralakeCore
import DoralakeTestSupport
import Foundation
import Testing

/// `doralake export` then `doralake import` into another database's new connection: the same
/// entities and the same metrics, on SQLite and (when configured) PostgreSQL.
@Suite("Command line: export and import round trip")
struct ExportImportRoundTripTests {
    /// A month of history: deployments (some failed) over two repositories, incidents after some
    /// of them (closed), merged pull requests whose merge commits were deployed, line counts.
    static func history() -> String {
        var lines: [String] = []
        func day(_ d: Int, _ hour: Int) -> String { String(format: "2024-05-%02dT%02d:00:00Z", d, hour) }
        for n in 0..<40 {
            let d = 1 + n % 28
            let repo = n % 2 == 0 ? "https://github.com/acme/shop" : "git@github.com:acme/api.git"
            let result = n % 7 == 3 ? "failure" : "Success"
            lines.append(#"{"type":"deployment","payload":{"id":"deploy-\#(n)","environment":"production","result":"\#(result)","startedDate":"\#(day(d, 9))","finishedDate":"\#(day(d, 10))","deploymentCommits":[{"repoUrl":"\#(repo)","commitSha":"sha\#(n)","commitMsg":"change \#(n)","includedCommitShas":["pre\#(n)"]}]}}"#)
            lines.append(#"{"type":"pull_request","payload":{"id":"pr-\#(n)","pullRequestKey":\#(n + 1),"title":"PR \#(n)","status":"MERGED","createdDate":"\#(day(d, 1))","mergedDate":"\#(day(d, 8))","mergeCommitSha":"sha\#(n)","repoUrl":"\#(repo)","additions":\#(n * 3)}}"#)
            if n % 5 == 1 {
                lines.append(#"{"type":"issue","payload":{"issueKey":"INC-\#(n)","title":"outage \#(n)","type":"INCIDENT","status":"TODO","createdDate":"\#(day(d, 11))","severity":"P\#(n % 3)"}}"#)
                lines.append(#"{"type":"issue_close","payload":{"issueKey":"INC-\#(n)","resolutionDate":"\#(day(d, 15))"}}"#)
            }
            if n % 4 == 0 {
                lines.append(#"{"type":"issue","payload":{"issueKey":"BUG-\#(n)","title":"bug \#(n)","type":"Bug","status":"in_progress","createdDate":"\#(day(d, 12))","storyPoint":1.5}}"#)
            }
        }
        lines.append(#"{"type":"commit","payload":{"commits":[\#((0..<40).map { #"{"sha":"sha\#($0)","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-01T00:00:00Z","additions":\#($0 * 10),"deletions":\#($0)}"# }.joined(separator: ","))]}}"#)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Creates a connection and a project on `database`; returns the connection id.
    static func prepare(_ database: String) async throws -> Int64 {
        let created = try await CommandLineTests.run(["webhook", "create", "--name", "ci", "--database", database])
        #expect(created.status == 0, "\(created.error)")
        let id = try #require(try JSONParser.parse(created.output).value["id"]?.int)
        let project = try await CommandLineTests.run(["project", "create", "shop", "--connection", String(id), "--database", database])
        #expect(project.status == 0, "\(project.error)")
        return id
    }

    static func roundTrip(source: String, target: String, directory: URL) async throws {
        let sourceConnection = try await prepare(source)
        let input = directory.appendingPathComponent("history.ndjson")
        try history().write(to: input, atomically: true, encoding: .utf8)
        let imported = try await CommandLineTests.run(["import", "--connection", String(sourceConnection), input.path, "--database", source])
        #expect(imported.status == 0, "\(imported.output)\(imported.error)")

        let exported = try await CommandLineTests.run(["export", "--connection", String(sourceConnection), "--database", source])
        #expect(exported.status == 0, "\(exported.error)")
        #expect(exported.error.contains("exported 40 deployments, 18 issues, 40 pull requests, 40 commits"), "\(exported.error)")
        let file = directory.appendingPathComponent("export.ndjson")
        try exported.output.write(to: file, atomically: true, encoding: .utf8)

        let targetConnection = try await prepare(target)
        let reimported = try await CommandLineTests.run(["import", "--connection", String(targetConnection), file.path, "--database", target])
        #expect(reimported.status == 0, "\(reimported.output)\(reimported.error)")
        #expect(reimported.output.hasPrefix("imported 99 items: 99 accepted, 0 rejected"), "\(reimported.output)")

        // The same entities: the target's export is the source's, byte for byte.
        let again = try await CommandLineTests.run(["export", "--connection", String(targetConnection), "--database", target])
        #expect(again.output == exported.output)
        // The same metrics.
        let metrics = ["metrics", "--project", "shop", "--from", "2024-05-01", "--to", "2024-05-31", "--format", "json"]
        let before = try await CommandLineTests.run(metrics + ["--database", source])
        let after = try await CommandLineTests.run(metrics + ["--database", target])
        #expect(before.status == 0 && after.status == 0, "\(before.error)\(after.error)")
        #expect(before.output == after.output)
        #expect(before.output.contains("\"changeFailureRate\""), "\(before.output.prefix(300))")
        // Since: only what changed after the cut-off (nothing here: everything was written now).
        let none = try await CommandLineTests.run(
            ["export", "--connection", String(sourceConnection), "--since", "2999-01-01", "--database", source])
        #expect(none.output.isEmpty)
    }

    @Test("SQLite to SQLite")
    func sqlite() async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.roundTrip(
            source: "sqlite:" + directory.appendingPathComponent("a.sqlite").path,
            target: "sqlite:" + directory.appendingPathComponent("b.sqlite").path, directory: directory)
    }

    @Test("PostgreSQL to PostgreSQL", .enabled(if: TestDatabase.postgresURL != nil, "set DORALAKE_TEST_POSTGRES_URL"))
    func postgres() async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.postgres.withFreshDatabase { first in
            try await TestDatabase.postgres.withFreshDatabase { second in
                guard case .postgres(let source) = first, case .postgres(let target) = second else { return }
                try await Self.roundTrip(source: source, target: target, directory: directory)
            }
        }
    }
}
