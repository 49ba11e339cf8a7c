/// Settings of the store that do not belong in the database URL.
public struct StoreOptions: Sendable {
    /// Most connections to PostgreSQL per instance (measured: pools above 8 add memory, not throughput).
    public var postgresPoolSize: Int

    /// Creates options; the defaults suit one instance on a small machine.
    public init(postgresPoolSize: Int = 4) {
        self.postgresPoolSize = postgresPoolSize
    }
}
