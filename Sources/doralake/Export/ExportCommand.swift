import ArgumentParser
import DoralakeCore
import DoralakeStore
import Foundation

/// `doralake export --connection ID [--since DATE] > FILE`: every stored entity of a connection as
/// batch items (NDJSON, spec §8.2), which `doralake import --connection` reads back: deployments
/// first, then issues (closed ones with their resolution), pull requests and commits.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a connection's stored data as batch items (NDJSON) on standard output.",
        discussion: """
            The output is what `doralake import --connection ID` reads: exporting a connection and importing \
            it into another database's connection gives the same entities and the same metrics. An incident's \
            explicit deploymentConnectionId is written as stored (connection ids differ between databases).
            """)

    @OptionGroup var options: DatabaseOptions
    @Option(help: "The connection id to export.") var connection: Int64
    @Option(help: "Only entities created or changed since this date or instant (RFC 3339 or YYYY-MM-DD).") var since: String?

    /// Items per page read from the store.
    static let pageSize = 500

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
        let counts = try await store.withRunningWriter {
            guard try await store.connection(id: connection) != nil else {
                throw ValidationError("connection \(connection) does not exist (doralake webhook list shows them)")
            }
            let output = ExportOutput()
            var counts: [String: Int] = [:]
            func keep(_ updatedAt: EpochMilliseconds) -> Bool { sinceMillis.map { updatedAt >= $0 } ?? true }

            var deployments = DeploymentFilter()
            deployments.connectionId = connection
            try await Self.forEachPage({ try await store.deployments(deployments, scope: .all, limit: Self.pageSize, cursor: $0) }) {
                for stored in $0 where keep(stored.updatedAt) {
                    var deployment = stored.deployment
                    deployment.commits = stored.commits.map(\.commit)
                    output.write(BatchPayload.item(deployment))
                    counts["deployments", default: 0] += 1
                }
            }
            var issues = IssueFilter()
            issues.connectionId = connection
            try await Self.forEachPage({ try await store.issues(issues, scope: .all, limit: Self.pageSize, cursor: $0) }) {
                for stored in $0 where keep(stored.updatedAt) {
                    output.write(BatchPayload.item(stored.issue))
                    counts["issues", default: 0] += 1
                }
            }
            var pullRequests = PullRequestFilter()
            pullRequests.connectionId = connection
            try await Self.forEachPage({ try await store.pullRequests(pullRequests, scope: .all, limit: Self.pageSize, cursor: $0) }) {
                for stored in $0 where keep(stored.updatedAt) {
                    output.write(BatchPayload.item(stored.pullRequest))
                    counts["pull requests", default: 0] += 1
                }
            }
            var commits = CommitFilter()
            commits.connectionId = connection
            // One item per page of commits (the commits route takes up to 10 000 at once).
            try await Self.forEachPage({ try await store.commits(commits, scope: .all, limit: 1_000, cursor: $0) }) {
                let kept = $0.filter { keep($0.updatedAt) }.map(\.commit)
                if !kept.isEmpty {
                    output.write(BatchPayload.item(kept))
                    counts["commits", default: 0] += kept.count
                }
            }
            output.flush()
            return counts
        }
        let summary = ["deployments", "issues", "pull requests", "commits"].map { "\(counts[$0] ?? 0) \($0)" }
        FileHandle.standardError.write(Data("exported \(summary.joined(separator: ", "))\n".utf8))
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
