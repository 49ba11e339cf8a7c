import Foundation

/// The source of "now" in epoch milliseconds. Injected everywhere time is read, so tests can pin it.
public struct WallClock: Sendable {
    private let read: @Sendable () -> EpochMilliseconds

    public init(_ read: @escaping @Sendable () -> EpochMilliseconds) {
        self.read = read
    }

    /// The current time.
    public func now() -> EpochMilliseconds { read() }

    /// The system clock.
    public static let system = WallClock { EpochMilliseconds((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// A clock that always answers `millis`.
    public static func fixed(_ millis: EpochMilliseconds) -> WallClock { WallClock { millis } }
}
