import ArgumentParser
import AsyncHTTPClient
import DoralakeCore
import DoralakeServer
import DoralakeStore
import Foundation

/// `doralake import --connection ID FILE|-`: streams batch items (NDJSON or a JSON array, spec
/// §8.2 form) into a connection, in batches, straight into the database or through a running
/// server's batch route. Without `--connection` (and with `--database`), a file of several
/// connections (``ExportSection`` lines, from `doralake export --project` or `export`) goes into
/// the connections of the same names, created when missing, and its projects are re-created.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import batch items (NDJSON or a JSON array of {\"type\",\"payload\"}) into a connection.",
        discussion: """
            Items are applied in file order, in batches; each item on its own (a failing item does not \
            affect the others). Re-running the same file is harmless: every item is an upsert. The exit \
            status is 0 only when no item was rejected (see --allow-rejected). A file of several connections \
            (`doralake export --project NAME`, or `doralake export` without a filter) is imported with --database \
            and without --connection: each part goes into the connection of the same name (created, with a new \
            key, when missing: rotate it with `doralake webhook rotate-key` to send to it), and the projects are \
            created or completed.
            """)

    @OptionGroup var options: DatabaseOptions
    @Option(help: "The connection id to import into (not for a file of several connections).") var connection: Int64?
    @Argument(help: "The file to read, or - for standard input.") var file: String = "-"
    @Option(help: "A running server's base URL (e.g. http://127.0.0.1:8080) instead of --database.") var url: String?
    @Option(help: "With --url: the admin token or the connection's key (env DORALAKE_TOKEN).") var token: String?
    @Option(help: "Items per batch, 1–10000 (default 1000; a server allows ingest.maxBatchItems).") var batchSize: Int = 1_000
    @Flag(help: "Exit 0 even when items were rejected.") var allowRejected = false

    /// Rejected items listed in the summary.
    static let listedRejections = 10

    func run() async throws {
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 10000") }
        let environment = Environment()
        let input: FileHandle
        var size: Int? = nil
        if file == "-" {
            input = FileHandle.standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
            input = handle
            size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        }
        let summary: ImportSummary
        if let url {
            guard let token = token ?? environment["DORALAKE_TOKEN"] else {
                throw ValidationError("--url needs --token (or DORALAKE_TOKEN): the admin token or the connection's key")
            }
            guard let connection else {
                throw ValidationError(
                    "--url needs --connection; a file of several connections (doralake export --project, or without a filter) is imported with --database")
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let target = ServerBatchTarget(
                    client: client, url: ServerAddress.base(url), token: token, connectionId: connection)
                summary = try await Self.importItems(from: input, size: size, into: target, sections: nil, batchSize: batchSize)
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        } else {
            let logger = try options.logger(environment)
            let (store, hasher, _) = try await options.openStore(environment, logger: logger)
            let connection = self.connection
            let batchSize = self.batchSize
            let size = size
            summary = try await store.withRunningWriter {
                if let connection, try await store.connection(id: connection) == nil {
                    throw ValidationError("connection \(connection) does not exist (doralake webhook list shows them)")
                }
                var configuration = ServerConfiguration()
                configuration.maxBatchItems = batchSize
                let importer = DirectBatchImporter(store: store, configuration: configuration, logger: logger)
                let target = connection.map { DatabaseBatchTarget(importer: importer, connectionId: $0) }
                let sections: SectionHandler?
                if connection == nil {
                    let connections = SectionConnections(store: store, hasher: hasher, importer: importer)
                    sections = { try await connections.target(after: $0) }
                } else {
                    sections = nil
                }
                var summary = try await Self.importItems(from: input, size: size, into: target, sections: sections, batchSize: batchSize)
                // Derived data (links, attribution, rework, the chain) is complete when this returns.
                let started = ContinuousClock.now
                var lastReport = started
                while case let pending = try await store.derivationBacklog().pending, pending > 0 {
                    if ContinuousClock.now - lastReport >= .seconds(5) {
                        lastReport = ContinuousClock.now
                        FileHandle.standardError.write(Data("import: deriving, \(pending) changes pending\n".utf8))
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                summary.derivationSeconds = (ContinuousClock.now - started).seconds
                return summary
            }
        }
        print(summary.report())
        if let failure = summary.failure { throw ImportFailure(description: failure) }
        if summary.rejected > 0 && !allowRejected { throw ExitCode(1) }
    }

    /// What a file's ``ExportSection`` line does: the target of the items after it (nil: the same).
    typealias SectionHandler = @Sendable (ExportSection) async throws -> (any BatchTarget)?

    /// Reads, batches and sends every item; the summary says what happened (and why it stopped early).
    /// `target` is nil when the items' connection comes from the file's section lines (`sections`).
    static func importItems(
        from input: FileHandle, size: Int?, into target: (any BatchTarget)?, sections: SectionHandler?, batchSize: Int
    ) async throws -> ImportSummary {
        var target = target
        var reader = BatchItemReader(handle: input)
        var summary = ImportSummary()
        let progress = ImportProgress(label: "import", total: size)
        var batch: [BatchItemReader.Item] = []
        func flush() async throws {
            guard !batch.isEmpty, let format = reader.format else { return }
            let body: [UInt8]
            switch format {
            case .ndjson: body = Array(batch.map { $0.bytes }.joined(separator: [UInt8(ascii: "\n")]))
            case .array: body = [UInt8(ascii: "[")] + Array(batch.map { $0.bytes }.joined(separator: [UInt8(ascii: ",")])) + [UInt8(ascii: "]")]
            }
            guard let destination = target else {
                throw ImportFailure(
                    description: "--connection is needed: the file does not start with a {\"type\":\"connection\"} line (doralake export --project writes them)")
            }
            let data = try await destination.send(body, format: format)
            summary.add(results: data["results"], positions: batch.map(\.position), format: format)
            batch.removeAll(keepingCapacity: true)
            progress.update(items: summary.total, accepted: summary.accepted, rejected: summary.rejected, done: reader.bytesRead)
        }
        do {
            while let item = try reader.next() {
                // An array element that is not valid JSON would refuse its whole batch: it is
                // reported here and not sent.
                if reader.format == .array, case .failure(let error) = Result(catching: { try JSONParser.parse(item.bytes) }) {
                    summary.reject(position: item.position, format: .array, message: "invalid JSON: \(error)")
                    continue
                }
                if let section = ExportSection.parse(item.bytes) {
                    guard let sections else {
                        throw ImportFailure(description: "\(ImportSummary.label(item.position, reader.format ?? .ndjson)) starts the data of a connection (a file of several connections, from doralake export --project or without a filter): import it with --database and without --connection")
                    }
                    try await flush()
                    if let next = try await sections(section) { target = next }
                    continue
                }
                batch.append(item)
                if batch.count >= batchSize { try await flush() }
            }
            try await flush()
        } catch let malformed as BatchItemReader.Malformed {
            try await flush()
            summary.failure = "the input stopped being a JSON array: \(malformed.description)"
        } catch let failure as ImportFailure {
            summary.failure = failure.description
        }
        progress.update(items: summary.total, accepted: summary.accepted, rejected: summary.rejected, done: reader.bytesRead, force: true)
        progress.finish()
        return summary
    }
}

/// Counts of an import and its first rejected items.
struct ImportSummary {
    var total = 0
    var accepted = 0
    var rejected = 0
    var outcomes: [String: Int] = [:]
    var rejections: [(position: String, message: String)] = []
    /// Why the import stopped before the end of the input.
    var failure: String? = nil
    /// With `--database`: seconds from the last item until derived data was complete.
    var derivationSeconds: Double? = nil

    static func label(_ position: Int, _ format: BatchItemReader.Format) -> String {
        format == .ndjson ? "line \(position)" : "item \(position)"
    }

    mutating func reject(position: Int, format: BatchItemReader.Format, message: String) {
        total += 1
        rejected += 1
        if rejections.count < ImportCommand.listedRejections { rejections.append((Self.label(position, format), message)) }
    }

    mutating func add(results: JSONValue?, positions: [Int], format: BatchItemReader.Format) {
        guard case .array(let items)? = results else { return }
        for item in items {
            guard case .number(let indexText)? = item["index"], let index = Int(indexText), index < positions.count else { continue }
            if item["success"] == .bool(true) {
                total += 1
                accepted += 1
                if case .string(let outcome)? = item["data"]?["outcome"] { outcomes[outcome, default: 0] += 1 }
            } else {
                var message = if case .string(let text)? = item["message"] { text } else { "rejected" }
                // The server numbers lines within its batch: the file's position replaces that.
                if message.hasPrefix("line "), let colon = message.firstIndex(of: ":") {
                    message = String(message[message.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                }
                if case .array(let causes)? = item["causes"], !causes.isEmpty {
                    message += " (" + causes.compactMap { if case .string(let cause) = $0 { cause } else { nil } }.joined(separator: "; ") + ")"
                }
                reject(position: positions[index], format: format, message: message)
            }
        }
    }

    func report() -> String {
        var lines = ["imported \(total) items: \(accepted) accepted, \(rejected) rejected"]
        if !outcomes.isEmpty {
            lines[0] += " (" + outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"
        }
        if !rejections.isEmpty {
            lines.append(rejected > rejections.count ? "first \(rejections.count) rejected items:" : "rejected items:")
            for rejection in rejections { lines.append("  \(rejection.position): \(rejection.message)") }
        }
        if let derivationSeconds { lines.append(String(format: "derived data complete %.1f s after the last item", derivationSeconds)) }
        if let failure { lines.append("stopped early: \(failure)") }
        return lines.joined(separator: "\n")
    }
}
