import DoralakeCore
import DoralakeStore
import Logging

/// The batch route (spec §8.2): a JSON array of items or NDJSON (one item per line, chosen when
/// the first non-blank byte is not `[`), each item `{"type": T, "payload": {…}}`, applied in order
/// with per-item atomicity. An array that is not valid JSON, or more items than
/// `ingest.maxBatchItems`, refuses the whole request; an NDJSON line that is not valid JSON, an
/// unknown type or an invalid payload fails only its item. A body holding the connection lines of
/// an export of several connections is refused as a whole (it mixes connections).
struct BatchIngest {
    let store: Store
    let configuration: ServerConfiguration
    let logger: Logger

    /// The item types, as sent (matched case-insensitively).
    static let types = ["deployment", "issue", "issue_close", "pull_request", "commit"]

    /// One item as read from the body: its JSON value, or why it could not be read.
    struct ReadItem {
        /// The 1-based line of an NDJSON item (nil in a JSON array).
        var line: Int?
        var value: Result<JSONValue, APIError>
    }

    /// Splits the body into items.
    /// - Throws: 400 for an empty body, an invalid JSON array or a value that is not an array, or
    ///   more items than allowed.
    func readItems(_ bytes: [UInt8]) throws -> [ReadItem] {
        guard let first = bytes.first(where: { !Self.isBlank($0) }) else {
            throw APIError.badRequest("the batch body is empty; send a JSON array of items or NDJSON (one item per line)")
        }
        if first == UInt8(ascii: "[") {
            let document: JSONParser.Document
            do {
                document = try JSONParser.parse(bytes)
            } catch {
                throw APIError.badRequest("the batch body is not a valid JSON array: \(error)")
            }
            guard case .array(let values) = document.value else {
                throw APIError.badRequest("the batch body must be a JSON array, not \(document.value.typeName)")
            }
            try checkCount(values.count)
            return values.map { ReadItem(line: nil, value: .success($0)) }
        }
        var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        var start = bytes.startIndex
        var number = 1
        while start <= bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let line = bytes[start..<end]
            if !line.allSatisfy(Self.isBlank) {
                lines.append((number, line))
                try checkCount(lines.count)
            }
            number += 1
            start = end + 1
        }
        return lines.map { line in
            do {
                let document = try JSONParser.parse(line.bytes)
                if document.hasTrailingData {
                    return ReadItem(line: line.number, value: .failure(.badRequest("line \(line.number): data after the JSON value; put one item per line")))
                }
                return ReadItem(line: line.number, value: .success(document.value))
            } catch {
                return ReadItem(line: line.number, value: .failure(.badRequest("line \(line.number): invalid JSON: \(error)")))
            }
        }
    }

    /// The types of the lines `doralake export` writes between the items of several connections.
    static let sectionTypes = ["connection", "project"]

    /// A batch goes to one connection: a body holding the connection lines of an export of several
    /// connections would put every connection's items into this one, so nothing of it is applied.
    /// - Throws: 400 naming the first such item.
    func refuseSeveralConnections(_ items: [ReadItem]) throws {
        for (index, item) in items.enumerated() {
            guard case .success(let value) = item.value, case .string(let type)? = value["type"],
                Self.sectionTypes.contains(type.lowercased())
            else { continue }
            let position = item.line.map { "line \($0)" } ?? "item \(index)"
            throw APIError.badRequest(
                "\(position) is a \"\(type.lowercased())\" line of an export of several connections; a batch is applied to one connection, so nothing was applied: post each connection's items to its own batch route, or use doralake import --database URL FILE")
        }
    }

    private func checkCount(_ count: Int) throws {
        guard count <= configuration.maxBatchItems else {
            throw APIError.badRequest(
                "the batch has more than \(configuration.maxBatchItems) items (ingest.maxBatchItems); split it into several requests")
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// One item decoded for the store, with what its answer needs.
    struct DecodedItem {
        var index: Int
        var line: Int?
        /// The type as named by the client (lowercased), or nil when it named none.
        var type: String?
        var context: DecodingContext
        var outcome: Result<BatchWrite, APIError>
    }

    /// Decodes one item's `type` and `payload` with the route of that type.
    func decode(_ item: ReadItem, index: Int, connectionId: Int64, receivedAt: EpochMilliseconds) -> DecodedItem {
        let context = DecodingContext(receivedAt: receivedAt, dateParser: DateParser(zonelessTimeZone: configuration.zonelessTimeZone))
        var decoded = DecodedItem(index: index, line: item.line, type: nil, context: context, outcome: .failure(.badRequest("")))
        let prefix = item.line.map { "line \($0): " } ?? ""
        do {
            let value = try item.value.get()
            guard case .object = value else {
                throw APIError.badRequest("\(prefix)an item must be a JSON object {\"type\": …, \"payload\": {…}}, not \(value.typeName)")
            }
            guard case .string(let typeText)? = value["type"] else {
                throw APIError.badRequest("\(prefix)type: required, one of \(Self.types.joined(separator: ", "))")
            }
            let type = typeText.lowercased()
            guard Self.types.contains(type) else {
                throw APIError.badRequest("\(prefix)type: \"\(EchoLimit.clip(typeText))\" is not one of \(Self.types.joined(separator: ", "))")
            }
            decoded.type = type
            guard case .object(let members)? = value["payload"] else {
                throw APIError.badRequest("\(prefix)payload: required, the JSON object the \(type) route takes")
            }
            decoded.outcome = .success(try Self.write(type, members, connectionId: connectionId, context: context))
        } catch {
            decoded.outcome = .failure(APIError.from(error, logger: logger))
        }
        return decoded
    }

    private static func write(_ type: String, _ members: [JSONMember], connectionId: Int64, context: DecodingContext) throws -> BatchWrite {
        switch type {
        case "deployment": return .deployment(try DeploymentDecoder.decode(members, connectionId: connectionId, context: context))
        case "issue": return .issue(try IssueDecoder.decode(members, connectionId: connectionId, context: context))
        case "issue_close": return .issueClose(try IssueClose.decode(members, pathKey: nil, context: context))
        case "pull_request": return .pullRequest(try PullRequestDecoder.decode(members, connectionId: connectionId, context: context))
        default: return .commits(try CommitDecoder.decode(members, connectionId: connectionId, context: context))
        }
    }

    /// Reads, decodes and applies a batch; answers the per-item results.
    func handle(bytes: [UInt8], connectionId: Int64, event: EventDraft) async throws -> (eventId: Int64, data: JSONValue) {
        let read = try readItems(bytes)
        try refuseSeveralConnections(read)
        let decoded = read.enumerated().map { decode($0.element, index: $0.offset, connectionId: connectionId, receivedAt: event.timeForDefaults) }
        let items: [BatchItem] = decoded.map { item in
            switch item.outcome {
            case .success(let write): return .write(write)
            case .failure(let error): return .refused(status: Int(error.status.code))
            }
        }
        let logger = self.logger
        let applied = try await store.applyBatch(
            items, connectionId: connectionId, event: event, statusOf: { Int(APIError.from($0, logger: logger).status.code) })
        var results: [JSONValue] = []
        var accepted = 0
        for (item, stored) in zip(decoded, applied.result) {
            var members: [JSONMember] = [JSONMember("index", .int(Int64(item.index)))]
            if let line = item.line { members.append(JSONMember("line", .int(Int64(line)))) }
            members.append(JSONMember("type", item.type.map { .string($0) } ?? .null))
            let failure: APIError?
            switch (item.outcome, stored) {
            case (.failure(let error), _): failure = error
            case (.success, .failure(let error)?): failure = APIError.from(error, logger: logger)
            case (.success(let write), .success(let result)?):
                failure = nil
                accepted += 1
                members += [
                    JSONMember("status", 200), JSONMember("success", true),
                    JSONMember("data", .object(Self.data(of: write, result, connectionId: connectionId, context: item.context))),
                ]
            case (.success, nil): failure = APIError(status: .internalServerError, message: "item not applied")
            }
            if let failure {
                members += [
                    JSONMember("status", .int(Int64(failure.status.code))), JSONMember("success", false),
                    JSONMember("message", .string(EchoLimit.clip(failure.message))),
                    JSONMember("causes", failure.causes.map { .array($0.prefix(EchoLimit.entries).map { .string(EchoLimit.clip($0)) }) } ?? .null),
                ]
            }
            results.append(.object(members))
        }
        return (applied.eventId, .object([
            JSONMember("total", .int(Int64(decoded.count))), JSONMember("accepted", .int(Int64(accepted))),
            JSONMember("rejected", .int(Int64(decoded.count - accepted))), JSONMember("eventId", .int(applied.eventId)),
            JSONMember("results", .array(results)),
        ]))
    }

    /// An applied item's `data`: what its single route answers, without the request's event id.
    private static func data(of write: BatchWrite, _ result: BatchWriteResult, connectionId: Int64, context: DecodingContext) -> [JSONMember] {
        switch (write, result) {
        case (.deployment(let deployment), .deployment(let written)):
            return [
                JSONMember("deploymentId", .string(deployment.id)), JSONMember("outcome", .string(written.outcome.rawValue)),
                JSONMember("commitIds", .array(written.commitIds.map { .string($0) })),
                JSONMember("removedCommitIds", .array(written.removedCommitIds.map { .string($0) })),
                JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ]
        case (.issue(let issue), .issue(let outcome)):
            return [
                JSONMember("issueId", .string(issue.devLakeId)), JSONMember("issueKey", .string(issue.issueKey)),
                JSONMember("isIncident", .bool(issue.isIncident)), JSONMember("outcome", .string(outcome.rawValue)),
                JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ]
        case (.issueClose, .issueClose(let closed)):
            return [
                JSONMember("issueId", .string(closed.issue.devLakeId)), JSONMember("status", .string(closed.issue.status)),
                JSONMember("resolutionDate", RecordJSON.time(closed.issue.resolutionDate)),
                JSONMember("leadTimeMinutes", .int(orNull: closed.issue.leadTimeMinutes)),
                JSONMember("outcome", .string(closed.outcome.rawValue)), JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ]
        case (.pullRequest(let pullRequest), .pullRequest(let written)):
            if let previous = written.previousRepoUrl, previous != pullRequest.repoUrl {
                context.warn(
                    "pull_request_repo_changed", "repoUrl",
                    "pull request \(pullRequest.pullRequestKey) moved from \(previous) to \(pullRequest.repoUrl ?? "no repo")")
            }
            return [
                JSONMember("pullRequestId", .string(pullRequest.devLakeId)), JSONMember("repoUrl", .string(orNull: pullRequest.repoUrl)),
                JSONMember("outcome", .string(written.outcome.rawValue)), JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ]
        case (_, .commits(let written)):
            return [
                JSONMember("created", .int(Int64(written.created))), JSONMember("updated", .int(Int64(written.updated))),
                JSONMember("unchanged", .int(Int64(written.unchanged))), JSONMember("commitIds", .array(written.commitIds.map { .string($0) })),
                JSONMember("warnings", RecordJSON.warnings(context.warnings)),
            ]
        default:
            return []
        }
    }
}
