import DoralakeCore

/// A line of an export of several connections that is not a batch item: `doralake export
/// --project NAME`, and `doralake export` without a filter, write
/// `{"type":"connection","payload":{"name":N}}` before each connection's items and
/// `{"type":"project","payload":{"name":P,"connections":[N, …]}}` for each project at the end.
/// `doralake import` (with `--database`, without `--connection`) sends the items after a
/// connection line to the connection of that name, created when missing, and creates each
/// project (or attaches the connections it is missing). Connection ids differ between databases;
/// names are what both sides share.
enum ExportSection: Equatable {
    case connection(name: String)
    case project(name: String, connections: [String])

    /// The line's JSON.
    var item: JSONValue {
        switch self {
        case .connection(let name):
            .object([JSONMember("type", .string("connection")), JSONMember("payload", .object([JSONMember("name", .string(name))]))])
        case .project(let name, let connections):
            .object([
                JSONMember("type", .string("project")),
                JSONMember("payload", .object([
                    JSONMember("name", .string(name)), JSONMember("connections", .array(connections.map { .string($0) })),
                ])),
            ])
        }
    }

    private static let connectionPrefix = Array(#"{"type":"connection""#.utf8)
    private static let projectPrefix = Array(#"{"type":"project""#.utf8)

    /// The section `bytes` (one NDJSON line or array element) is, or nil for anything else (a batch
    /// item, or a line that is not a section as `export` writes it: it is sent on and the server
    /// judges it).
    static func parse(_ bytes: [UInt8]) -> ExportSection? {
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
        let rest = bytes[first...]
        guard rest.starts(with: connectionPrefix) || rest.starts(with: projectPrefix),
            let value = try? JSONParser.parse(rest).value, case .string(let name)? = value["payload"]?["name"]
        else { return nil }
        switch value["type"] {
        case .string("connection")?:
            return .connection(name: name)
        case .string("project")?:
            guard case .array(let names)? = value["payload"]?["connections"] else { return nil }
            return .project(name: name, connections: names.compactMap { if case .string(let n) = $0 { n } else { nil } })
        default:
            return nil
        }
    }
}
