import Testing

@testable import DoralakeCore

/// `BatchPayload` (what `doralake export` writes): every item decodes back into the same entity
/// through the route decoders, original texts included.
@Suite("Batch payloads round-trip through the decoders")
struct BatchPayloadTests {
    static func decode(_ item: JSONValue) throws -> (type: String, members: [JSONMember]) {
        let text = item.serialized()
        let parsed = try JSONParser.parse(text).value
        guard case .string(let type)? = parsed["type"], case .object(let members)? = parsed["payload"] else {
            throw ValidationFailure([])
        }
        return (type, members)
    }

    static var context: DecodingContext { DecodingContext(receivedAt: 1_800_000_000_000) }

    @Test("deployments: originals, kind and rework, per-row results, statuses, dates and included shas")
    func deployments() throws {
        let first = try DeploymentDecoder.decode(
            try JSONParser.parse(#"""
                {"id":"d-1","result":"Succeeded","environment":"production","kind":"hotfix","startedDate":"2024-05-02T14:00:00.123Z",
                 "finishedDate":"2024-05-02T14:30:00Z","createdDate":"2024-05-02T13:00:00Z","displayTitle":"rollout ✓",
                 "deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"abc","result":"failed","status":"in progress",
                   "includedCommitShas":["x","y"],"commitMsg":"fix\nit","refName":"main","repoId":"r1"},
                   {"repoUrl":"git@github.com:acme/api.git","commitSha":"def","startedDate":"2024-05-02T14:10:00Z"}]}
                """#).value.objectMembers, connectionId: 7, context: Self.context)
        let (type, members) = try Self.decode(BatchPayload.item(first))
        #expect(type == "deployment")
        #expect(try DeploymentDecoder.decode(members, connectionId: 7, context: Self.context) == first)
        #expect(first.originalResult == "Succeeded" && first.commits[0].originalStatus == "in progress")
    }

    @Test("issues: open, closed with lead time, typed in lower case, with story points and an explicit deployment")
    func issues() throws {
        for body in [
            #"{"issueKey":"INC-1","title":"down","type":"incident","status":"in_progress","createdDate":"2024-05-03T12:00:00Z","storyPoint":2.5,"deploymentId":"d-1","deploymentConnectionId":3,"severity":"P1"}"#,
            #"{"issueKey":"BUG-2","title":"b","type":"Bug","status":"DONE","originalStatus":"Closed","createdDate":"2024-05-03T12:00:00Z","resolutionDate":"2024-05-04T12:00:00Z","causedByDeployment":false}"#,
            #"{"issueKey":"REQ-3","title":"r","status":"TODO","createdDate":"2024-05-03T12:00:00Z","leadTimeMinutes":90}"#,
        ] {
            let issue = try IssueDecoder.decode(try JSONParser.parse(body).value.objectMembers, connectionId: 2, context: Self.context)
            let (type, members) = try Self.decode(BatchPayload.item(issue))
            #expect(type == "issue")
            #expect(try IssueDecoder.decode(members, connectionId: 2, context: Self.context) == issue, "\(body)")
        }
    }

    @Test("pull requests and commits")
    func pullRequestsAndCommits() throws {
        let pr = try PullRequestDecoder.decode(
            try JSONParser.parse(#"{"id":"pr-9","pullRequestKey":9,"title":"t","status":"merged","createdDate":"2024-05-01T10:00:00Z","mergedDate":"2024-05-02T10:00:00Z","url":"https://github.com/acme/shop/pull/9","additions":5,"isDraft":true}"#).value.objectMembers,
            connectionId: 1, context: Self.context)
        let (prType, prMembers) = try Self.decode(BatchPayload.item(pr))
        #expect(prType == "pull_request")
        #expect(try PullRequestDecoder.decode(prMembers, connectionId: 1, context: Self.context) == pr)

        let commits = [
            Commit(connectionId: 1, repoUrl: "https://github.com/acme/shop", sha: "a1", authoredDate: 1_714_700_000_000, additions: 120, deletions: 30),
            Commit(connectionId: 1, repoUrl: "https://github.com/acme/shop", sha: "m9", authoredDate: 1_714_700_000_001, additions: 900, isMerge: true),
        ]
        let (commitType, commitMembers) = try Self.decode(BatchPayload.item(commits))
        #expect(commitType == "commit")
        #expect(try CommitDecoder.decode(commitMembers, connectionId: 1, context: Self.context) == commits)
    }
}

extension JSONValue {
    fileprivate var objectMembers: [JSONMember] {
        if case .object(let members) = self { return members }
        return []
    }
}
