import ArgumentParser
import DoralakeCore
import DoralakeStore
import Foundation

/// `doralake export [--connection ID | --project NAME] [--since DATE] > FILE`: stored entities as
/// batch items (NDJSON, spec §8.2), which `doralake import` reads back: per connection, deployments
/// first, then issues (closed ones with their resolution), pull requests and commits. One
/// connection's export is plain batch items (`import --connection` takes it); a project's, or
/// everything (no filter), puts an ``ExportSection`` line before each connection's items and one
/// per project at the end.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored data as batch items (NDJSON) on standard output.",
        discussion: """
            --connection ID writes that connection's items, which `doralake import --connection ID` reads into \
            another connection. --project NAME writes the project's connections, and no filter every connection \
            and project: each connection's items follow a {"type":"connection","payload":{"name":…}} line, and \
            `doralake import --database URL FILE` (without --connection) puts them into the connections of the \
            same names (created when missing) and re-creates the projects. Exporting and importing gives the \
            same entities and the same metrics. An incident's explicit deploymentConnectionId is written as \
            stored (connection ids differ between databases).
            """)

    @OptionGroup var options: DatabaseOptions
    @Option(help: "Only this connection (plain batch items).") var connection: Int64?
    @Option(help: "Only the connections of this project (with connection and project lines).") var project: String?
    @Option(help: "Only entities created or changed since this date or instant (RFC 3339 or YYYY-MM-DD).") var since: String?

    /// Items per page read from the store.
    static let pageSize = 500

    func validate() throws {
        if connection != nil && project != nil { throw ValidationError("--connection and --project exclude each other") }
    }

    func run() async throws {
        let environment = Environment()
        let sinceMillis: EpochMilliseconds?
        if let since {
            guard case .instant(let millis, _) = DateParser().parse(since) else {
                throw ValidationError("--since: cannot parse \"\(since)\" as a date (RFC 3339, e.g. 2024-01-10T17:30:00Z, or YYYY-MM-DD)")
            }
            sinceMillis = millis
        } else {
            sinceMillis = nil
        }
        let (store, _, _) = try await options.openStore(environment, logger: try options.logger(environment))
        let connection = self.connection
        let project = self.project
        let (counts, connectionCount) = try await store.withRunningWriter {
            let output = ExportOutput()
            var counts: [String: Int] = [:]
            if let connection {
                guard try await store.connection(id: connection) != nil else {
                    throw ValidationError("connection \(connection) does not exist (doralake webhook list shows them)")
                }
                try await Self.export(connection: connection, from: store, since: sinceMillis, to: output, counts: &counts)
                output.flush()
                return (counts, 1)
            }
            let connections = try await store.connections()
            let projects: [ProjectRecord]
            if let project {
                guard let record = try await store.project(named: project) else {
                    throw ValidationError("project \(project) does not exist (doralake project list shows them)")
                }
                projects = [record]
            } else {
                projects = try await store.projects()
            }
            let exported = project == nil ? connections : connections.filter { projects[0].connectionIds.contains($0.id) }
            for record in exported {
                output.write(ExportSection.connection(name: record.name).item)
                try await Self.export(connection: record.id, from: store, since: sinceMillis, to: output, counts: &counts)
            }
            let names = Dictionary(uniqueKeysWithValues: connections.map { ($0.id, $0.name) })
            for record in projects {
                output.write(ExportSection.project(name: record.name, connections: record.connectionIds.compactMap { names[$0] }).item)
            }
            output.flush()
            return (counts, exported.count)
        }
        let summary = ["deployments", "issues", "pull requests", "commits"].map { "\(counts[$0] ?? 0) \($0)" }
        let scope = connection != nil ? "" : " of \(connectionCount) connection\(connectionCount == 1 ? "" : "s")"
        FileHandle.standardError.write(Data("exported \(summary.joined(separator: ", "))\(scope)\n".utf8))
    }

    /// Writes one connection's entities as batch items.
    static func export(
        connection: Int64, from store: Store, since sinceMillis: EpochMilliseconds?, to output: ExportOutput,
        counts: inout [String: Int]
    ) async throws {
        func keep(_ updatedAt: EpochMilliseconds) -> Bool { sinceMillis.map { updatedAt >= $0 } ?? true }
        /// Writes every kept entity of a paged list as one batch item each.
        func exportEach<Stored: Sendable>(
            _ label: String, _ read: (String?) async throws -> Page<Stored>, updatedAt: (Stored) -> EpochMilliseconds,
            item: (Stored) -> JSONValue
        ) async throws {
            try await forEachPage(read) {
                for stored in $0 where keep(updatedAt(stored)) {
                    output.write(item(stored))
                    counts[label, default: 0] += 1
                }
            }
        }
        var deployments = DeploymentFilter()
        deployments.connectionId = connection
        try await exportEach("deployments", { try await store.deployments(deployments, scope: .all, limit: pageSize, cursor: $0) },
            updatedAt: \.updatedAt) { stored in
            var deployment = stored.deployment
            deployment.commits = stored.commits.map(\.commit)
            return BatchPayload.item(deployment)
        }
        var issues = IssueFilter()
        issues.connectionId = connection
        try await exportEach("issues", { try await store.issues(issues, scope: .all, limit: pageSize, cursor: $0) },
            updatedAt: \.updatedAt) { BatchPayload.item($0.issue) }
        var pullRequests = PullRequestFilter()
        pullRequests.connectionId = connection
        try await exportEach("pull requests", { try await store.pullRequests(pullRequests, scope: .all, limit: pageSize, cursor: $0) },
            updatedAt: \.updatedAt) { BatchPayload.item($0.pullRequest) }
        var commits = CommitFilter()
        commits.connectionId = connection
        // One item per page of commits (the commits route takes up to 10 000 at once).
        try await forEachPage({ try await store.commits(commits, scope: .all, limit: 1_000, cursor: $0) }) {
            let kept = $0.filter { keep($0.updatedAt) }.map(\.commit)
            if !kept.isEmpty {
                output.write(BatchPayload.item(kept))
                counts["commits", default: 0] += kept.count
            }
        }
    }
}

extension ExportCommand {
    /// Reads a paged list from its first page to its last, handing each page's items to `body`.
    static func forEachPage<Item: Sendable>(
        _ read: (String?) async throws -> Page<Item>, _ body: ([Item]) throws -> Void
    ) async throws {
        var cursor: String? = nil
        repeat {
            let page = try await read(cursor)
            try body(page.items)
            cursor = page.nextCursor
        } while cursor != nil
    }
}

/// Buffered NDJSON on standard output.
final class ExportOutput: @unchecked Sendable {
    private var buffer: [UInt8] = []

    func write(_ item: JSONValue) {
        buffer += item.serializedBytes()
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
