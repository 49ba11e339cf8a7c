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

    /// Runs `arguments` and returns standard output; expects exit status 0.
    static func succeed(_ arguments: [String]) async throws -> (output: String, error: String) {
        let run = try await CommandLineTests.run(arguments)
        #expect(run.status == 0, "\(arguments.prefix(2)): \(run.output)\(run.error)")
        return (run.output, run.error)
    }

    /// A project of two connections (and a third connection outside it) exported with `--project`
    /// and imported without `--connection` into an empty database: the connections and the project
    /// are created by name, and the project's entities and metrics are the same.
    static func projectRoundTrip(source: String, target: String, directory: URL) async throws {
        func connection(_ name: String, _ database: String) async throws -> Int64 {
            let created = try await succeed(["webhook", "create", "--name", name, "--database", database])
            return try #require(try JSONParser.parse(created.output).value["id"]?.int)
        }
        let ci = try await connection("ci", source)
        let incidents = try await connection("incidents", source)
        let other = try await connection("other", source)
        _ = try await succeed(["project", "create", "shop", "--connection", String(ci), "--connection", String(incidents), "--database", source])
        let lines = history().split(separator: "\n")
        let deploymentsAndPRs = directory.appendingPathComponent("ci.ndjson")
        try lines.filter { !$0.contains(#""type":"issue"#) }.joined(separator: "\n").write(to: deploymentsAndPRs, atomically: true, encoding: .utf8)
        let issues = directory.appendingPathComponent("issues.ndjson")
        try lines.filter { $0.contains(#""type":"issue"#) }.joined(separator: "\n").write(to: issues, atomically: true, encoding: .utf8)
        let stray = directory.appendingPathComponent("other.ndjson")
        try #"{"type":"deployment","payload":{"id":"stray-1","startedDate":"2024-05-02T09:00:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/x","commitSha":"ffff"}]}}"#
            .write(to: stray, atomically: true, encoding: .utf8)
        _ = try await succeed(["import", "--connection", String(ci), deploymentsAndPRs.path, "--database", source])
        _ = try await succeed(["import", "--connection", String(incidents), issues.path, "--database", source])
        _ = try await succeed(["import", "--connection", String(other), stray.path, "--database", source])

        let exported = try await succeed(["export", "--project", "shop", "--database", source])
        #expect(exported.error.contains("exported 40 deployments, 18 issues, 40 pull requests, 40 commits of 2 connections"), "\(exported.error)")
        let exportedLines = exported.output.split(separator: "\n")
        #expect(exportedLines.first == #"{"type":"connection","payload":{"name":"ci"}}"#)
        #expect(exportedLines.contains(#"{"type":"connection","payload":{"name":"incidents"}}"#))
        #expect(exportedLines.last == #"{"type":"project","payload":{"name":"shop","connections":["ci","incidents"]}}"#)
        #expect(!exported.output.contains("stray-1"), "the connection outside the project is not exported")
        let file = directory.appendingPathComponent("shop.ndjson")
        try exported.output.write(to: file, atomically: true, encoding: .utf8)

        // A file of several connections cannot go into one connection.
        let into = try await CommandLineTests.run(["import", "--connection", String(ci), file.path, "--database", source])
        #expect(into.status != 0)
        #expect(into.output.contains("line 1 starts the data of a connection"), "\(into.output)\(into.error)")

        _ = try await succeed(["migrate", "--database", target])
        let imported = try await succeed(["import", file.path, "--database", target])
        #expect(imported.output.hasPrefix("imported 99 items: 99 accepted, 0 rejected"), "\(imported.output)")
        #expect(imported.error.contains("created connection ci") && imported.error.contains("created project shop"), "\(imported.error)")
        // Again: nothing new, every item unchanged.
        let again = try await succeed(["import", file.path, "--database", target])
        #expect(again.output.hasPrefix("imported 99 items: 99 accepted, 0 rejected"), "\(again.output)")
        #expect(!again.error.contains("created"), "\(again.error)")

        let reexported = try await succeed(["export", "--project", "shop", "--database", target])
        #expect(reexported.output == exported.output)
        let metrics = ["metrics", "--project", "shop", "--from", "2024-05-01", "--to", "2024-05-31", "--format", "json"]
        let before = try await succeed(metrics + ["--database", source])
        let after = try await succeed(metrics + ["--database", target])
        #expect(before.output == after.output)
        // Not trivially equal: the incidents (one connection) count against the deployments (the
        // other), so the project and its connections came back together.
        let report = try JSONParser.parse(before.output).value
        let failures = (report["metrics"] ?? report)["changeFailureRate"]?["numerator"]?.int
        #expect((failures ?? 0) > 0, "\(before.output.prefix(600))")

        // No filter: every connection, and every project.
        let everything = try await succeed(["export", "--database", source])
        #expect(everything.error.contains("of 3 connections"), "\(everything.error)")
        #expect(everything.output.contains(#"{"type":"connection","payload":{"name":"other"}}"#) && everything.output.contains("stray-1"))
        let both = try await CommandLineTests.run(["export", "--connection", String(ci), "--project", "shop", "--database", source])
        #expect(both.status != 0 && both.error.contains("--connection and --project exclude each other"), "\(both.error)")
    }

    @Test("a project's export (several connections) imported without --connection re-creates its connections and project")
    func projectSQLite() async throws {
        try await Self.withSQLitePair { try await Self.projectRoundTrip(source: $0, target: $1, directory: $2) }
    }

    @Test("a project's export and import, PostgreSQL to PostgreSQL", .enabled(if: TestDatabase.postgresURL != nil, "set DORALAKE_TEST_POSTGRES_URL"))
    func projectPostgres() async throws {
        try await Self.withPostgresPair { try await Self.projectRoundTrip(source: $0, target: $1, directory: $2) }
    }

    /// Runs `body` with two new SQLite databases and a scratch directory.
    static func withSQLitePair(_ body: (_ source: String, _ target: String, _ directory: URL) async throws -> Void) async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(
            "sqlite:" + directory.appendingPathComponent("a.sqlite").path,
            "sqlite:" + directory.appendingPathComponent("b.sqlite").path, directory)
    }

    /// Runs `body` with two new PostgreSQL databases and a scratch directory.
    static func withPostgresPair(_ body: @Sendable (_ source: String, _ target: String, _ directory: URL) async throws -> Void) async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestDatabase.postgres.withFreshDatabase { first in
            try await TestDatabase.postgres.withFreshDatabase { second in
                guard case .postgres(let source) = first, case .postgres(let target) = second else { return }
                try await body(source, target, directory)
            }
        }
    }

    @Test("SQLite to SQLite")
    func sqlite() async throws {
        try await Self.withSQLitePair { try await Self.roundTrip(source: $0, target: $1, directory: $2) }
    }

    @Test("PostgreSQL to PostgreSQL", .enabled(if: TestDatabase.postgresURL != nil, "set DORALAKE_TEST_POSTGRES_URL"))
    func postgres() async throws {
        try await Self.withPostgresPair { try await Self.roundTrip(source: $0, target: $1, directory: $2) }
    }
}
