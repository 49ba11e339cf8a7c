/// Settings of the store that do not belong in the database URL.
public struct StoreOptions: Sendable {
    /// Most connections to PostgreSQL per instance (measured: pools above 8 add memory, not throughput).
    var postgresPoolSize: Int

    /// Longest a read of derived data waits for the writes committed before it to be derived
    /// (the read barrier); past it the read fails with ``StoreError/derivationBehind(waitedSeconds:)``.
    var derivationMaxWait: Duration

    /// How often an idle deriver looks for changes committed by other processes or instances
    /// (its own instance's writes wake it at once).
    var derivationPollInterval: Duration

    /// Most change rows one derivation round applies (bounds one round's transaction).
    var derivationBatchLimit: Int

    /// Pause after a round that applied changes, before the next one, unless a reader waits at
    /// the barrier: under load a round then takes the changes of the whole pause at once.
    /// nil: the database's default (SQLite 0, where a round holds the one writer and a long round
    /// delays every request behind it; PostgreSQL 50 ms, where rounds run beside the writers).
    var derivationPause: Duration?

    /// How long an ingest request's connection and key, once found, are trusted without reading
    /// them again. Changes made through this instance take effect at once; changes made by another
    /// instance or by the command line within this time. Zero reads them on every request.
    var credentialCacheLifetime: Duration

    /// Times every statement of the SQLite writer and logs a summary when the store closes
    /// (benchmarks: `DORALAKE_STATEMENT_PROFILE=1`).
    var statementProfile: Bool

    /// Creates options; the defaults suit one instance on a small machine.
    public init(
        postgresPoolSize: Int = 4, derivationMaxWait: Duration = .seconds(10),
        derivationPollInterval: Duration = .milliseconds(100), derivationBatchLimit: Int = 5_000,
        derivationPause: Duration? = nil, credentialCacheLifetime: Duration = .seconds(5),
        statementProfile: Bool = false
    ) {
        self.credentialCacheLifetime = credentialCacheLifetime
        self.statementProfile = statementProfile
        self.postgresPoolSize = postgresPoolSize
        self.derivationMaxWait = derivationMaxWait
        self.derivationPollInterval = derivationPollInterval
        self.derivationBatchLimit = derivationBatchLimit
        self.derivationPause = derivationPause
    }
}
