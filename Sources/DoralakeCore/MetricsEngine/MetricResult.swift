/// The twelve metrics of METRICS.md §6–§7, by their API keys (§9).
public enum MetricKey: String, CaseIterable, Sendable {
    case deploymentFrequency
    case leadTimeForChanges
    case changeFailureRate
    case failedDeploymentRecoveryTime
    case timeToRestoreService
    case deploymentReworkRate
    case requirementDeliveryRate
    case requirementGranularity
    case bugAge
    case incidentAge
    case bugCountPer1kLoc
    case incidentCountPer1kLoc
}

/// One metric's result (§3.4): status, headline value, tier and label, sample size or ratio
/// parts, percentiles, details and the monthly series.
public struct MetricResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok
        case insufficientData = "insufficient_data"
    }

    /// One month of the series.
    public struct Point: Sendable, Equatable {
        public var month: LocalMonth
        public var value: Double?
        public var n: Int?
        public init(month: LocalMonth, value: Double?, n: Int? = nil) {
            self.month = month
            self.value = value
            self.n = n
        }
    }

    public var key: MetricKey
    public var status: Status
    /// Why the data is insufficient (e.g. `no_rework_signals`).
    public var reason: String?
    public var value: Double?
    /// `minutes`, `days`, `deployment days`, `ratio`, `story points`, `per 1k lines`.
    public var unit: String
    public var tier: Tier?
    public var label: String
    public var tierNote: String?
    /// Sample size of duration and size metrics.
    public var n: Int?
    public var summary: SampleSummary?
    public var numerator: Int?
    public var denominator: Int?
    /// Metric-specific details as JSON.
    public var details: JSONValue
    public var series: [Point]

    public init(
        key: MetricKey, status: Status, reason: String? = nil, value: Double?, unit: String, tier: Tier? = nil,
        label: String, tierNote: String? = nil, n: Int? = nil, summary: SampleSummary? = nil, numerator: Int? = nil,
        denominator: Int? = nil, details: JSONValue = .object([]), series: [Point] = []
    ) {
        self.key = key
        self.status = status
        self.reason = reason
        self.value = value
        self.unit = unit
        self.tier = tier
        self.label = label
        self.tierNote = tierNote
        self.n = n
        self.summary = summary
        self.numerator = numerator
        self.denominator = denominator
        self.details = details
        self.series = series
    }
}
