import Foundation

/// Output of the benchmark: results on standard output (parsed by `scripts/bench-metrics.sh`),
/// progress on standard error. Both are written unbuffered, line by line.
enum Console {
    /// A progress line on standard error, prefixed `[bench]`.
    static func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench] \(text)\n".utf8))
    }

    /// A result line on standard output.
    static func result(_ text: String) {
        FileHandle.standardOutput.write(Data("\(text)\n".utf8))
    }
}
