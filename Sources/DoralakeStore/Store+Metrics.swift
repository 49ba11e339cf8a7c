import DoralakeCore

extension Store {
    /// The facts behind project `name`'s metrics; nil when the project does not exist.
    /// - Parameter range: read only the facts a request for this inclusive range needs (plus
    ///   "ever" flags); nil reads the whole history.
    public func metricInputs(project name: String, range: ClosedRange<EpochMilliseconds>? = nil) async throws
        -> MetricInputs?
    {
        try await read { try await MetricsRepository(db: $0).inputs(project: name, range: range) }
    }

    /// The facts behind the *all* scope's metrics (every connection as one project).
    public func metricInputsOfAllConnections(range: ClosedRange<EpochMilliseconds>? = nil) async throws -> MetricInputs {
        try await read { try await MetricsRepository(db: $0).inputsOfAllConnections(range: range) }
    }

    /// Recomputes every stored derived datum from the stored entities (`doralake recompute`).
    /// - Returns: the number of projects recomputed.
    public func recomputeDerivedData() async throws -> Int {
        try await write { db in try await DerivedDataRepository(db: db).rebuildAll() }
    }
}
