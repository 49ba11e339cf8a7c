import Foundation

/// A new empty directory for one test, removed afterwards.
public enum TemporaryDirectory {
    /// Runs `body` with a new directory under the system's temporary directory, named `prefix`
    /// and a UUID, and removes it (and everything in it) when `body` returns or throws.
    public static func with<T>(prefix: String, _ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }
}
