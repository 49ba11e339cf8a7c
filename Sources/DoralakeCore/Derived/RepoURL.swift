import Foundation

/// Repository URL normalization for the `time` attribution rule (METRICS §5.2).
public enum RepoURL {
    /// The normalized form of a repository URL, so that the spellings of one repository compare equal.
    ///
    /// Steps, in order: trim surrounding whitespace; rewrite `git@host:path` and `ssh://[user@]host/path`
    /// to `https://host/path`; rewrite `http://` to `https://`; lowercase the scheme and the host; drop
    /// one trailing `/`, then a trailing `.git`. Text without a recognised scheme is only trimmed and
    /// stripped of the trailing `/` and `.git`.
    ///
    /// `git@github.com:acme/shop.git` and `https://GitHub.com/acme/shop/` both give
    /// `https://github.com/acme/shop`.
    ///
    /// - Parameter url: A repository URL as sent.
    /// - Returns: The normalized URL.
    public static func normalize(_ url: String) -> String {
        var text = url.trimmingWhitespace()
        if let rest = text.dropPrefix("git@", caseInsensitive: false),
            let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/")
        {
            text = "https://" + rest[..<colon] + "/" + rest[rest.index(after: colon)...]
        } else if let rest = text.dropPrefix("ssh://", caseInsensitive: true) {
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
            text = "https://" + host + rest[authorityEnd...]
        } else if let rest = text.dropPrefix("http://", caseInsensitive: true) {
            text = "https://" + rest
        } else if let rest = text.dropPrefix("https://", caseInsensitive: true) {
            text = "https://" + rest
        }
        if let rest = text.dropPrefix("https://", caseInsensitive: false) {
            text = "https://" + lowercasingHost(rest)
        }
        if text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix(".git") { text.removeLast(4) }
        return text
    }

    /// Lowercases the host of `scheme-less` text `[userinfo@]host[:port]/path`, leaving userinfo and path.
    private static func lowercasingHost(_ rest: String) -> String {
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        return String(authority[..<hostStart]) + authority[hostStart...].lowercased() + rest[authorityEnd...]
    }
}

extension String {
    /// The text after `prefix`, or nil when the string does not start with it.
    fileprivate func dropPrefix(_ prefix: String, caseInsensitive: Bool) -> String? {
        guard count >= prefix.count else { return nil }
        let head = self.prefix(prefix.count)
        let matches = caseInsensitive ? head.lowercased() == prefix.lowercased() : head == prefix
        return matches ? String(dropFirst(prefix.count)) : nil
    }
}
