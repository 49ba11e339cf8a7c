import DoralakeCore
import DoralakeStore
import Logging

/// Replays stored ingest requests straight on a store exactly as `POST /api/v1/events/{id}/replay`
/// does (spec §11), for `doralake events replay --database`: today's rules, the original receipt
/// time for defaults, a new event with `replayOf` and the admin as principal.
public struct EventReplayer: Sendable {
    /// The outcome of one replay: the HTTP status and envelope the route would answer.
    public struct Outcome: Sendable {
        public var status: Int
        /// The answer's envelope (`data` on success; `message`, `causes` on failure).
        public var body: JSONValue
        /// The new event's id, when one was recorded.
        public var eventId: Int64?
    }

    let store: Store
    let ingest: IngestController
    let logger: Logger

    public init(store: Store, keyHasher: KeyHasher, configuration: ServerConfiguration = ServerConfiguration(), logger: Logger) {
        self.store = store
        self.logger = logger
        let credentials = ServerCredentials(keyHasher: keyHasher, adminToken: AdminTokenHash())
        self.ingest = IngestController(
            store: store, authenticator: Authenticator(store: store, credentials: credentials), configuration: configuration,
            logger: logger)
    }

    /// Replays event `id`; a refusal (unknown event, truncated body, connection gone) is an
    /// outcome with its status and message, like any answer.
    public func replay(id: Int64) async -> Outcome {
        do {
            guard let event = try await store.event(id: id) else {
                throw APIError.notFound("event not found: \(id)", causes: ["record not found"])
            }
            let answer = try await ingest.replay(event, principal: .admin, receivedAt: store.clock.now())
            return Outcome(status: Int(answer.status.code), body: answer.body, eventId: answer.eventId)
        } catch {
            let apiError = APIError.from(error, logger: logger)
            return Outcome(status: Int(apiError.status.code), body: apiError.envelope(eventId: nil), eventId: nil)
        }
    }
}
