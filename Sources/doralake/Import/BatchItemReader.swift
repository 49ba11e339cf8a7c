import DoralakeCore
import Foundation

/// Reads batch items (spec §8.2 form) from a file or standard input without holding the file:
/// NDJSON (one item per line) or one JSON array of items, chosen by the first non-blank byte.
/// Array elements are cut out by a small scanner (strings and nesting tracked), so a pretty-printed
/// array of a million items streams like NDJSON.
struct BatchItemReader {
    /// One item as found in the input.
    struct Item {
        /// NDJSON: the 1-based line; array: the 0-based element index.
        var position: Int
        var bytes: [UInt8]
    }

    enum Format { case ndjson, array }

    /// A malformed JSON array (the items read so far stay valid).
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    /// Bytes consumed from the input so far.
    private(set) var bytesRead = 0
    private(set) var format: Format? = nil
    private var line = 0
    private var element = 0
    private var arrayClosed = false

    init(handle: FileHandle) {
        self.handle = handle
    }

    private mutating func fill() -> Bool {
        if finished { return false }
        let data = handle.readData(ofLength: 1 << 16)
        if data.isEmpty {
            finished = true
            return false
        }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: data)
        bytesRead += data.count
        return true
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The next item, or nil at the end of the input.
    mutating func next() throws -> Item? {
        if format == nil {
            while true {
                if let index = buffer[start...].firstIndex(where: { !Self.isBlank($0) }) {
                    if buffer[index] == UInt8(ascii: "[") {
                        format = .array
                        // Lines before the bracket are blank: nothing to count for arrays.
                        start = index + 1
                    } else {
                        format = .ndjson
                    }
                    break
                }
                if !fill() { return nil }
            }
        }
        return format == .ndjson ? nextLine() : try nextElement()
    }

    private mutating func nextLine() -> Item? {
        while true {
            if let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                line += 1
                var bytes = Array(buffer[start..<end])
                start = end + 1
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                if bytes.allSatisfy(Self.isBlank) { continue }
                return Item(position: line, bytes: bytes)
            }
            if !fill() {
                guard start < buffer.count else { return nil }
                line += 1
                let bytes = Array(buffer[start...])
                start = buffer.count
                return bytes.allSatisfy(Self.isBlank) ? nil : Item(position: line, bytes: bytes)
            }
        }
    }

    private mutating func nextElement() throws -> Item? {
        if arrayClosed {
            while true {
                if let extra = buffer[start...].firstIndex(where: { !Self.isBlank($0) }) {
                    throw Malformed(description: "data after the closing ] of the array (byte \(bytesRead - (buffer.count - extra)))")
                }
                start = buffer.count
                if !fill() { return nil }
            }
        }
        // Skip blanks and one separating comma.
        var sawComma = false
        while true {
            while start < buffer.count, Self.isBlank(buffer[start]) || (!sawComma && element > 0 && buffer[start] == UInt8(ascii: ",")) {
                if buffer[start] == UInt8(ascii: ",") { sawComma = true }
                start += 1
            }
            if start < buffer.count { break }
            if !fill() { throw Malformed(description: "the JSON array is not closed (after \(element) items)") }
        }
        if buffer[start] == UInt8(ascii: "]") {
            if sawComma { throw Malformed(description: "a comma before the closing ] (after \(element) items)") }
            start += 1
            arrayClosed = true
            return try nextElement()
        }
        if element > 0 && !sawComma { throw Malformed(description: "items \(element - 1) and \(element) are not separated by a comma") }
        // Scan one value: track strings and nesting; it ends at a , or ] at depth 0.
        var index = start
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            if index >= buffer.count {
                let offset = index - start
                if !fill() { throw Malformed(description: "the JSON array ends inside item \(element)") }
                index = start + offset
                continue
            }
            let byte = buffer[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                if depth == 0 { break }
                depth -= 1
            } else if byte == UInt8(ascii: ",") && depth == 0 {
                break
            }
            index += 1
        }
        var bytes = Array(buffer[start..<index])
        while let last = bytes.last, Self.isBlank(last) { bytes.removeLast() }
        start = index
        element += 1
        return Item(position: element - 1, bytes: bytes)
    }
}
