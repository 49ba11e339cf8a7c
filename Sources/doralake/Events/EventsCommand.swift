import ArgumentParser
import AsyncHTTPClient
import DoralakeCore
import DoralakeServer
import DoralakeStore
import Foundation
import NIOCore
import NIOHTTP1

/// `doralake events list|show|replay`: the raw event log (spec §11), on the database or through a
/// running server (`--url`, `--token`: the admin token).
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Read and replay the raw event log.",
        subcommands: [EventsList.self, EventsShow.self, EventsReplay.self])
}

/// Where the event commands read: the database, or a server's `/api/v1/events`.
struct EventSource: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @Option(help: "A running server's base URL instead of --database.") var url: String?
    @Option(help: "With --url: the admin token (env DORALAKE_ADMIN_TOKEN).") var token: String?

    /// Runs `body` with a client of the chosen source.
    func withClient<T: Sendable>(_ body: @Sendable (any EventLogClient) async throws -> T) async throws -> T {
        let environment = Environment()
        if let url {
            guard let token = token ?? environment["DORALAKE_ADMIN_TOKEN"] else {
                throw ValidationError("--url needs --token (or DORALAKE_ADMIN_TOKEN): the admin token")
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let value = try await body(ServerEventLog(client: client, url: ServerAddress.base(url), token: token))
                try await client.shutdown()
                return value
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        let logger = try database.logger(environment)
        let (store, keyHasher, _) = try await database.openStore(environment, logger: logger)
        return try await store.withRunningWriter {
            try await body(StoreEventLog(store: store, replayer: EventReplayer(store: store, keyHasher: keyHasher, logger: logger)))
        }
    }
}

/// The event log as JSON values, as the API answers them.
protocol EventLogClient: Sendable {
    /// One page: the events (without bodies) and the next cursor.
    func list(_ filter: EventFilter, limit: Int, cursor: String?) async throws -> (items: [JSONValue], next: String?)
    /// One event with its body, or nil.
    func show(id: Int64) async throws -> JSONValue?
    /// Replays one event: the status and envelope answered.
    func replay(id: Int64) async throws -> (status: Int, body: JSONValue)
}

struct StoreEventLog: EventLogClient {
    let store: Store
    let replayer: EventReplayer

    func list(_ filter: EventFilter, limit: Int, cursor: String?) async throws -> (items: [JSONValue], next: String?) {
        let page = try await store.events(filter, limit: limit, cursor: cursor)
        return (page.items.map { EventJSON.json($0, withBody: false) }, page.nextCursor)
    }

    func show(id: Int64) async throws -> JSONValue? {
        try await store.event(id: id).map { EventJSON.json($0, withBody: true) }
    }

    func replay(id: Int64) async throws -> (status: Int, body: JSONValue) {
        let outcome = await replayer.replay(id: id)
        return (outcome.status, outcome.body)
    }
}

struct ServerEventLog: EventLogClient {
    let client: HTTPClient
    let url: String
    let token: String

    private func send(_ method: NIOHTTP1.HTTPMethod, _ path: String) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        do {
            let response = try await client.execute(request, timeout: .seconds(120))
            let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
            return (Int(response.status.code), (try? JSONParser.parse(text).value) ?? .null)
        } catch {
            throw ValidationError("cannot reach \(url): \(error)")
        }
    }

    private func data(_ answer: (status: Int, body: JSONValue)) throws -> JSONValue {
        guard answer.status == 200, let data = answer.body["data"] else {
            let message: String = if case .string(let text)? = answer.body["message"] { text } else { "no answer" }
            throw ValidationError("the server answered \(answer.status): \(message)")
        }
        return data
    }

    func list(_ filter: EventFilter, limit: Int, cursor: String?) async throws -> (items: [JSONValue], next: String?) {
        var query: [(String, String)] = [("limit", String(limit))]
        if let connectionId = filter.connectionId { query.append(("connectionId", String(connectionId))) }
        if let route = filter.route { query.append(("route", route)) }
        if let accepted = filter.accepted { query.append(("status", accepted ? "accepted" : "rejected")) }
        if let status = filter.status { query.append(("status", String(status))) }
        if let from = filter.receivedFrom { query.append(("from", Timestamp.format(from))) }
        if let cursor { query.append(("cursor", cursor)) }
        let text = query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }.joined(separator: "&")
        let data = try data(try await send(.GET, "/api/v1/events?" + text))
        let items: [JSONValue] = if case .array(let values)? = data["items"] { values } else { [] }
        let next: String? = if case .string(let cursor)? = data["nextCursor"] { cursor } else { nil }
        return (items, next)
    }

    func show(id: Int64) async throws -> JSONValue? {
        let answer = try await send(.GET, "/api/v1/events/\(id)")
        if answer.status == 404 { return nil }
        return try data(answer)
    }

    func replay(id: Int64) async throws -> (status: Int, body: JSONValue) {
        try await send(.POST, "/api/v1/events/\(id)/replay")
    }
}

/// Filters shared by `list` and `replay`.
struct EventFilterOptions: ParsableArguments {
    @Option(help: "Only this connection's events.") var connection: Int64?
    @Option(help: "Only this route (deployments, issues, issue_close_path, issue_close_body, pull_requests, commits, batch).") var route: String?
    @Option(help: "accepted, rejected, or one status code.") var status: String?
    @Option(help: "Only events received since this date or instant.") var since: String?

    func filter() throws -> EventFilter {
        var filter = EventFilter()
        filter.connectionId = connection
        filter.route = route
        switch status {
        case nil: break
        case "accepted"?: filter.accepted = true
        case "rejected"?: filter.accepted = false
        case let code?:
            guard let number = Int(code) else { throw ValidationError("--status must be accepted, rejected or a status code") }
            filter.status = number
        }
        if let since {
            guard case .instant(let millis, _) = DateParser().parse(since) else {
                throw ValidationError("--since: cannot parse \"\(since)\" as a date")
            }
            filter.receivedFrom = millis
        }
        return filter
    }
}

struct EventsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List events, newest first (one per line).")
    @OptionGroup var source: EventSource
    @OptionGroup var filters: EventFilterOptions
    @Option(help: "Most events to list (default 50).") var limit: Int = 50
    @Flag(help: "Print the events as JSON lines.") var json = false

    func run() async throws {
        let filter = try filters.filter()
        let limit = self.limit
        let json = self.json
        try await source.withClient { client in
            var printed = 0
            var cursor: String? = nil
            repeat {
                let page = try await client.list(filter, limit: min(1000, limit - printed), cursor: cursor)
                for item in page.items {
                    if json {
                        print(item.serialized())
                    } else {
                        let fields = ["id", "receivedAt", "status", "route", "connectionId", "message"].map { key -> String in
                            switch item[key] {
                            case .string(let text)?: return text
                            case .number(let text)?: return text
                            default: return "-"
                            }
                        }
                        print(fields.joined(separator: "\t"))
                    }
                    printed += 1
                }
                cursor = page.next
            } while cursor != nil && printed < limit
        }
    }
}

struct EventsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one event with its body (JSON).")
    @OptionGroup var source: EventSource
    @Argument(help: "The event id.") var id: Int64

    func run() async throws {
        let id = self.id
        let event = try await source.withClient { try await $0.show(id: id) }
        guard let event else { throw ValidationError("event not found: \(id)") }
        print(event.serialized())
    }
}

struct EventsReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Re-run stored requests with today's rules (one event, or every event matching the filters).",
        discussion: """
            With an id, replays that event and prints the answer. With filters (--since is required then), \
            replays every matching original request (not earlier replays), oldest first, with a progress bar \
            and a summary. Exit status 0 only when every replay was accepted.
            """)
    @OptionGroup var source: EventSource
    @OptionGroup var filters: EventFilterOptions
    @Argument(help: "The event id (omit to replay every event matching the filters).") var id: Int64?

    func run() async throws {
        if let id {
            let answer = try await source.withClient { try await $0.replay(id: id) }
            print(answer.body.serialized())
            if !(200..<300).contains(answer.status) { throw ExitCode(1) }
            return
        }
        guard filters.since != nil else { throw ValidationError("give an event id, or --since DATE to replay many") }
        let filter = try filters.filter()
        let (replayed, failures) = try await source.withClient { client in
            var ids: [Int64] = []
            var cursor: String? = nil
            repeat {
                let page = try await client.list(filter, limit: 1000, cursor: cursor)
                for item in page.items where item["replayOf"] == .null || item["replayOf"] == nil {
                    if case .number(let text)? = item["id"], let id = Int64(text) { ids.append(id) }
                }
                cursor = page.next
            } while cursor != nil
            ids.reverse()
            let progress = ImportProgress(label: "replay", total: ids.count)
            var failures: [(id: Int64, status: Int, message: String)] = []
            var failed = 0
            for (index, id) in ids.enumerated() {
                let answer = try await client.replay(id: id)
                if !(200..<300).contains(answer.status) {
                    failed += 1
                    if failures.count < ImportCommand.listedRejections {
                        let message: String = if case .string(let text)? = answer.body["message"] { text } else { "" }
                        failures.append((id, answer.status, message))
                    }
                }
                progress.update(items: index + 1, accepted: index + 1 - failed, rejected: failed, done: index + 1)
            }
            progress.update(items: ids.count, accepted: ids.count - failed, rejected: failed, done: ids.count, force: true)
            progress.finish()
            return ((ids.count, failed), failures)
        }
        print("replayed \(replayed.0) events: \(replayed.0 - replayed.1) accepted, \(replayed.1) rejected")
        for failure in failures { print("  event \(failure.id): \(failure.status) \(failure.message)") }
        if replayed.1 > 0 { throw ExitCode(1) }
    }
}
