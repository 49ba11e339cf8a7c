import DoralakeCore
import Testing

/// Spec §7: pull-request bodies, repoUrl derivation, the title alias and the status enum.
struct PullRequestDecoderTests {
    func decode(_ json: String) throws -> (PullRequest, DecodingContext) {
        let context = Fixture.context()
        let pullRequest = try PullRequestDecoder.decode(try members(json), connectionId: 1, context: context)
        return (pullRequest, context)
    }

    func decodeFailure(_ json: String) throws -> ValidationFailure {
        let body = try members(json)
        return try #require(throws: ValidationFailure.self) {
            try PullRequestDecoder.decode(body, connectionId: 1, context: Fixture.context())
        }
    }

    /// A valid body with `extra` members appended.
    static func body(_ extra: String = "") -> String {
        #"{"id":"gh-1","pullRequestKey":7,"displayTitle":"t","createdDate":"2024-05-01T12:00:00Z"\#(extra)}"#
    }

    @Test("the documented example decodes with the derived repoUrl")
    func documentedExample() throws {
        // Given the example body of §7 (closedDate null, isDraft as a string)
        let json = #"""
            {"id":"gh-881","pullRequestKey":42,"displayTitle":"Feature: Add new functionality",
             "status":"MERGED","originalStatus":"closed","url":"https://github.com/acme/shop/pull/42",
             "createdDate":"2024-05-01T12:00:00Z","mergedDate":"2024-05-02T09:30:00Z","closedDate":null,
             "mergeCommitSha":"ccc333","headRef":"feature/x","baseRef":"main",
             "additions":300,"deletions":50,"isDraft":"false"}
            """#
        // When it is decoded
        let (pullRequest, context) = try decode(json)
        // Then
        #expect(pullRequest.devLakeId == "webhook:1:42")
        #expect(pullRequest.externalId == "gh-881")
        #expect(pullRequest.displayTitle == "Feature: Add new functionality")
        #expect(pullRequest.status == "MERGED")
        #expect(pullRequest.originalStatus == "closed")
        #expect(pullRequest.repoUrl == "https://github.com/acme/shop")
        #expect(pullRequest.createdDate == isoMillis("2024-05-01T12:00:00Z"))
        #expect(pullRequest.mergedDate == isoMillis("2024-05-02T09:30:00Z"))
        #expect(pullRequest.closedDate == nil)
        #expect(pullRequest.mergeCommitSha == "ccc333")
        #expect(pullRequest.headRef == "feature/x")
        #expect(pullRequest.baseRef == "main")
        #expect(pullRequest.additions == 300)
        #expect(pullRequest.deletions == 50)
        #expect(pullRequest.isDraft == false)
        #expect(context.warnings.isEmpty)
    }

    static let derivations: [(url: String, repo: String?)] = [
        ("https://github.com/acme/shop/pull/42/files", "https://github.com/acme/shop"),
        ("https://github.com/acme/shop/pull/42", "https://github.com/acme/shop"),
        ("https://gitlab.com/acme/shop/-/merge_requests/7", "https://gitlab.com/acme/shop"),
        ("https://gitlab.example.com/group/sub/shop/merge_requests/7", "https://gitlab.example.com/group/sub/shop"),
        ("https://gitea.example.com/acme/shop/pulls/5", "https://gitea.example.com/acme/shop"),
        ("https://bitbucket.org/acme/shop/pull-requests/3/overview", "https://bitbucket.org/acme/shop"),
        ("https://dev.azure.com/org/proj/_git/shop/pullrequest/12", "https://dev.azure.com/org/proj/_git/shop"),
        ("https://github.com/acme/shop/pull/42?diff=split", "https://github.com/acme/shop"),
        ("https://github.com/acme/shop/pull/42#discussion", "https://github.com/acme/shop"),
        // no number after the marker, or no marker at all: no repo
        ("https://github.com/acme/shop/pull/new", nil),
        ("https://github.com/acme/shop/pulls", nil),
        ("https://github.com/acme/shop", nil),
        ("", nil),
    ]

    @Test("repoUrl is derived from url by cutting at the pull-request path", arguments: derivations)
    func repoUrlDerivation(_ url: String, _ repo: String?) throws {
        // Given a body with only url
        let (pullRequest, _) = try decode(Self.body(#","url":"\#(url)""#))
        // Then the repository is derived from it, or absent
        #expect(pullRequest.repoUrl == repo)
        #expect(PullRequest.repoUrl(fromPullRequestURL: url) == repo)
    }

    @Test("an explicit repoUrl wins over the url")
    func explicitRepoUrl() throws {
        let (pullRequest, _) = try decode(
            Self.body(#","repoUrl":"git@github.com:acme/shop.git","url":"https://github.com/acme/other/pull/1""#))
        #expect(pullRequest.repoUrl == "git@github.com:acme/shop.git")
    }

    @Test("an empty repoUrl falls back to the url")
    func emptyRepoUrl() throws {
        let (pullRequest, _) = try decode(Self.body(#","repoUrl":"","url":"https://github.com/acme/shop/pull/1""#))
        #expect(pullRequest.repoUrl == "https://github.com/acme/shop")
    }

    @Test("title is an alias of displayTitle when displayTitle is absent")
    func titleAlias() throws {
        let (pullRequest, context) = try decode(
            #"{"id":"gh-1","pullRequestKey":7,"title":"From title","createdDate":"2024-05-01T12:00:00Z"}"#)
        #expect(pullRequest.displayTitle == "From title")
        #expect(context.warningCodes == ["legacy_alias"])
    }

    @Test("displayTitle beats title, which is reported as shadowed")
    func titleShadowed() throws {
        let (pullRequest, context) = try decode(
            #"{"id":"gh-1","pullRequestKey":7,"title":"alias","displayTitle":"canonical","createdDate":"2024-05-01T12:00:00Z"}"#)
        #expect(pullRequest.displayTitle == "canonical")
        #expect(context.warningCodes == ["alias_shadowed"])
        #expect(context.warnings.first?.field == "title")
    }

    static let statuses: [(sent: String, stored: String)] = [
        ("OPEN", "OPEN"), ("open", "OPEN"), ("Closed", "CLOSED"), (" merged ", "MERGED"), ("", ""),
    ]

    @Test("status is OPEN, CLOSED, MERGED (any case) or empty; the sent value becomes originalStatus", arguments: statuses)
    func status(_ sent: String, _ stored: String) throws {
        let (pullRequest, _) = try decode(Self.body(#","status":"\#(sent)","mergedDate":"2024-05-02T00:00:00Z""#))
        #expect(pullRequest.status == stored)
        #expect(pullRequest.originalStatus == sent)
    }

    @Test("an absent status is empty")
    func absentStatus() throws {
        let (pullRequest, _) = try decode(Self.body())
        #expect(pullRequest.status == "")
        #expect(pullRequest.originalStatus == "")
    }

    @Test("an unknown status is invalid_enum", arguments: ["DECLINED", "draft", "superseded"])
    func unknownStatus(_ status: String) throws {
        let failure = try decodeFailure(Self.body(#","status":"\#(status)""#))
        #expect(failure.errors.map(\.code) == [.invalidEnum])
        #expect(failure.errors.first?.cause == #"status: "\#(status)" is not one of OPEN, CLOSED, MERGED"#)
    }

    @Test("MERGED without mergedDate gives warning merged_without_merged_date")
    func mergedWithoutDate() throws {
        let (_, context) = try decode(Self.body(#","status":"merged""#))
        #expect(context.warningCodes == ["merged_without_merged_date"])
    }

    @Test("pullRequestKey is an integer that is not 0; numeric strings work", arguments: [("7", Int64(7)), (#""42""#, 42), ("-3", -3), ("12.0", 12)])
    func pullRequestKey(_ json: String, _ expected: Int64) throws {
        let (pullRequest, _) = try decode(
            #"{"id":"x","pull_request_key":\#(json),"displayTitle":"t","createdDate":"2024-05-01T12:00:00Z"}"#)
        #expect(pullRequest.pullRequestKey == expected)
        #expect(pullRequest.devLakeId == "webhook:1:\(expected)")
    }

    @Test("pullRequestKey 0 is out_of_range")
    func pullRequestKeyZero() throws {
        let failure = try decodeFailure(
            #"{"id":"x","pullRequestKey":0,"displayTitle":"t","createdDate":"2024-05-01T12:00:00Z"}"#)
        #expect(failure.errors.map(\.code) == [.outOfRange])
        #expect(failure.message == "pullRequestKey must not be 0")
    }

    @Test("id, pullRequestKey, displayTitle and createdDate are required")
    func requiredFields() throws {
        let failure = try decodeFailure("{}")
        #expect(failure.errors.map(\.field) == ["id", "pullRequestKey", "displayTitle", "createdDate"])
        #expect(failure.errors.allSatisfy { $0.code == .required })
    }

    @Test("mergedDate or closedDate before createdDate is date_order", arguments: ["mergedDate", "closedDate"])
    func dateOrder(_ field: String) throws {
        let failure = try decodeFailure(Self.body(#","\#(field)":"2024-05-01T11:59:59Z""#))
        #expect(failure.errors.map(\.code) == [.dateOrder])
        #expect(failure.errors.first?.field == field)
    }

    @Test("additions and deletions must not be negative")
    func negativeCounts() throws {
        let failure = try decodeFailure(Self.body(#","additions":-1,"deletions":"-2""#))
        #expect(failure.errors.map(\.field) == ["additions", "deletions"])
        #expect(failure.errors.map(\.code) == [.outOfRange, .outOfRange])
    }

    @Test("isDraft accepts the weak boolean forms", arguments: [("true", true), (#""1""#, true), (#""T""#, true), ("0", false), (#""false""#, false)])
    func isDraft(_ json: String, _ expected: Bool) throws {
        let (pullRequest, _) = try decode(Self.body(#","is_draft":\#(json)"#))
        #expect(pullRequest.isDraft == expected)
    }

    @Test("SHAs up to 255 characters are kept; longer ones are too_long")
    func shaLength() throws {
        let sha256 = String(repeating: "a", count: 64)
        let (pullRequest, _) = try decode(Self.body(#","mergeCommitSha":"\#(sha256)","headCommitSha":"\#(String(repeating: "b", count: 255))""#))
        #expect(pullRequest.mergeCommitSha == sha256)
        #expect(pullRequest.headCommitSha.count == 255)
        let failure = try decodeFailure(Self.body(#","baseCommitSha":"\#(String(repeating: "c", count: 256))""#))
        #expect(failure.errors.map(\.code) == [.tooLong])
    }

    @Test("a url longer than 2048 characters is too_long")
    func urlLength() throws {
        let failure = try decodeFailure(Self.body(#","url":"https://x/\#(String(repeating: "u", count: 2040))""#))
        #expect(failure.errors.map(\.field) == ["url"])
        #expect(failure.errors.first?.message == "is longer than 2048 characters")
    }
}
