/// The deployment-frequency figure a label shows (§6.1): the weekly, monthly or six-month
/// number of deployment days, whichever the matching tier is defined by.
public struct DeploymentFrequencyFigure: Sendable, Equatable {
    /// The period the figure counts deployment days over.
    public enum Period: String, Sendable {
        /// `W`, the lower median of the week buckets.
        case week
        /// `M`, the lower median of the month buckets.
        case month
        /// `S`, the six-month figure of report 2021.
        case sixMonths

        /// The period as the label spells it: `week`, `month`, `six months`.
        public var text: String {
            switch self {
            case .week: "week"
            case .month: "month"
            case .sixMonths: "six months"
            }
        }
    }

    /// The period.
    public let period: Period
    /// The number of deployment days; the metric's `value`.
    public let value: Int

    /// Creates a figure.
    public init(period: Period, value: Int) {
        self.period = period
        self.value = value
    }

    /// The label without its tier: `"5 deployment days per month"`.
    public var text: String { "\(value) deployment days per \(period.text)" }
}
