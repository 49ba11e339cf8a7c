import DoralakeCore
import DoralakeStore
import Hummingbird

/// `/webhooks…`: list, create (key shown once), details with URLs and commands, rotate, delete.
/// Admin only; the writes are the connections API's (``ConnectionController``).
extension WebUIController {
    func webhooks(_ call: Call) async throws -> Response {
        try requireAdmin(call)
        return try await webhookList(call, error: nil, name: "", status: .ok)
    }

    private func webhookList(_ call: Call, error: String?, name: String, status: HTTPResponse.Status) async throws
        -> Response
    {
        let list = try await store.connections()
        let projects = try await store.projects()
        var context = call.context
        context.section = .webhooks
        return page(
            WebhooksPage.render(
                connections: list, projects: projects, formError: error, nameValue: name, context: context), status)
    }

    func createWebhook(_ call: Call) async throws -> Response {
        try requireAdmin(call)
        let name = call.form["name"] ?? ""
        let created: (ConnectionRecord, String)
        do {
            let valid = try ConnectionController.validName(.string(name), limit: NameRules.connectionNameLimit)
            created = try await connections.createConnection(name: valid, expiredAt: nil)
        } catch let error as APIError where error.status == .badRequest {
            return try await webhookList(call, error: error.message, name: name, status: .badRequest)
        } catch StoreError.conflict(let message) {
            return try await webhookList(call, error: message, name: name, status: .badRequest)
        }
        return try await webhookPage(created.0, key: created.1, notice: "Webhook created.", call)
    }

    func webhook(_ id: Int64, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        return try await webhookPage(try await connection(id), key: nil, notice: nil, call)
    }

    func rotateWebhookKey(_ id: Int64, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        let found = try await connection(id)
        let (_, plaintext) = try await connections.rotateKey(of: found, expiredAt: nil)
        let rotated = try await connection(id)
        return try await webhookPage(rotated, key: plaintext, notice: "New key created; the old key no longer works.", call)
    }

    func confirmDelete(_ id: Int64, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        let found = try await connection(id)
        let attached = try await store.projects().filter { $0.connectionIds.contains(id) }.map(\.name)
        var context = call.context
        context.section = .webhooks
        return page(DeleteWebhookPage.confirm(found, projects: attached, context: context))
    }

    func deleteWebhook(_ id: Int64, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        let found = try await connection(id)
        let counts = try await store.deleteConnection(id: found.id)
        logger.info("connection deleted", metadata: ["connection.id": "\(found.id)"])
        var context = call.context
        context.section = .webhooks
        return page(DeleteWebhookPage.deleted(found, counts: counts, context: context))
    }

    /// The confirmation of a replay: what the event was, its body, and the button.
    func confirmReplay(_ eventId: Int64, webhook id: Int64, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        let found = try await connection(id)
        let event = try await webhookEvent(eventId, of: found)
        var context = call.context
        context.section = .webhooks
        return page(ReplayEventPage.confirm(event, connection: found, context: context))
    }

    /// Replays a stored request (as `POST /api/v1/events/{id}/replay`) and shows the webhook page
    /// with the outcome.
    func replayEvent(_ eventId: Int64, webhook id: Int64, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        let found = try await connection(id)
        let event = try await webhookEvent(eventId, of: found)
        let notice: String
        do {
            let answer = try await ingest.replay(event, principal: .admin, receivedAt: store.clock.now())
            let message: String = if case .string(let text)? = answer.body["message"] { text } else { "" }
            let newEvent = answer.eventId.map { " (new event \($0))" } ?? ""
            notice = answer.status == .ok
                ? "Replayed event \(eventId): accepted\(newEvent)."
                : "Replayed event \(eventId): refused again with \(answer.status.code), \(message)\(newEvent)."
        } catch {
            notice = "Event \(eventId) cannot be replayed: \(APIError.from(error, logger: logger).message)"
        }
        return try await webhookPage(found, key: nil, notice: notice, call)
    }

    private func webhookEvent(_ eventId: Int64, of connection: ConnectionRecord) async throws -> StoredEvent {
        guard let event = try await store.event(id: eventId), event.connectionId == connection.id else {
            throw APIError.notFound("event not found: \(eventId)", causes: ["record not found"])
        }
        return event
    }

    private func connection(_ id: Int64) async throws -> ConnectionRecord {
        guard let found = try await store.connection(id: id) else {
            throw APIError.notFound("connection not found: \(id)", causes: ["record not found"])
        }
        return found
    }

    private func webhookPage(_ connection: ConnectionRecord, key: String?, notice: String?, _ call: Call) async throws
        -> Response
    {
        let attached = try await store.projects().filter { $0.connectionIds.contains(connection.id) }.map(\.name)
        var context = call.context
        context.section = .webhooks
        let snippets = WebhookSnippets(
            origin: origin(of: call.request), connection: connection, key: key, now: store.clock.now())
        var filter = EventFilter()
        filter.connectionId = connection.id
        // Rejected requests show their body on click: read with the list.
        let events = try await store.events(filter, limit: WebhookPage.eventCount, cursor: nil, rejectedBodies: true).items
        return page(
            WebhookPage.render(
                connection, snippets: snippets, projects: attached, events: events, notice: notice, context: context))
    }
}
