import Synchronization
import DoralakeCore
import Foundation

/// Everything the HTTP server needs to know, read once at the entry point (spec §14).
public struct ServerConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on (0 = any free port).
    public var port: Int
    /// `ingest.allowUnauthenticated`: ingest routes accept requests without `Authorization`.
    public var allowUnauthenticated: Bool
    /// `ingest.maxBodyBytes`: larger bodies get 413.
    public var maxBodyBytes: Int
    /// `ingest.maxBatchItems`: most items in one batch request (400 above).
    public var maxBatchItems = 1_000
    /// `ingest.maxBatchBodyBytes`: largest batch body (413 above).
    public var maxBatchBodyBytes = 10 << 20
    /// `ingest.zonelessTimeZone`: zone for dates without offset.
    public var zonelessTimeZone: TimeZone
    /// `rawLog.rejectedBodyBytes`: body bytes kept for rejected requests.
    public var rejectedBodyBytes: Int
    /// `metrics.timeZone`: the zone of metric ranges and buckets when a request names none.
    public var metricsTimeZone: TimeZone = TimeZone(identifier: "UTC")!
    /// `DORALAKE_HTTP_*`: timeouts and the connection limit.
    public var connectionLimits = ConnectionLimits()
    /// Serve `POST /bench/decode-only`, which parses a deployment and stores nothing (benchmarks only).
    public var decodeOnlyBenchmarkRoute: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 8080, allowUnauthenticated: Bool = false,
        maxBodyBytes: Int = 1_048_576, zonelessTimeZone: TimeZone = TimeZone(identifier: "UTC")!,
        rejectedBodyBytes: Int = 65_536, decodeOnlyBenchmarkRoute: Bool = false
    ) {
        self.host = host
        self.port = port
        self.allowUnauthenticated = allowUnauthenticated
        self.maxBodyBytes = maxBodyBytes
        self.zonelessTimeZone = zonelessTimeZone
        self.rejectedBodyBytes = rejectedBodyBytes
        self.decodeOnlyBenchmarkRoute = decodeOnlyBenchmarkRoute
    }
}

/// The secrets of a running server: the key-hashing secret and the admin token's hash.
public struct ServerCredentials: Sendable {
    public var keyHasher: KeyHasher
    /// HMAC of the admin token (the plaintext is never kept in memory after start-up); set before
    /// the server listens, or later by its start-up preamble (``AdminTokenHash``).
    public let adminToken: AdminTokenHash

    /// Credentials whose admin token is known now.
    public init(keyHasher: KeyHasher, adminTokenHash: String) {
        self.keyHasher = keyHasher
        self.adminToken = AdminTokenHash(adminTokenHash)
    }

    /// Credentials whose admin token hash is set later (it may be stored in the database, which is
    /// read only once the store is prepared); until then no admin token is accepted.
    public init(keyHasher: KeyHasher, adminToken: AdminTokenHash) {
        self.keyHasher = keyHasher
        self.adminToken = adminToken
    }
}

/// The version reported by `/version`.
public enum DoralakeVersion {
    public static let current = "0.1.0"
}
