import DoralakeCore
import DoralakeStore
import HTTPTypes
import Testing

/// The METRICS.md §6.0 data set posted through the API, then the metrics request of §9.
@Suite("Metrics API")
struct MetricsAPITests {
    static func deployment(_ id: String, sha: String, started: String, finished: String, result: String = "SUCCESS",
        environment: String = "PRODUCTION", included: [String] = []) -> String
    {
        let includedJSON = included.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"id":"\#(id)","startedDate":"2024-\#(started):00Z","finishedDate":"2024-\#(finished):00Z","result":"\#(result)","environment":"\#(environment)","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"\#(sha)","includedCommitShas":[\#(includedJSON)]}]}"#
    }

    static func pullRequest(_ key: Int, created: String, merged: String?, sha: String) -> String {
        let mergedJSON = merged.map { "\"2024-\($0)Z\"" } ?? "null"
        return #"{"id":"pr\#(key)","pullRequestKey":\#(key),"displayTitle":"PR\#(key)","url":"https://github.com/acme/shop/pull/\#(key)","createdDate":"2024-\#(created):00Z","mergedDate":\#(mergedJSON),"mergeCommitSha":"\#(sha)","status":"\#(merged == nil ? "OPEN" : "MERGED")"}"#
    }

    static func incident(_ key: String, created: String, resolved: String, causedByDeployment: Bool? = nil) -> String {
        let extra = causedByDeployment.map { #","causedByDeployment":\#($0)"# } ?? ""
        return #"{"issueKey":"\#(key)","title":"\#(key)","type":"INCIDENT","status":"DONE","createdDate":"2024-\#(created):00Z","resolutionDate":"2024-\#(resolved):00Z"\#(extra)}"#
    }

    /// Posts the §6.0 data set to a new project `shop` and returns the admin-visible server.
    static func loadExample(_ server: ServerHarness) async throws -> (id: Int64, key: String) {
        let own = try await server.createConnection("shop-ci")
        try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(own.id)]}"#)
        let base = "/api/rest/plugins/webhook/connections/\(own.id)"
        let deployments = [
            deployment("deploy-100", sha: "aaa111", started: "05-01T09:00", finished: "05-01T09:20"),
            deployment("deploy-101", sha: "bbb222", started: "05-02T14:00", finished: "05-02T14:30", included: ["ccc333", "ddd444"]),
            deployment("deploy-102", sha: "fff000", started: "05-02T17:40", finished: "05-02T18:00", result: "FAILURE"),
            deployment("stg-7", sha: "eee555", started: "05-03T08:00", finished: "05-03T08:10", environment: "STAGING"),
            deployment("deploy-103", sha: "eee555", started: "05-03T10:00", finished: "05-03T10:10"),
            deployment("deploy-104", sha: "ggg666", started: "05-04T08:50", finished: "05-04T09:00"),
        ]
        for body in deployments {
            let reply = try await server.post("\(base)/deployments", token: own.key, body: body)
            #expect(reply.status == .ok, "\(reply.text)")
        }
        let pullRequests = [
            pullRequest(1, created: "04-30T10:00", merged: "05-01T08:00:00", sha: "aaa111"),
            pullRequest(2, created: "05-01T12:00", merged: "05-02T09:30:00", sha: "ccc333"),
            pullRequest(3, created: "05-02T16:00", merged: "05-02T16:45:30", sha: "999999"),
            pullRequest(4, created: "05-04T11:00", merged: "05-04T12:00:00", sha: "hhh777"),
            pullRequest(5, created: "05-04T13:00", merged: nil, sha: ""),
            pullRequest(6, created: "05-03T09:00", merged: "05-03T09:30:00", sha: "eee555"),
        ]
        for body in pullRequests {
            let reply = try await server.post("\(base)/pull_requests", token: own.key, body: body)
            #expect(reply.status == .ok, "\(reply.text)")
        }
        let incidents = [
            incident("I1", created: "05-02T15:00", resolved: "05-02T16:10"),
            incident("I2", created: "05-02T19:00", resolved: "05-02T20:15"),
            incident("I3", created: "05-03T10:10", resolved: "05-03T10:40"),
            incident("I4", created: "04-28T22:00", resolved: "05-01T04:00"),
            incident("I5", created: "05-03T12:00", resolved: "05-03T18:00", causedByDeployment: false),
        ]
        for body in incidents {
            // An incident's answer waits for its links; under a test's short read-barrier wait on a
            // loaded machine that wait can run out (503, the incident stored): post it again, as a
            // client following Retry-After would.
            var reply = try await server.post("\(base)/issues", token: own.key, body: body)
            for _ in 0..<20 where reply.status == .serviceUnavailable {
                reply = try await server.post("\(base)/issues", token: own.key, body: body)
            }
            #expect(reply.status == .ok, "\(reply.text)")
        }
        return own
    }

    @Test("the §6.0 data set gives the documented DORA figures for May 2024")
    func exampleDataSet() async throws {
        try await ServerHarness.run { server in
            _ = try await Self.loadExample(server)
            let reply = try await server.request(
                .get, "/api/v1/projects/shop/metrics?from=2024-05-01&to=2024-05-31", token: ServerHarness.adminToken)
            #expect(reply.status == .ok, "\(reply.text)")
            let data = try #require(reply.data)
            #expect(data["from"] == "2024-05-01T00:00:00.000Z")
            #expect(data["to"] == "2024-05-31T23:59:59.999Z")
            #expect(data["report"] == "2023")
            let metrics = try #require(data["metrics"])
            let ltc = try #require(metrics["leadTimeForChanges"])
            #expect(ltc["value"] == .number("1091"))
            #expect(ltc["label"] == "18.2(elite)")
            #expect(ltc["n"] == 4)
            #expect(ltc["p75"] == .number("1400"))
            #expect(ltc["mean"] == .number("1037.75"))
            #expect(ltc["details"]?["byRule"] == ["merge_sha": 2, "included_sha": 1, "time": 1])
            #expect(ltc["series"]?.array?.first?["month"] == "24/05")
            let cfr = try #require(metrics["changeFailureRate"])
            #expect(cfr["value"] == .number("0.25"))
            #expect(cfr["label"] == "25.0%(low)")
            #expect(cfr["numerator"] == 1)
            #expect(cfr["denominator"] == 4)
            #expect(cfr["details"]?["incidentsPerDeployment"] == .number("0.75"))
            let fdrt = try #require(metrics["failedDeploymentRecoveryTime"])
            #expect(fdrt["value"] == .number("345"))
            #expect(fdrt["label"] == "5.8(high)")
            let mttr = try #require(metrics["timeToRestoreService"])
            #expect(mttr["value"] == .number("75"))
            #expect(mttr["n"] == 5)
            let rework = try #require(metrics["deploymentReworkRate"])
            #expect(rework["value"] == .number("0"))
            #expect(rework["denominator"] == 4)
            let incidentAge = try #require(metrics["incidentAge"])
            #expect(incidentAge["n"] == 5)
            let df = try #require(metrics["deploymentFrequency"])
            #expect(df["status"] == "ok")
            #expect(df["n"] == 4)
            // 2021 report: the lead time tier changes, MTTR gets its tier.
            let r2021 = try await server.request(
                .get, "/api/v1/projects/shop/metrics?from=2024-05-01&to=2024-05-31&report=2021&series=none",
                token: ServerHarness.adminToken)
            #expect(r2021.data?["metrics"]?["leadTimeForChanges"]?["label"] == "18.2(high)")
            #expect(r2021.data?["metrics"]?["timeToRestoreService"]?["label"] == "1.3(high)")
            #expect(r2021.data?["metrics"]?["leadTimeForChanges"]?["series"] == nil)
            // The only connection is the project's, so the all scope (its own stored derived
            // data) gives exactly the project's metrics.
            let all = try await server.request(
                .get, "/api/v1/metrics?from=2024-05-01&to=2024-05-31", token: ServerHarness.adminToken)
            #expect(all.status == .ok, "\(all.text)")
            #expect(all.data?["metrics"] == data["metrics"])
        }
    }

    @Test("an event posted is reflected by the very next metrics request")
    func freshness() async throws {
        try await ServerHarness.run { server in
            let own = try await Self.loadExample(server)
            let path = "/api/v1/projects/shop/metrics?from=2024-05-01&to=2024-05-31&metrics=changeFailureRate"
            let before = try await server.request(.get, path, token: ServerHarness.adminToken)
            #expect(before.data?["metrics"]?["changeFailureRate"]?["numerator"] == 1)
            try await server.post(
                "/api/rest/plugins/webhook/connections/\(own.id)/issues", token: own.key,
                body: Self.incident("I9", created: "05-04T10:00", resolved: "05-04T11:00"))
            let after = try await server.request(.get, path, token: ServerHarness.adminToken)
            #expect(after.data?["metrics"]?["changeFailureRate"]?["numerator"] == 2)
            #expect(after.data?["metrics"]?["changeFailureRate"]?["label"] == "50.0%(low)")
        }
    }

    @Test("with derivation held, a metrics request answers 503 with Retry-After after the configured wait, never stale numbers")
    func boundedWaitOverHTTP() async throws {
        // Long enough for the example's own posts (an incident's answer waits for its links) on a
        // machine loaded by the whole suite; the held read then waits it out.
        let wait = Duration.seconds(3)
        try await ServerHarness.run(options: StoreOptions(derivationMaxWait: wait)) { server in
            let own = try await Self.loadExample(server)
            let path = "/api/v1/projects/shop/metrics?from=2024-05-01&to=2024-05-31&metrics=changeFailureRate"
            // Derive the example first (on a loaded machine one read may miss the short wait).
            var before = try await server.request(.get, path, token: ServerHarness.adminToken)
            for _ in 0..<10 where before.status != .ok {
                before = try await server.request(.get, path, token: ServerHarness.adminToken)
            }
            #expect(before.status == .ok)
            server.store.derivation.setSuspended(true)
            defer { server.store.derivation.setSuspended(false) }
            try await server.post(
                "/api/rest/plugins/webhook/connections/\(own.id)/deployments", token: own.key,
                body: #"{"id":"held","startedDate":"2024-05-20T10:00:00Z","finishedDate":"2024-05-20T10:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"abc"}]}"#)
            let started = ContinuousClock.now
            let held = try await server.request(.get, path, token: ServerHarness.adminToken)
            #expect(ContinuousClock.now - started >= wait)
            #expect(held.status == .serviceUnavailable, "\(held.text)")
            #expect(held.headers[.retryAfter] == "1")
            #expect(held.message?.contains("derived data is still being updated") == true, "\(held.text)")
            #expect(held.data?["metrics"] == nil, "no numbers in the 503")
        }
    }

    @Test("parameters are validated and access is scoped")
    func parametersAndAccess() async throws {
        try await ServerHarness.run { server in
            let own = try await server.createConnection("c")
            try await server.post("/api/v1/projects", body: #"{"name":"shop","connectionIds":[\#(own.id)]}"#)
            for (query, parameter) in [("report=2022", "report"), ("tz=Mars/Olympus", "tz"), ("from=yesterday", "from"),
                ("metrics=speed", "metrics"), ("series=week", "series")]
            {
                let reply = try await server.request(.get, "/api/v1/projects/shop/metrics?\(query)", token: ServerHarness.adminToken)
                #expect(reply.status == .badRequest, "\(query)")
                #expect(reply.message?.hasPrefix(parameter + ":") == true, "\(query): \(reply.text)")
            }
            let unknown = try await server.request(.get, "/api/v1/projects/nope/metrics", token: ServerHarness.adminToken)
            #expect(unknown.status == .notFound)
            let connectionKey = try await server.request(.get, "/api/v1/projects/shop/metrics", token: own.key)
            #expect(connectionKey.status == .forbidden)
            let projectKey = try #require(try await server.post("/api/v1/projects/shop/api-key/rotate").data?["apiKey"]?.string)
            let allowed = try await server.request(.get, "/api/v1/projects/shop/metrics", token: projectKey)
            #expect(allowed.status == .ok)
            #expect(allowed.data?["metrics"]?["deploymentFrequency"]?["status"] == "insufficient_data")
            #expect(allowed.data?["metrics"]?["deploymentFrequency"]?["label"] == "N/A. Please check if you have collected deployments.")
            let all = try await server.request(.get, "/api/v1/metrics", token: projectKey)
            #expect(all.status == .forbidden)
            let allAdmin = try await server.request(.get, "/api/v1/metrics", token: ServerHarness.adminToken)
            #expect(allAdmin.status == .ok)
            #expect(allAdmin.data?["project"] == .null)
        }
    }
}
