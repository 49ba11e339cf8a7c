import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import DoralakeServer

@Suite("Connection limits and the body budget")
struct ConnectionLimitsTests {
    @Test("over the limit, the connection idle longest is shed; with none idle, the newcomer")
    func shedding() throws {
        let registry = ConnectionRegistry(maxConnections: 2)
        let first = EmbeddedChannel()
        let second = EmbeddedChannel()
        let third = EmbeddedChannel()
        let fourth = EmbeddedChannel()
        #expect(registry.opened(first) == nil)
        #expect(registry.opened(second) == nil)
        // Both idle: the older one (first) makes room.
        #expect(registry.opened(third) === first)
        #expect(registry.count == 2)
        // second and third busy: nothing idle to shed, so the newcomer is refused.
        registry.setIdle(second, false)
        registry.setIdle(third, false)
        #expect(registry.opened(fourth) === fourth)
        #expect(registry.count == 2)
        // third goes idle again: it is the one to go next.
        registry.setIdle(third, true)
        let fifth = EmbeddedChannel()
        #expect(registry.opened(fifth) === third)
        registry.closed(second)
        #expect(registry.count == 1)
        #expect(registry.shedCount == 3)
    }

    @Test("the body budget lets reservations in while they fit and queues the rest in order")
    func budgetQueues() async throws {
        let budget = BodyBudget(capacity: 100)
        let a = await budget.reserve(60, timeout: .seconds(5))
        #expect(a == 60)
        let order = OrderLog()
        let waiting = Task {
            let b = await budget.reserve(50, timeout: .seconds(5))
            order.append("b")
            return b
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(order.entries.isEmpty, "50 bytes do not fit next to 60 of 100")
        #expect(budget.reserved == 60)
        budget.release(60)
        #expect(await waiting.value == 50)
        #expect(order.entries == ["b"])
        #expect(budget.reserved == 50)
        // Larger than the whole budget: clamped, so it fits once the budget is free.
        budget.release(50)
        #expect(await budget.reserve(1_000, timeout: .seconds(1)) == 100)
        budget.release(100)
        #expect(budget.reserved == 0)
    }

    @Test("a reservation that does not fit in time gives up and leaves the budget as it was")
    func budgetTimeout() async throws {
        let budget = BodyBudget(capacity: 10)
        #expect(await budget.reserve(10, timeout: .seconds(1)) == 10)
        let started = ContinuousClock.now
        #expect(await budget.reserve(5, timeout: .milliseconds(200)) == nil)
        // It gives up rather than waiting for the budget (bound generous for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(10))
        budget.release(10)
        #expect(budget.reserved == 0)
        #expect(await budget.reserve(0, timeout: .milliseconds(1)) == 0)
    }
}

/// Records the order of events in concurrent code.
final class OrderLog: Sendable {
    private let stored = Mutex<[String]>([])
    var entries: [String] { stored.withLock { $0 } }
    func append(_ entry: String) { stored.withLock { $0.append(entry) } }
}

@Suite("First request line filter")
struct RequestLineFilterTests {
    static func verdict(_ text: String) -> RequestLineFilter.Verdict {
        RequestLineFilter.verdict(ByteBuffer(string: text).readableBytesView)
    }

    @Test("a well-formed first line passes, before or after a few empty lines", arguments: [
        "GET /ping HTTP/1.1\r\n", "\r\nPOST /api/x HTTP/1.0\r\nHost: a\r\n\r\n", "GET / HTTP/1.1\n",
    ])
    func passes(_ text: String) {
        #expect(Self.verdict(text) == .pass)
    }

    @Test("an incomplete first line waits for more bytes", arguments: ["", "GET /pi", "\r\n\r\n", "CONNECT host:443 HTTP/1.1"])
    func waits(_ text: String) {
        #expect(Self.verdict(text) == .needMore)
    }

    @Test("HTTP/0.9, garbage, CONNECT and floods of empty lines are refused at once", arguments: [
        ("GET /ping\r\n", "400 Bad Request"), ("\u{1}\u{2} garbage\r\n", "400 Bad Request"),
        ("CONNECT host:443 HTTP/1.1\r\n", "405 Method Not Allowed"),
        (String(repeating: "\r\n", count: 9) + "GET / HTTP/1.1\r\n", "400 Bad Request"),
        ("GET  /two-spaces HTTP/1.1\r\n", "400 Bad Request"), ("\u{16}\u{3}\u{1}", "400 Bad Request"),
        ("get /lowercase HTTP/1.1\r\n", "400 Bad Request"),
    ])
    func refuses(_ text: String, _ status: String) {
        guard case .reject(let answered, _) = Self.verdict(text) else {
            Issue.record("\(text.debugDescription) was not refused")
            return
        }
        #expect(answered == status)
    }
}
