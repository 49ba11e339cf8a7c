import DoralakeCore

/// What the raw event log records of one ingest request (spec §11).
public struct EventDraft: Sendable {
    public var receivedAt: EpochMilliseconds
    var method: String
    /// The path as received, without the query.
    var path: String
    /// The route name, e.g. `deployments`, `issue_close_path`.
    var route: String
    public var connectionId: Int64?
    public var projectName: String?
    /// `admin`, `connection-key:<id>`, `project-key:<id>` or `anonymous`; never the token.
    public var principal: String
    public var status: Int
    public var message: String
    var contentType: String
    public var bodySize: Int
    public var bodySha256: String
    /// The body as stored (nil when not recorded, e.g. failed authentication).
    public var body: String?
    public var bodyTruncated: Bool
    /// The event this one re-ran (`POST /api/v1/events/{id}/replay`), nil for a request as received.
    public var replayOf: Int64? = nil
    /// The receipt time that defaults are computed from: a replay's original one (spec §11).
    public var defaultsTime: EpochMilliseconds? = nil

    /// ``defaultsTime``, else ``receivedAt``.
    public var timeForDefaults: EpochMilliseconds { defaultsTime ?? receivedAt }

    public init(
        receivedAt: EpochMilliseconds, method: String, path: String, route: String, connectionId: Int64?,
        projectName: String?, principal: String, status: Int, message: String, contentType: String, bodySize: Int,
        bodySha256: String, body: String?, bodyTruncated: Bool
    ) {
        self.receivedAt = receivedAt
        self.method = method
        self.path = path
        self.route = route
        self.connectionId = connectionId
        self.projectName = projectName
        self.principal = principal
        self.status = status
        self.message = message
        self.contentType = contentType
        self.bodySize = bodySize
        self.bodySha256 = bodySha256
        self.body = body
        self.bodyTruncated = bodyTruncated
    }
}
