/// The classification of one metric value against the selected report (§8): its tier, the label
/// DevLake would show, and why there is no tier when there is none.
public struct TierResult: Sendable, Equatable {
    /// The tier, or `nil` when the report publishes no usable tiers for the metric.
    public let tier: Tier?
    /// The label, e.g. `"18.2(elite)"`; without the `(tier)` suffix when ``tier`` is `nil`.
    public let label: String
    /// Why ``tier`` is `nil`; `nil` whenever there is a tier.
    public let tierNote: String?

    /// Creates a result.
    public init(tier: Tier?, label: String, tierNote: String?) {
        self.tier = tier
        self.label = label
        self.tierNote = tierNote
    }
}
