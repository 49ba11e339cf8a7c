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
    public func metricInputsOfAllConnections() async throws -> MetricInputs {
        try await read { try await MetricsRepository(db: $0).inputsOfAllConnections() }
    }

    /// Recomputes every stored derived datum from the stored entities (`doralake recompute`).
    /// - Returns: the number of projects recomputed.
    public func recomputeDerivedData() async throws -> Int {
        try await write { db in
            let repository = DerivedDataRepository(db: db)
            for row in try await db.raw("SELECT id FROM connections").all() {
                try await repository.refreshChains(connectionId: try row.decode(column: "id", as: Int64.self))
            }
            let projects = try await db.raw("SELECT name FROM projects").all().map { try $0.decode(column: "name", as: String.self) }
            for project in projects { try await repository.refresh(project: project) }
            return projects.count
        }
    }
}
