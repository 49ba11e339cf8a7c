import DoralakeCore
import Testing

/// Spec §8.1: commits with line counts, one object or `{"commits":[…]}`.
struct CommitDecoderTests {
    func decode(_ json: String) throws -> ([Commit], DecodingContext) {
        let context = Fixture.context()
        let commits = try CommitDecoder.decode(try members(json), connectionId: 1, context: context)
        return (commits, context)
    }

    func decodeFailure(_ json: String) throws -> ValidationFailure {
        let body = try members(json)
        return try #require(throws: ValidationFailure.self) {
            try CommitDecoder.decode(body, connectionId: 1, context: Fixture.context())
        }
    }

    @Test("the documented two-commit body decodes with the documented ids")
    func documentedExample() throws {
        let json = #"""
            {"commits":[
              {"sha":"a1","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-03T09:12:00Z","additions":120,"deletions":30},
              {"sha":"m9","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-03T10:00:00Z","additions":900,"isMerge":true}]}
            """#
        let (commits, context) = try decode(json)
        #expect(commits.map(\.devLakeId) == ["webhook:1:0e3e2eb86df7a42e:a1", "webhook:1:0e3e2eb86df7a42e:m9"])
        #expect(commits[0] == Commit(connectionId: 1, repoUrl: "https://github.com/acme/shop", sha: "a1", authoredDate: isoMillis("2024-05-03T09:12:00Z"), additions: 120, deletions: 30))
        #expect(commits[1].isMerge)
        #expect(commits[1].deletions == 0)
        #expect(!commits[0].isMerge)
        #expect(context.warnings.isEmpty)
    }

    @Test("a single commit object is one commit")
    func singleObject() throws {
        let (commits, _) = try decode(#"{"sha":"a1","repoUrl":"r","authoredDate":"2024-05-03T09:12:00Z"}"#)
        #expect(commits == [Commit(connectionId: 1, repoUrl: "r", sha: "a1", authoredDate: isoMillis("2024-05-03T09:12:00Z"))])
    }

    @Test("a single object under commits counts as a one-element list")
    func wrappedSingleObject() throws {
        let (commits, _) = try decode(#"{"Commits":{"sha":"a1","repoUrl":"r","authoredDate":"2024-05-03"}}"#)
        #expect(commits.map(\.sha) == ["a1"])
    }

    @Test("commitSha is an alias of sha", arguments: ["commitSha", "commit_sha"])
    func shaAlias(_ key: String) throws {
        let (commits, context) = try decode(#"{"\#(key)":"a1","repoUrl":"r","authoredDate":"2024-05-03T09:12:00Z"}"#)
        #expect(commits.map(\.sha) == ["a1"])
        #expect(context.warningCodes == ["legacy_alias"])
    }

    @Test("sha, repoUrl and authoredDate are required, reported per element")
    func requiredFields() throws {
        let failure = try decodeFailure(#"{"commits":[{"sha":"a"},{}]}"#)
        #expect(
            failure.errors.map(\.field) == [
                "commits[0].repoUrl", "commits[0].authoredDate", "commits[1].sha", "commits[1].repoUrl",
                "commits[1].authoredDate",
            ])
        #expect(failure.errors.allSatisfy { $0.code == .required })
    }

    @Test("an empty commits list is empty_list")
    func emptyList() throws {
        let failure = try decodeFailure(#"{"commits":[]}"#)
        #expect(failure.errors.map(\.code) == [.emptyList])
        #expect(failure.message == "commits must not be empty")
    }

    @Test("a non-object element is invalid_type; the request is all or nothing")
    func nonObjectElement() throws {
        let failure = try decodeFailure(#"{"commits":[{"sha":"a","repoUrl":"r","authoredDate":"2024-05-03"},"b"]}"#)
        #expect(failure.errors.map(\.field) == ["commits[1]"])
        #expect(failure.errors.map(\.code) == [.invalidType])
    }

    @Test("negative line counts are out_of_range; weak types are accepted")
    func lineCounts() throws {
        let (commits, _) = try decode(#"{"sha":"a","repoUrl":"r","authoredDate":1714727520,"additions":"12","deletions":3.0,"isMerge":"t"}"#)
        #expect(commits.first?.additions == 12)
        #expect(commits.first?.deletions == 3)
        #expect(commits.first?.isMerge == true)
        #expect(commits.first?.authoredDate == isoMillis("2024-05-03T09:12:00Z"))
        let failure = try decodeFailure(#"{"sha":"a","repoUrl":"r","authoredDate":"2024-05-03","additions":-1}"#)
        #expect(failure.errors.map(\.code) == [.outOfRange])
    }

    @Test("keys next to commits are reported as unknown")
    func keysBesideCommits() throws {
        let (_, context) = try decode(#"{"source":"ci","commits":[{"sha":"a","repoUrl":"r","authoredDate":"2024-05-03"}]}"#)
        #expect(context.warningCodes == ["unknown_key"])
        #expect(context.warnings.first?.field == "source")
    }

    @Test("more than 10 000 commits is too_many_items")
    func tooManyCommits() throws {
        let element = #"{"sha":"a","repoUrl":"r","authoredDate":"2024-05-03"}"#
        let json = #"{"commits":[\#(Array(repeating: element, count: CommitDecoder.maximumCommits + 1).joined(separator: ","))]}"#
        let failure = try decodeFailure(json)
        #expect(failure.errors.map(\.code) == [.tooManyItems])
    }

    @Test("repoUrl longer than 500 characters is too_long")
    func repoUrlTooLong() throws {
        let failure = try decodeFailure(#"{"sha":"a","repoUrl":"\#(String(repeating: "r", count: 501))","authoredDate":"2024-05-03"}"#)
        #expect(failure.errors.map(\.code) == [.tooLong])
        #expect(failure.errors.first?.field == "repoUrl")
    }
}
