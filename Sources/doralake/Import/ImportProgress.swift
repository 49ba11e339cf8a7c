import Foundation

/// Progress of a long command on standard error: a bar redrawn in place on a terminal, else one
/// plain line every few seconds (for logs and CI).
final class ImportProgress {
    private let total: Int?
    private let started = ContinuousClock.now
    private var lastPrint = ContinuousClock.now
    private let terminal: Bool
    private let label: String

    /// - Parameter total: how much work there is, in the unit of ``update(items:accepted:rejected:done:force:)``'s
    ///   `done` (an import: the input's bytes; a replay: events), for the percentage and ETA; nil
    ///   when unknown (a pipe).
    init(label: String, total: Int?, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = total.flatMap { $0 > 0 ? $0 : nil }
        self.terminal = terminal
    }

    private var elapsed: Double { (ContinuousClock.now - started).seconds }

    /// Reports the counts so far; prints only when due (every 0.2 s on a terminal, 5 s otherwise).
    func update(items: Int, accepted: Int, rejected: Int, done: Int, force: Bool = false) {
        let now = ContinuousClock.now
        guard force || now - lastPrint >= (terminal ? .milliseconds(200) : .seconds(5)) else { return }
        lastPrint = now
        let rate = elapsed > 0 ? Double(items) / elapsed : 0
        var line = "\(label): \(items) items, \(Int(rate)) items/s, \(accepted) accepted, \(rejected) rejected"
        if let total {
            let fraction = min(1, Double(done) / Double(total))
            line += String(format: ", %.0f%%", fraction * 100)
            if fraction > 0.01 && fraction < 1 {
                let remaining = Int(elapsed / fraction * (1 - fraction))
                line += String(format: ", ETA %d:%02d", remaining / 60, remaining % 60)
            }
            if terminal {
                let width = 24
                let filled = Int(fraction * Double(width))
                line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + line
            }
        }
        FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + line + (terminal ? "" : "\n")).utf8))
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
