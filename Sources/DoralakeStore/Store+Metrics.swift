import DoralakeCore

extension Store {
    /// The facts behind project `name`'s metrics; nil when the project does not exist.
    /// - Parameter range: read only the facts a request for this inclusive range needs (plus
    ///   "ever" flags); nil reads the whole history.
    public func metricInputs(project name: String, range: ClosedRange<EpochMilliseconds>? = nil) async throws
        -> MetricInputs?
    {
        try await derivation.waitUntilDerived()
        return try await read { try await MetricsRepository(db: $0).inputs(project: name, range: range) }
    }

    /// The facts behind the *all* scope's metrics (every connection as one project).
    public func metricInputsOfAllConnections(range: ClosedRange<EpochMilliseconds>? = nil) async throws -> MetricInputs {
        try await derivation.waitUntilDerived()
        return try await read { try await MetricsRepository(db: $0).inputsOfAllConnections(range: range) }
    }

    /// Recomputes every stored derived datum from the stored entities (`doralake recompute`).
    /// - Returns: the number of projects recomputed.
    public func recomputeDerivedData() async throws -> Int {
        let dialect = self.dialect
        return try await write { db in
            try await DerivationLock.take(on: db, dialect: dialect)
            return try await DerivedDataRepository(db: db).rebuildAll()
        }
    }

    /// The derivation backlog: changes committed and not derived yet, and the age of the oldest.
    public func derivationBacklog() async throws -> (pending: Int64, oldestAgeMillis: Int64?) {
        try await derivation.backlog(now: clock.now())
    }

    /// Waits until every write committed before this call is derived (the read barrier every read
    /// of derived data passes).
    /// - Throws: ``StoreError/derivationBehind(waitedSeconds:)`` past the configured wait.
    func waitUntilDerived() async throws {
        try await derivation.waitUntilDerived()
    }
}
