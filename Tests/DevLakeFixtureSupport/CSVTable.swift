import Foundation

/// A minimal CSV reader for the DevLake fixtures: a header row, comma separators, double-quoted fields
/// with `""` escapes, `\n` or `\r\n` line ends, optional trailing newline. An empty cell is `""`
/// (NULL for nullable columns, `''` for strings: callers decide).
public struct CSVTable: Sendable {
    /// The column names of the first row.
    public let header: [String]
    /// Every following row, by column name.
    public let rows: [[String: String]]

    /// Parses CSV text.
    public init(text: String) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\r": break
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        let names = records.first ?? []
        header = names
        rows = records.dropFirst().filter { $0 != [""] }.map { values in
            var row: [String: String] = [:]
            for (index, name) in names.enumerated() { row[name] = index < values.count ? values[index] : "" }
            return row
        }
    }

    /// Reads `relativePath` under the DevLake fixture directory.
    public static func load(_ relativePath: String) throws -> CSVTable {
        let url = DevLakeFixtures.directory.appendingPathComponent(relativePath)
        return CSVTable(text: try String(contentsOf: url, encoding: .utf8))
    }
}
