/// The narrow facts one project's metrics need (METRICS.md §6–§7), read from stored entities and
/// stored derived data. Facts are unfiltered by range unless noted; the calculator applies the range.
public struct MetricInputs: Sendable, Equatable {
    /// A production deployment (§4.1): finish and start over its production rows.
    public struct Deployment: Sendable, Equatable {
        public var identity: DeploymentIdentity
        public var start: EpochMilliseconds
        public var finish: EpochMilliseconds
        public init(identity: DeploymentIdentity, start: EpochMilliseconds, finish: EpochMilliseconds) {
            self.identity = identity
            self.start = start
            self.finish = finish
        }
    }

    /// An incident with its link in this project (§5.1).
    public struct Incident: Sendable, Equatable {
        public var identity: IssueIdentity
        public var createdDate: EpochMilliseconds
        public var resolutionDate: EpochMilliseconds?
        public var leadTimeMinutes: Int64?
        public var status: String
        /// The linked deployment when the reason is `time` or `explicit`.
        public var linkedDeployment: DeploymentIdentity?
        public init(
            identity: IssueIdentity, createdDate: EpochMilliseconds, resolutionDate: EpochMilliseconds?,
            leadTimeMinutes: Int64?, status: String, linkedDeployment: DeploymentIdentity?
        ) {
            self.identity = identity
            self.createdDate = createdDate
            self.resolutionDate = resolutionDate
            self.leadTimeMinutes = leadTimeMinutes
            self.status = status
            self.linkedDeployment = linkedDeployment
        }
    }

    /// An attributed pull request (§5.2).
    public struct Attribution: Sendable, Equatable {
        public var rule: String
        public var deployedDate: EpochMilliseconds
        public var createdToMerged: Int64?
        public var deployTime: Int64?
        public var cycleTime: Int64
        public init(rule: String, deployedDate: EpochMilliseconds, createdToMerged: Int64?, deployTime: Int64?, cycleTime: Int64) {
            self.rule = rule
            self.deployedDate = deployedDate
            self.createdToMerged = createdToMerged
            self.deployTime = deployTime
            self.cycleTime = cycleTime
        }
    }

    /// A requirement or bug (§7).
    public struct WorkItem: Sendable, Equatable {
        public var type: String
        public var status: String
        public var createdDate: EpochMilliseconds
        public var resolutionDate: EpochMilliseconds?
        public var leadTimeMinutes: Int64?
        public var storyPoint: Double?
        public init(
            type: String, status: String, createdDate: EpochMilliseconds, resolutionDate: EpochMilliseconds?,
            leadTimeMinutes: Int64?, storyPoint: Double?
        ) {
            self.type = type
            self.status = status
            self.createdDate = createdDate
            self.resolutionDate = resolutionDate
            self.leadTimeMinutes = leadTimeMinutes
            self.storyPoint = storyPoint
        }
    }

    /// Lines changed at an instant (a commit's authored date or a PR's merged date).
    public struct Lines: Sendable, Equatable {
        public var at: EpochMilliseconds
        public var lines: Int64
        public init(at: EpochMilliseconds, lines: Int64) {
            self.at = at
            self.lines = lines
        }
    }

    public var deployments: [Deployment]
    public var incidents: [Incident]
    public var attributions: [Attribution]
    /// Rework classifications: deployment → reason (`flagged`, `after_incident`).
    public var rework: [DeploymentIdentity: String]
    /// True when any deployment of the project was posted with `isRework` or `kind`.
    public var hasReworkFlags: Bool
    public var workItems: [WorkItem]
    /// Non-merge commits' lines (commits route).
    public var commitLines: [Lines]
    /// Merged pull requests' lines (fallback LOC source).
    public var pullRequestLines: [Lines]
    /// Whether the project ever had a production deployment; nil = whether `deployments` is non-empty.
    /// Set when the facts were read for the range only.
    public var everDeployed: Bool?
    /// Whether the project ever received a bug; nil = whether `workItems` has one.
    public var everReceivedBug: Bool?
    /// Whether the project ever received an incident; nil = whether `incidents` is non-empty.
    /// Set when only the incidents a range needs were read (created or resolved in it, or linked
    /// to a production deployment finished in it).
    public var everReceivedIncident: Bool?

    /// Whether the project ever received an incident.
    var hasIncidents: Bool { everReceivedIncident ?? !incidents.isEmpty }

    public init(
        deployments: [Deployment] = [], incidents: [Incident] = [], attributions: [Attribution] = [],
        rework: [DeploymentIdentity: String] = [:], hasReworkFlags: Bool = false, workItems: [WorkItem] = [],
        commitLines: [Lines] = [], pullRequestLines: [Lines] = []
    ) {
        self.deployments = deployments
        self.incidents = incidents
        self.attributions = attributions
        self.rework = rework
        self.hasReworkFlags = hasReworkFlags
        self.workItems = workItems
        self.commitLines = commitLines
        self.pullRequestLines = pullRequestLines
    }
}
