import Foundation

extension ServerProcess {
    /// Sends SIGTERM and waits up to `gracePeriod` for the process to end, then sends SIGKILL.
    /// - Returns: whether the process ended by itself within `gracePeriod`.
    func stop(gracePeriod: Duration) async -> Bool {
        guard process.isRunning else { return true }
        process.terminate()
        let deadline = ContinuousClock.now + gracePeriod
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if !process.isRunning { return true }
        kill()
        return false
    }
}
