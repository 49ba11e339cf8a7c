import DoralakeCore
import Testing

/// Spec §3: DevLake's lower median, percent-rank percentiles, the 2021 upper median and the mean.
struct StatisticsTests {
    static let lowerMedians: [([Double], Double)] = [
        ([5], 5), ([1, 2], 1), ([1, 2, 3], 2), ([1, 2, 3, 4], 2), ([3, 3, 3, 9], 3), ([0, 0, 1, 1, 3], 1),
    ]

    @Test("lower median is v[floor((n + 1) / 2)] and never averages (§3.1)", arguments: lowerMedians)
    func lowerMedian(_ sample: [Double], _ expected: Double) {
        #expect(Statistics.lowerMedian(sample) == expected)
    }

    static let unsorted: [([Double], Double)] = [([4, 1, 3, 2], 2), ([3, 1, 0, 1, 0], 1), ([9, 3, 3, 3], 3)]

    @Test("lower median sorts its input", arguments: unsorted)
    func lowerMedianOfUnsortedSample(_ sample: [Double], _ expected: Double) {
        #expect(Statistics.lowerMedian(sample) == expected)
    }

    struct Summary: Sendable, CustomTestStringConvertible {
        var sample: [Double]
        var p50: Double
        var p75: Double
        var p90: Double
        var mean: Double
        var testDescription: String { "\(sample)" }
    }

    static let summaries: [Summary] = [
        // §3.2
        Summary(sample: [10, 20, 30, 40], p50: 20, p75: 30, p90: 30, mean: 25),
        Summary(sample: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p50: 5, p75: 7, p90: 9, mean: 5.5),
        Summary(sample: [42], p50: 42, p75: 42, p90: 42, mean: 42),
        // §6.2 lead time, §6.5 time to restore service, §6.1 example 1 weeks
        Summary(sample: [70, 1091, 1400, 1590], p50: 1091, p75: 1400, p90: 1400, mean: 1037.75),
        Summary(sample: [30, 70, 75, 360, 3240], p50: 75, p75: 360, p90: 360, mean: 755),
        Summary(sample: [1, 3, 1, 0, 0], p50: 1, p75: 1, p90: 1, mean: 1),
    ]

    @Test("percentiles are v[floor(1 + k(n - 1))] and mean is arithmetic (§3.2)", arguments: summaries)
    func percentilesAndMean(_ summary: Summary) {
        #expect(Statistics.percentile(summary.sample, 0.5) == summary.p50)
        #expect(Statistics.percentile(summary.sample, 0.75) == summary.p75)
        #expect(Statistics.percentile(summary.sample, 0.9) == summary.p90)
        #expect(Statistics.mean(summary.sample) == summary.mean)
    }

    @Test("the mean is the same to the last digit in whatever order the sample comes")
    func meanIgnoresOrder() {
        // Summed as given, these orders differ in the last digit (0.6000000000000001 against 0.6).
        let ascending: Double = (0.1 + 0.2) + 0.3
        let descending: Double = (0.3 + 0.2) + 0.1
        #expect(ascending != descending)
        let sample = [0.1, 0.2, 0.3, 1e-17, 7.7, 1.0 / 3.0]
        var orders: [[Double]] = [sample, sample.reversed()]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 { orders.append(sample.shuffled(using: &generator)) }
        let means = Set(orders.compactMap { Statistics.mean($0) })
        #expect(means.count == 1, "\(means)")
    }

    @Test("a sample summary carries n, p50, p75, p90 and mean (§3.4)", arguments: summaries)
    func sampleSummary(_ summary: Summary) {
        #expect(
            SampleSummary.of(summary.sample)
                == SampleSummary(
                    n: summary.sample.count, p50: summary.p50, p75: summary.p75, p90: summary.p90, mean: summary.mean))
    }

    @Test("the recovery-time sample of §6.4 has mean 551.67")
    func recoveryTimeSummary() throws {
        let summary = try #require(SampleSummary.of([100, 345, 1210]))
        #expect(summary.p50 == 345 && summary.p75 == 345 && summary.p90 == 345)
        #expect(abs(summary.mean - 551.67) < 0.005)
    }

    @Test("P(0.5) equals the lower median for every sample size", arguments: 1...25)
    func medianPercentileIsLowerMedian(_ n: Int) {
        let sample = (1...n).map { Double($0 * 7 % 11) }
        #expect(Statistics.percentile(sample, 0.5) == Statistics.lowerMedian(sample))
    }

    @Test("percentile ranks are exact despite binary fractions")
    func percentileRankIsExact() {
        // 1 + 0.29 · 100 = 30 exactly; 0.29 · 100 is 28.999… in binary.
        let sample = (1...101).map(Double.init)
        #expect(Statistics.percentile(sample, 0.29) == 30)
    }

    static let upperMedians: [([Double], Double)] = [
        ([0, 4], 4), ([2, 2], 2), ([7], 7), ([1, 2, 2, 2, 3], 2), ([4, 0], 4),
    ]

    @Test("upper median is v[floor(n / 2) + 1] (§3.3)", arguments: upperMedians)
    func upperMedian(_ sample: [Double], _ expected: Double) {
        #expect(Statistics.upperMedian(sample) == expected)
    }

    @Test("an empty sample has no statistic")
    func emptySample() {
        #expect(Statistics.lowerMedian([]) == nil)
        #expect(Statistics.percentile([], 0.9) == nil)
        #expect(Statistics.upperMedian([]) == nil)
        #expect(Statistics.mean([]) == nil)
        #expect(SampleSummary.of([]) == nil)
    }
}
