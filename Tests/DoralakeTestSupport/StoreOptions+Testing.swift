import DoralakeStore

extension StoreOptions {
    /// The store options of the test suites: the read barrier waits up to two minutes. The whole
    /// suite runs in parallel on a two-core machine, where one derivation round can take seconds of
    /// wall time; these tests check what derived data says, not how fast it arrives (the bounded
    /// wait has its own test with a short wait, and the benchmarks measure the latency).
    public static let testing = StoreOptions(derivationMaxWait: .seconds(120))
}
