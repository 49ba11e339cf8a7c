/// The order statistics of the metrics specification (§3): DevLake's lower median, its
/// percent-rank percentiles, the upper median of the 2021 six-month deployment frequency, and the
/// arithmetic mean.
///
/// Every function sorts its own copy of the sample, never averages two values, and returns `nil`
/// for an empty sample: a missing sample is never reported as 0. Values must be finite.
public enum Statistics {
    /// `v[floor((n + 1) / 2)]` of the ascending sample (1-based): the largest value whose percent
    /// rank is at most 0.5 (§3.1). `[1, 2, 3, 4]` → 2.
    ///
    /// - Parameter values: The sample, in any order.
    /// - Returns: The lower median, or `nil` when `values` is empty.
    public static func lowerMedian(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[(sorted.count + 1) / 2 - 1]
    }

    /// `P(k) = v[floor(1 + k · (n − 1))]` of the ascending sample (1-based): the largest value whose
    /// percent rank is at most `k` (§3.2). `P(0.5)` equals ``lowerMedian(_:)``.
    ///
    /// - Parameters:
    ///   - values: The sample, in any order.
    ///   - k: The rank fraction, `0...1` (`0.75` for p75); values outside are clamped.
    /// - Returns: The percentile, or `nil` when `values` is empty.
    public static func percentile(_ values: [Double], _ k: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let fraction = k.isNaN ? 0 : min(max(k, 0), 1)
        // A small tolerance keeps exact ranks exact despite binary fractions (0.29 · 100 = 28.999…).
        let position = (1 + fraction * Double(sorted.count - 1) + 1e-9).rounded(.down)
        let index = min(max(Int(position), 1), sorted.count)
        return sorted[index - 1]
    }

    /// `v[floor(n / 2) + 1]` of the ascending sample (1-based), used only for the 2021 six-month
    /// deployment frequency (§3.3). `[0, 4]` → 4; `[1, 2, 2, 2, 3]` → 2.
    ///
    /// - Parameter values: The sample, in any order.
    /// - Returns: The upper median, or `nil` when `values` is empty.
    public static func upperMedian(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    /// The arithmetic mean, summed in ascending order: floating-point addition depends on order
    /// (`0.1 + 0.2 + 0.3` ≠ `0.3 + 0.2 + 0.1` in the last digit), and the same facts arrive in
    /// whatever order a database returns them, so the mean must not depend on it.
    ///
    /// - Parameter values: The sample, in any order.
    /// - Returns: The mean, or `nil` when `values` is empty.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.sorted().reduce(0, +) / Double(values.count)
    }
}

/// The description every duration or size metric carries next to its headline (§3.4): sample
/// size, lower median, p75, p90 and mean.
public struct SampleSummary: Sendable, Equatable {
    /// The sample size.
    public let n: Int
    /// ``Statistics/lowerMedian(_:)``, DevLake's median.
    public let p50: Double
    /// ``Statistics/percentile(_:_:)`` at 0.75.
    public let p75: Double
    /// ``Statistics/percentile(_:_:)`` at 0.9.
    public let p90: Double
    /// ``Statistics/mean(_:)``.
    public let mean: Double

    /// Creates a summary from already computed figures.
    public init(n: Int, p50: Double, p75: Double, p90: Double, mean: Double) {
        self.n = n
        self.p50 = p50
        self.p75 = p75
        self.p90 = p90
        self.mean = mean
    }

    /// Summarises a sample.
    ///
    /// - Parameter values: The sample, in any order.
    /// - Returns: The summary, or `nil` when `values` is empty (insufficient data, never zeros).
    public static func of(_ values: [Double]) -> SampleSummary? {
        guard !values.isEmpty,
            let p50 = Statistics.lowerMedian(values),
            let p75 = Statistics.percentile(values, 0.75),
            let p90 = Statistics.percentile(values, 0.9),
            let mean = Statistics.mean(values)
        else { return nil }
        return SampleSummary(n: values.count, p50: p50, p75: p75, p90: p90, mean: mean)
    }
}
