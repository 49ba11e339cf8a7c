/// Percentiles of a set of measured durations, in milliseconds.
struct LatencySummary: Sendable {
    /// The samples, sorted ascending.
    let sorted: [Double]

    init(_ samples: [Double]) {
        sorted = samples.sorted()
    }

    /// The nearest-rank percentile `p` (0…100); NaN without samples.
    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// `n=… p50_ms=… p99_ms=… max_ms=…`, for the parsable `RESULT` lines.
    var fields: String {
        "n=\(sorted.count) p50_ms=\(Self.format(percentile(50))) p99_ms=\(Self.format(percentile(99))) max_ms=\(Self.format(sorted.last ?? .nan))"
    }

    /// A duration in milliseconds with two decimals.
    static func format(_ ms: Double) -> String {
        guard ms.isFinite else { return "nan" }
        let hundredths = Int64((ms * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension Duration {
    /// The duration in milliseconds.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
