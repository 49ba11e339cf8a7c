import DoralakeCore
import Foundation

/// An opaque position in a sorted list: the sort key of the last item of a page, as base64url JSON.
struct PageCursor: Sendable, Equatable {
    var values: [JSONValue]

    init(_ values: [JSONValue]) {
        self.values = values
    }

    /// The opaque text sent to clients.
    var token: String {
        Data(JSONValue.array(values).serializedBytes()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a token; nil when it is not one of ours.
    init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let document = try? JSONParser.parse(Array(data)),
            case .array(let values) = document.value
        else { return nil }
        self.values = values
    }

    func int(_ index: Int) -> Int64? {
        guard index < values.count, case .number(let text) = values[index] else { return nil }
        return Int64(text)
    }

    func string(_ index: Int) -> String? {
        guard index < values.count, case .string(let text) = values[index] else { return nil }
        return text
    }
}

/// A cursor that cannot be decoded (400).
public struct InvalidCursor: Error, Sendable {}

/// One page of a list.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// The cursor of the next page, nil on the last page.
    public var nextCursor: String?
}

/// Who may see what: everything, one connection's data, or one project's.
public enum ReadScope: Sendable, Equatable {
    case all
    case connection(Int64)
    case project(String)
}
