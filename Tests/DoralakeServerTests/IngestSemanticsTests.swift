import DoralakeCore
import HTTPTypes
import Synchronization
import Testing

/// Spec §5.4, §6.1, §6.3, §7, §8.1: what a write stores and answers.
@Suite("Ingest semantics")
struct IngestSemanticsTests {
    @Test("re-posting a deployment replaces it, removes unlisted commits and keeps receivedAt")
    func repost() async throws {
        // A clock that advances one second per reading, so first post and re-post get different times.
        let ticks = Atomic<Int64>(0)
        let clock = WallClock { 1_700_000_000_000 + ticks.add(1, ordering: .relaxed).newValue * 1000 }
        try await ServerHarness.run(clock: clock) { server in
            let own = try await server.createConnection("shop-ci")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/deployments"
            let two = #"{"id":"d-1","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r1","commitSha":"a"},{"repoUrl":"r2","commitSha":"b"}]}"#
            let first = try await server.post(path, token: own.key, body: two)
            #expect(first.data?["outcome"] == "created")
            let same = try await server.post(path, token: own.key, body: two)
            #expect(same.data?["outcome"] == "unchanged")
            let one = #"{"id":"d-1","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"r2","commitSha":"b","result":"FAILURE"}]}"#
            let replaced = try await server.post(path, token: own.key, body: one)
            #expect(replaced.data?["outcome"] == "updated")
            #expect(replaced.data?["removedCommitIds"] == .array([.string(DevLakeID.deploymentCommit(connectionId: own.id, deploymentId: "d-1", repoUrl: "r1", commitSha: "a"))]))
            let read = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/d-1", token: own.key)
            let commits = try #require(read.data?["commits"]?.array)
            #expect(commits.count == 1)
            #expect(commits.first?["result"] == "FAILURE")
            #expect(read.data?["lastEventId"] == replaced.data?["eventId"])
            let firstRead = try await server.store.deployment(connectionId: own.id, id: "d-1", scope: .all)
            #expect(read.data?["receivedAt"] == RecordJSONProbe.time(firstRead?.receivedAt))
            #expect(firstRead.map { $0.receivedAt < $0.updatedAt } == true)
        }
    }

    @Test("two connections may post the same deployment id")
    func scopedIds() async throws {
        try await ServerHarness.run { server in
            let a = try await server.createConnection("a")
            let b = try await server.createConnection("b")
            #expect(try await server.post("/rest/plugins/webhook/\(a.id)/deployments", token: a.key, body: Samples.deployment(id: "1", sha: "x")).data?["outcome"] == "created")
            #expect(try await server.post("/rest/plugins/webhook/\(b.id)/deployments", token: b.key, body: Samples.deployment(id: "1", sha: "y")).data?["outcome"] == "created")
            let list = try await server.request(.get, "/api/v1/deployments", token: ServerHarness.adminToken)
            #expect(list.data?["items"]?.array?.count == 2)
        }
    }

    @Test("close resolves: DONE, resolution date, lead time; a repeat close changes nothing")
    func close() async throws {
        let receipt: EpochMilliseconds = 1_714_665_600_000  // 2024-05-02T16:00:00Z
        try await ServerHarness.run(clock: .fixed(receipt)) { server in
            let own = try await server.createConnection("shop-ci")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            try await server.post("\(base)/issues", token: own.key, body: Samples.issue(key: "INC-1"))
            let closed = try await server.post("\(base)/issue/INC-1/close", token: own.key)
            #expect(closed.status == .ok)
            #expect(closed.data?["status"] == "DONE")
            #expect(closed.data?["resolutionDate"] == "2024-05-02T16:00:00.000Z")
            #expect(closed.data?["leadTimeMinutes"] == 60)
            #expect(closed.data?["outcome"] == "closed")
            let again = try await server.post("\(base)/issue/INC-1/close", token: own.key, body: "null")
            #expect(again.data?["outcome"] == "unchanged")
            let moved = try await server.post("\(base)/issue/close", token: own.key, body: #"{"issueKey":"INC-1","resolutionDate":"2024-05-02T15:30:00Z"}"#)
            #expect(moved.data?["outcome"] == "updated")
            #expect(moved.data?["leadTimeMinutes"] == 30)
            let read = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/INC-1", token: own.key)
            #expect(read.data?["status"] == "DONE")
            #expect(read.data?["originalStatus"] == "")
            #expect(read.data?["updatedDate"] == "2024-05-02T16:00:00.000Z")
        }
    }

    @Test("close errors: unknown issue 404, conflicting key 400, resolution before creation 400, body form needs issueKey")
    func closeErrors() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            let unknown = try await server.post("\(base)/issue/NOPE/close", token: own.key)
            #expect(unknown.status == .notFound)
            #expect(unknown.message == "issue not found: NOPE")
            #expect(unknown.json["causes"] == .array(["record not found"]))
            try await server.post("\(base)/issues", token: own.key, body: Samples.issue(key: "INC-1"))
            let conflict = try await server.post("\(base)/issue/INC-1/close", token: own.key, body: #"{"issueKey":"INC-2"}"#)
            #expect(conflict.status == .badRequest)
            #expect(conflict.data?["errors"]?.array?.first?["code"] == "conflict")
            let early = try await server.post("\(base)/issue/INC-1/close", token: own.key, body: #"{"resolutionDate":"2024-05-01T00:00:00Z"}"#)
            #expect(early.status == .badRequest)
            #expect(early.data?["errors"]?.array?.first?["code"] == "date_order")
            let missingKey = try await server.post("\(base)/issue/close", token: own.key, body: "{}")
            #expect(missingKey.status == .badRequest)
            #expect(missingKey.message == "issueKey is required")
            // Nothing of the failed closes was written.
            let read = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/INC-1", token: own.key)
            #expect(read.data?["status"] == "TODO")
        }
    }

    @Test("issue type and status are case-insensitive; a re-typed issue stops being an incident")
    func issueTyping() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/issues"
            let incident = try await server.post(path, token: own.key, body: Samples.issue(key: "I-1", type: "incident", status: "in_progress"))
            #expect(incident.data?["isIncident"] == true)
            let read = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/I-1", token: own.key)
            #expect(read.data?["type"] == "INCIDENT")
            #expect(read.data?["status"] == "IN_PROGRESS")
            #expect(read.data?["originalStatus"] == "in_progress")
            let bug = try await server.post(path, token: own.key, body: Samples.issue(key: "I-1", type: "Bug"))
            #expect(bug.data?["isIncident"] == false)
            #expect(bug.data?["outcome"] == "updated")
            let incidents = try await server.request(.get, "/api/v1/issues?type=incident", token: own.key)
            #expect(incidents.data?["items"]?.array?.isEmpty == true)
        }
    }

    @Test("pull requests derive their repo from the URL and warn when a re-post moves them")
    func pullRequests() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/pull_requests"
            let body = #"{"id":"gh-881","pullRequestKey":42,"displayTitle":"Feature","status":"MERGED","originalStatus":"closed","url":"https://github.com/acme/shop/pull/42","createdDate":"2024-05-01T12:00:00Z","mergedDate":"2024-05-02T09:30:00Z","closedDate":null,"mergeCommitSha":"ccc333","headRef":"feature/x","baseRef":"main","additions":300,"deletions":50,"isDraft":"false"}"#
            let created = try await server.post(path, token: own.key, body: body)
            #expect(created.status == .ok)
            #expect(created.data == [
                "connectionId": .int(own.id), "pullRequestId": .string("webhook:\(own.id):42"),
                "repoUrl": "https://github.com/acme/shop", "outcome": "created", "eventId": created.data?["eventId"] ?? .null,
                "warnings": [],
            ])
            let moved = try await server.post(path, token: own.key, body: body.replacingOccurrences(of: "acme/shop", with: "acme/web"))
            #expect(moved.data?["warnings"]?.array?.first?["code"] == "pull_request_repo_changed")
            let read = try await server.request(.get, "/api/v1/connections/\(own.id)/pull_requests/42", token: own.key)
            #expect(read.data?["baseRepoId"] == .string("webhook:\(own.id)"))
            #expect(read.data?["isDraft"] == false)
        }
    }

    @Test("commits: one object or a list, all or nothing, created/updated/unchanged counts")
    func commits() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            let path = "/api/rest/plugins/webhook/connections/\(own.id)/commits"
            let body = #"{"commits":[{"sha":"a1","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-03T09:12:00Z","additions":120,"deletions":30},{"sha":"m9","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-03T10:00:00Z","additions":900,"isMerge":true}]}"#
            let created = try await server.post(path, token: own.key, body: body)
            #expect(created.data?["created"] == 2)
            #expect(created.data?["commitIds"] == .array([.string("webhook:\(own.id):0e3e2eb86df7a42e:a1"), .string("webhook:\(own.id):0e3e2eb86df7a42e:m9")]))
            let again = try await server.post(path, token: own.key, body: body)
            #expect(again.data?["unchanged"] == 2)
            let single = try await server.post(path, token: own.key, body: #"{"commitSha":"a1","repoUrl":"https://github.com/acme/shop","authoredDate":"2024-05-03T09:12:00Z","additions":121}"#)
            #expect(single.data?["updated"] == 1)
            let invalid = try await server.post(path, token: own.key, body: #"{"commits":[{"sha":"z","repoUrl":"r","authoredDate":"2024-05-03T09:12:00Z"},{"sha":"y","repoUrl":"r"}]}"#)
            #expect(invalid.status == .badRequest)
            #expect(invalid.message == "commits[1].authoredDate is required")
            let list = try await server.request(.get, "/api/v1/commits", token: own.key)
            #expect(list.data?["items"]?.array?.count == 2)
            let one = try await server.request(.get, "/api/v1/connections/\(own.id)/commits/a1?repoUrl=https://github.com/acme/shop", token: own.key)
            #expect(one.data?["additions"] == 121)
            let noRepo = try await server.request(.get, "/api/v1/connections/\(own.id)/commits/a1", token: own.key)
            #expect(noRepo.status == .badRequest)
        }
    }
}

/// Formats times as the API does, to compare stored values with responses.
enum RecordJSONProbe {
    static func time(_ millis: EpochMilliseconds?) -> JSONValue {
        millis.map { .string(Timestamp.format($0)) } ?? .null
    }
}
