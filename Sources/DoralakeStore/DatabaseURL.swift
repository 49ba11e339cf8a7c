/// Where the data lives: `sqlite:PATH` (the default, embedded) or, later, `postgres://…`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default, `sqlite:doralake.sqlite` in the working directory.
    public static let defaultValue = DatabaseURL.sqlite(path: "doralake.sqlite")

    /// Parses `sqlite:PATH`, `sqlite://PATH` or `postgres://user:pass@host:port/db` (also `postgresql://`).
    public init(parsing text: String) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite://") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite://".count)))
        } else if trimmed.hasPrefix("sqlite:") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite:".count)))
        } else if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else {
            throw StoreError.configuration(
                "database URL \"\(trimmed)\" is not supported (use sqlite:PATH or postgres://user:pass@host:port/db)")
        }
        if case .sqlite(let path) = self, path.isEmpty {
            throw StoreError.configuration("database URL \"\(trimmed)\" has no file path (use sqlite:PATH)")
        }
    }

    /// A description without credentials, safe for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let schemeEnd = url.range(of: "://") else { return url }
            return String(url[..<schemeEnd.upperBound]) + "***@" + String(url[url.index(after: at)...])
        }
    }
}

import Foundation
