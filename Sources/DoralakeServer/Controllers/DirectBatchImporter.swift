import DoralakeCore
import DoralakeStore
import Logging

/// Applies batch bodies straight to a store exactly as `POST …/batch` does (spec §8.2), for
/// `doralake import --database`: the same parsing, decoding, per-item atomicity and answer, one
/// event-log entry per body (path `doralake import`, principal `admin`).
public struct DirectBatchImporter: Sendable {
    /// A body refused as a whole (invalid JSON array, too many items).
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    let store: Store
    let configuration: ServerConfiguration
    let logger: Logger

    public init(store: Store, configuration: ServerConfiguration = ServerConfiguration(), logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// Applies one batch body (a JSON array or NDJSON) to connection `connectionId`.
    /// - Returns: the batch answer's `data` (`total`, `accepted`, `rejected`, `eventId`, `results`).
    /// - Throws: ``Refused`` for a body refused as a whole; store errors (unavailable) as they are.
    public func apply(body: [UInt8], connectionId: Int64, receivedAt: EpochMilliseconds) async throws -> JSONValue {
        let event = EventDraft(
            receivedAt: receivedAt, method: "POST", path: "doralake import", route: IngestRoute.batch.name,
            connectionId: connectionId, projectName: nil, principal: "admin", status: 200, message: "success",
            contentType: "application/x-ndjson", bodySize: body.count, bodySha256: IngestController.sha256(body),
            body: String(decoding: body, as: UTF8.self), bodyTruncated: false)
        do {
            return try await BatchIngest(store: store, configuration: configuration, logger: logger)
                .handle(bytes: body, connectionId: connectionId, event: event).data
        } catch let error as APIError where error.status != .serviceUnavailable {
            throw Refused(description: error.message)
        }
    }
}
