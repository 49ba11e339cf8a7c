/// A pull request as stored: identity `(connectionId, pullRequestKey)` (spec §7).
public struct PullRequest: Sendable, Equatable {
    public var connectionId: Int64
    public var pullRequestKey: Int64
    /// The request's `id`, kept as DevLake's external id; not part of the identity.
    public var externalId: String
    public var displayTitle: String
    public var createdDate: EpochMilliseconds
    public var mergedDate: EpochMilliseconds?
    public var closedDate: EpochMilliseconds?
    /// `OPEN`, `CLOSED`, `MERGED` or `""`.
    public var status: String
    public var originalStatus: String
    /// Sent `repoUrl`, else derived from `url`; nil when neither gives one.
    public var repoUrl: String?
    public var mergeCommitSha: String
    public var baseCommitSha: String
    public var headCommitSha: String
    public var description: String
    public var url: String
    public var authorName: String
    public var authorId: String
    public var mergedByName: String
    public var mergedById: String
    public var parentPrId: String
    public var type: String
    public var component: String
    public var headRef: String
    public var baseRef: String
    public var headRepoId: String
    public var baseRepoId: String
    public var additions: Int64
    public var deletions: Int64
    public var isDraft: Bool

    public init(connectionId: Int64, pullRequestKey: Int64, externalId: String, displayTitle: String, createdDate: EpochMilliseconds) {
        self.connectionId = connectionId
        self.pullRequestKey = pullRequestKey
        self.externalId = externalId
        self.displayTitle = displayTitle
        self.createdDate = createdDate
        self.status = ""
        self.originalStatus = ""
        self.mergeCommitSha = ""
        self.baseCommitSha = ""
        self.headCommitSha = ""
        self.description = ""
        self.url = ""
        self.authorName = ""
        self.authorId = ""
        self.mergedByName = ""
        self.mergedById = ""
        self.parentPrId = ""
        self.type = ""
        self.component = ""
        self.headRef = ""
        self.baseRef = ""
        self.headRepoId = ""
        self.baseRepoId = ""
        self.additions = 0
        self.deletions = 0
        self.isDraft = false
    }

    /// The DevLake-format id `webhook:{c}:{pullRequestKey}`.
    public var devLakeId: String { DevLakeID.pullRequest(connectionId: connectionId, pullRequestKey: pullRequestKey) }

    /// The repository part of a pull request URL: cut at the first `/pull/N`, `/pulls/N`,
    /// `/-/merge_requests/N`, `/merge_requests/N`, `/pull-requests/N` or `/pullrequest/N`.
    public static func repoUrl(fromPullRequestURL url: String) -> String? {
        let markers = ["/-/merge_requests/", "/merge_requests/", "/pull-requests/", "/pullrequest/", "/pulls/", "/pull/"]
        var best: (index: String.Index, marker: String)? = nil
        for marker in markers {
            var searchStart = url.startIndex
            while let range = url.range(of: marker, range: searchStart..<url.endIndex) {
                let after = url[range.upperBound...]
                let digits = after.prefix(while: { $0.isASCII && $0.isNumber })
                let end = after.index(after.startIndex, offsetBy: digits.count)
                let terminated = end == after.endIndex || ["/", "?", "#"].contains(after[end])
                if !digits.isEmpty && terminated {
                    if best == nil || range.lowerBound < best!.index { best = (range.lowerBound, marker) }
                    break
                }
                searchStart = range.upperBound
            }
        }
        guard let best, best.index > url.startIndex else { return nil }
        return String(url[..<best.index])
    }
}

import Foundation
