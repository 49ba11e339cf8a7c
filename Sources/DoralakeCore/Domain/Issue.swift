/// An issue or incident as stored: identity `(connectionId, issueKey)` (spec §6).
public struct Issue: Sendable, Equatable {
    public var connectionId: Int64
    public var issueKey: String
    public var title: String
    public var status: String
    public var originalStatus: String
    /// Canonical uppercase type; `INCIDENT` makes the issue an incident.
    public var type: String
    public var originalType: String
    public var createdDate: EpochMilliseconds
    public var resolutionDate: EpochMilliseconds?
    public var updatedDate: EpochMilliseconds?
    public var storyPoint: Double?
    public var leadTimeMinutes: Int64?
    public var originalEstimateMinutes: Int64
    public var timeSpentMinutes: Int64
    public var timeRemainingMinutes: Int64
    public var url: String
    public var description: String
    public var epicKey: String
    public var priority: String
    public var severity: String
    public var component: String
    public var creatorId: String
    public var creatorName: String
    public var assigneeId: String
    public var assigneeName: String
    public var parentIssueKey: String
    /// Extension: explicit link to a deployment.
    public var deploymentId: String?
    /// Extension: the connection of `deploymentId` (default: this connection).
    public var deploymentConnectionId: Int64?
    /// Extension: `false` means not caused by a change.
    public var causedByDeployment: Bool?

    public init(connectionId: Int64, issueKey: String, title: String, status: String, createdDate: EpochMilliseconds) {
        self.connectionId = connectionId
        self.issueKey = issueKey
        self.title = title
        self.status = status
        self.originalStatus = status
        self.type = ""
        self.originalType = ""
        self.createdDate = createdDate
        self.originalEstimateMinutes = 0
        self.timeSpentMinutes = 0
        self.timeRemainingMinutes = 0
        self.url = ""
        self.description = ""
        self.epicKey = ""
        self.priority = ""
        self.severity = ""
        self.component = ""
        self.creatorId = ""
        self.creatorName = ""
        self.assigneeId = ""
        self.assigneeName = ""
        self.parentIssueKey = ""
    }

    /// True while the canonical type is `INCIDENT`.
    public var isIncident: Bool { type == "INCIDENT" }

    /// The DevLake-format id `webhook:{c}:{issueKey}`.
    public var devLakeId: String { DevLakeID.issue(connectionId: connectionId, issueKey: issueKey) }

    /// Whole minutes (floor) from creation to resolution, or nil without a resolution date.
    public static func leadTime(createdDate: EpochMilliseconds, resolutionDate: EpochMilliseconds?) -> Int64? {
        guard let resolutionDate else { return nil }
        let millis = resolutionDate - createdDate
        return millis >= 0 ? millis / 60_000 : nil
    }
}
