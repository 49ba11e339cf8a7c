import DoralakeCore
import HTTPTypes
import Testing

/// Derived data visible through the API right after each write (METRICS.md §2, §5.1; spec §6.1, §10).
@Suite("Derived data through the API")
struct DerivedDataTests {
    static func deployment(_ id: String, sha: String, started: String, finished: String, result: String = "SUCCESS",
        environment: String = "PRODUCTION", included: [String] = []) -> String
    {
        let includedJSON = included.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"id":"\#(id)","startedDate":"\#(started)","finishedDate":"\#(finished)","result":"\#(result)","environment":"\#(environment)","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"\#(sha)","includedCommitShas":[\#(includedJSON)]}]}"#
    }

    @Test("incidents link to the last successful production deployment before them, with reasons, immediately")
    func incidentLinks() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(own.id)]}"#)
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            // Before any deployment: no prior deployment.
            let early = try await server.post(
                "\(base)/issues", token: own.key,
                body: #"{"issueKey":"I4","title":"t","type":"INCIDENT","status":"DONE","createdDate":"2024-04-28T22:00:00Z","resolutionDate":"2024-05-01T04:00:00Z"}"#)
            #expect(early.data?["links"] == .array([["project": "shop", "deploymentId": .null, "reason": "no_prior_deployment"]]))
            try await server.post("\(base)/deployments", token: own.key, body: Self.deployment("deploy-100", sha: "aaa111", started: "2024-05-01T09:00:00Z", finished: "2024-05-01T09:20:00Z"))
            try await server.post("\(base)/deployments", token: own.key, body: Self.deployment("deploy-101", sha: "bbb222", started: "2024-05-02T14:00:00Z", finished: "2024-05-02T14:30:00Z", included: ["ccc333"]))
            try await server.post("\(base)/deployments", token: own.key, body: Self.deployment("deploy-102", sha: "fff000", started: "2024-05-02T17:40:00Z", finished: "2024-05-02T18:00:00Z", result: "FAILURE"))
            let i2 = try await server.post(
                "\(base)/issues", token: own.key,
                body: #"{"issueKey":"I2","title":"t","type":"INCIDENT","status":"TODO","createdDate":"2024-05-02T19:00:00Z"}"#)
            #expect(i2.data?["links"] == .array([["project": "shop", "deploymentId": "deploy-101", "connectionId": .int(own.id), "reason": "time"]]))
            let i5 = try await server.post(
                "\(base)/issues", token: own.key,
                body: #"{"issueKey":"I5","title":"t","type":"INCIDENT","status":"TODO","createdDate":"2024-05-03T12:00:00Z","causedByDeployment":false}"#)
            #expect(i5.data?["links"]?.array?.first?["reason"] == "not_caused_by_deployment")
            // A deployment written later moves the link of an incident created after it.
            try await server.post("\(base)/deployments", token: own.key, body: Self.deployment("deploy-103", sha: "eee555", started: "2024-05-02T18:10:00Z", finished: "2024-05-02T18:30:00Z"))
            let reread = try await server.request(.get, "/api/v1/connections/\(own.id)/issues/I2", token: own.key)
            #expect(reread.data?["links"]?.array?.first?["deploymentId"] == "deploy-103")
            // The deployment read shows its linked incidents per project.
            let d3 = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/deploy-103", token: own.key)
            #expect(d3.data?["projects"]?.array?.first?["incidents"] == .array([.string("webhook:\(own.id):I2")]))
            // Re-typing the incident removes its link.
            try await server.post("\(base)/issues", token: own.key, body: #"{"issueKey":"I2","title":"t","type":"BUG","status":"TODO","createdDate":"2024-05-02T19:00:00Z"}"#)
            let after = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/deploy-103", token: own.key)
            #expect(after.data?["projects"]?.array?.first?["incidents"] == .array([]))
            // The chain of successful rows is maintained: deploy-101 follows deploy-100.
            let d2 = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/deploy-101", token: own.key)
            #expect(d2.data?["commits"]?.array?.first?["prevSuccessDeploymentCommitId"]
                == .string(DevLakeID.deploymentCommit(connectionId: own.id, deploymentId: "deploy-100", repoUrl: "https://github.com/acme/shop", commitSha: "aaa111")))
        }
    }

    @Test("pull requests are attributed by merge sha, included sha and time, and detaching a connection clears them")
    func pullRequestAttribution() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("shop-ci")
            try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(own.id)]}"#)
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            try await server.post("\(base)/deployments", token: own.key, body: Self.deployment("deploy-100", sha: "aaa111", started: "2024-05-01T09:00:00Z", finished: "2024-05-01T09:20:00Z"))
            try await server.post("\(base)/deployments", token: own.key, body: Self.deployment("deploy-101", sha: "bbb222", started: "2024-05-02T14:00:00Z", finished: "2024-05-02T14:30:00Z", included: ["ccc333"]))
            let pr1 = #"{"id":"p1","pullRequestKey":1,"displayTitle":"a","url":"https://github.com/acme/shop/pull/1","createdDate":"2024-04-30T10:00:00Z","mergedDate":"2024-05-01T08:00:00Z","mergeCommitSha":"aaa111","status":"MERGED"}"#
            let pr2 = #"{"id":"p2","pullRequestKey":2,"displayTitle":"b","url":"https://github.com/acme/shop/pull/2","createdDate":"2024-05-01T12:00:00Z","mergedDate":"2024-05-02T09:30:00Z","mergeCommitSha":"ccc333","status":"MERGED"}"#
            let pr3 = #"{"id":"p3","pullRequestKey":3,"displayTitle":"c","url":"https://github.com/acme/shop/pull/3","createdDate":"2024-05-02T10:00:00Z","mergedDate":"2024-05-02T11:00:00Z","mergeCommitSha":"999999","status":"MERGED"}"#
            for body in [pr1, pr2, pr3] { try await server.post("\(base)/pull_requests", token: own.key, body: body) }
            let read1 = try await server.request(.get, "/api/v1/connections/\(own.id)/pull_requests/1", token: own.key)
            let attribution1 = try #require(read1.data?["projects"]?.array?.first)
            #expect(attribution1["rule"] == "merge_sha")
            #expect(attribution1["deploymentId"] == "deploy-100")
            #expect(attribution1["cycleTimeMinutes"] == 1400)
            let read2 = try await server.request(.get, "/api/v1/connections/\(own.id)/pull_requests/2", token: own.key)
            #expect(read2.data?["projects"]?.array?.first?["rule"] == "included_sha")
            #expect(read2.data?["projects"]?.array?.first?["cycleTimeMinutes"] == 1590)
            let read3 = try await server.request(.get, "/api/v1/connections/\(own.id)/pull_requests/3", token: own.key)
            #expect(read3.data?["projects"]?.array?.first?["rule"] == "time")
            let deployment = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/deploy-101", token: own.key)
            #expect(deployment.data?["projects"]?.array?.first?["pullRequests"] == .array([.string("webhook:\(own.id):2"), .string("webhook:\(own.id):3")]))
            try await server.request(.delete, "/api/v1/projects/shop/connections/\(own.id)", token: ServerHarness.adminToken)
            let detached = try await server.request(.get, "/api/v1/connections/\(own.id)/pull_requests/1", token: own.key)
            #expect(detached.data?["projects"] == .array([]))
        }
    }

    @Test("a deployment after an incident and before its resolution is rework; a flagged one too")
    func rework() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("ops-ci")
            try await server.post("/api/v1/projects", body: #"{"name":"ops","connectionIds":[\#(own.id)]}"#)
            let base = "/api/rest/plugins/webhook/connections/\(own.id)"
            try await server.post("\(base)/issues", token: own.key, body: #"{"issueKey":"J","title":"t","type":"INCIDENT","status":"DONE","createdDate":"2024-06-05T12:00:00Z","resolutionDate":"2024-06-05T18:00:00Z"}"#)
            try await server.post("\(base)/deployments", token: own.key, body: Self.deployment("C", sha: "c", started: "2024-06-05T15:00:00Z", finished: "2024-06-05T16:00:00Z"))
            try await server.post("\(base)/deployments", token: own.key, body: #"{"id":"B","isRework":true,"startedDate":"2024-06-04T08:00:00Z","finishedDate":"2024-06-04T09:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"b"}]}"#)
            let c = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/C", token: own.key)
            #expect(c.data?["projects"]?.array?.first?["rework"] == ["isRework": true, "reason": "after_incident", "incidentId": .string("webhook:\(own.id):J")])
            let b = try await server.request(.get, "/api/v1/connections/\(own.id)/deployments/B", token: own.key)
            #expect(b.data?["projects"]?.array?.first?["rework"]?["reason"] == "flagged")
        }
    }
}
