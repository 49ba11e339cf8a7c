import Logging
import Synchronization
import Testing

@testable import DoralakeServer

/// A log handler that keeps what it is given.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    let lines = Mutex<[(String, Logger.Metadata?)]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        lines.withLock { $0.append(("\(message)", metadata)) }
    }
}

@Suite("Throttled error log")
struct ThrottledLogTests {
    @Test("a recurring error is logged once per interval, then with the count of repeats in between")
    func throttles() {
        let handler = RecordingLogHandler()
        let logger = Logger(label: "t", factory: { _ in handler })
        let clock = Atomic<UInt64>(1_000)
        let log = ThrottledLog(intervalNanoseconds: 10_000, now: { clock.load(ordering: .relaxed) })
        for _ in 0..<50 {
            log.error(logger, "storage unavailable", metadata: ["error": "x"])
            clock.add(100, ordering: .relaxed)
        }
        // 50 calls over 5 000 ns, all inside one 10 000 ns interval: one line.
        #expect(handler.lines.withLock { $0.count } == 1)
        clock.store(11_000, ordering: .relaxed)
        log.error(logger, "storage unavailable", metadata: ["error": "x"])
        let lines = handler.lines.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines.map(\.0) == ["storage unavailable", "storage unavailable"])
        #expect(lines[0].1?["repeatedSinceLastLine"] == nil)
        #expect(lines[1].1?["repeatedSinceLastLine"] == "49")
    }
}
