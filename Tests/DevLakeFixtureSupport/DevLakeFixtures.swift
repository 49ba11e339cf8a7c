import Foundation

/// Where the DevLake e2e fixtures are: `$DORALAKE_FIXTURES` (the `devlake-dora-e2e` folder or its
/// parent), else `../../../shared/fixtures/devlake-dora-e2e` relative to this file
/// (`/work/main/Tests/DevLakeFixtureSupport/` → `/work/shared/fixtures/`).
public enum DevLakeFixtures {
    /// The `devlake-dora-e2e` folder.
    public static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["DORALAKE_FIXTURES"], !override.isEmpty {
            let base = URL(fileURLWithPath: override)
            let nested = base.appendingPathComponent("devlake-dora-e2e")
            return FileManager.default.fileExists(atPath: nested.path) ? nested : base
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/fixtures/devlake-dora-e2e").standardizedFileURL
    }()
}
