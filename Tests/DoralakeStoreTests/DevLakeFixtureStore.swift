import DevLakeFixtureSupport
import DoralakeCore
import DoralakeStore
import DoralakeTestSupport
import Foundation
import Logging
import Testing

/// How a fixture's data reaches the store. Stored derived data must not depend on it (METRICS.md §2:
/// stored derived data equals a full recomputation after any sequence of writes), so every fixture
/// case runs with each plan.
enum WritePlan: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Projects first, then one request at a time in fixture order: derived data is maintained write by write.
    case projectsFirst
    /// Projects first, then one request at a time in reverse order: incidents and pull requests before
    /// the deployments they link to, later deployments before earlier ones.
    case projectsFirstReversed
    /// Projects first, then every request at once, as concurrent requests sharing group transactions.
    case projectsFirstConcurrent
    /// Every request first, projects last: each project's derived data is computed when it is created.
    case projectsLast

    var description: String { rawValue }
}

/// One webhook request of a fixture: its route, the DevLake scope whose connection it is posted
/// through, and its JSON body.
struct WebhookWrite: Sendable {
    enum Route: String, Sendable {
        case deployments
        case issues
        case pullRequests = "pull_requests"
    }

    var route: Route
    var scope: String
    var body: String
}

/// One stored deployment-commit row, matched to the DevLake row it was written from.
struct FixtureRow: Sendable {
    /// The DevLake `cicd_deployment_commits.id` of the row, or `unmatched:<stored id>`.
    var devLakeId: String
    /// The DevLake scope of the row's connection.
    var scope: String
    var deploymentId: String
    /// The environment stored for the row's deployment.
    var environment: String
    var row: StoredDeploymentCommit
}

/// A store holding one DevLake fixture (`/work/shared/fixtures/devlake-dora-e2e`, see its README):
/// one webhook connection per DevLake scope (`cicdN`, `repoN`, `boardN`, created through the store
/// in that order, so connection ids ascend as in the Core fixture test), DevLake's projects from
/// `project_mapping.csv`, and the fixture's rows written as webhook bodies: each body is parsed and
/// decoded with the route's decoder and written with the store's ingest API, as `IngestController` does.
struct DevLakeFixtureStore: Sendable {
    let store: Store
    /// The connection id of each DevLake scope.
    let connections: [String: Int64]

    /// The pinned receipt time of every request: 2026-01-01T00:00:00Z.
    static let receivedAt: EpochMilliseconds = 1_767_225_600_000

    /// Runs `check` on a new store of `database` holding the fixture.
    /// - Parameters:
    ///   - mapping: a `project_mapping.csv`: its projects are created with their scopes' connections.
    ///   - writes: the fixture's requests in fixture order; scopes they use that no project lists get
    ///     a connection of their own, outside every project.
    static func run(
        on database: TestDatabase, plan: WritePlan, mapping: CSVTable, writes: [WebhookWrite],
        check: @escaping @Sendable (DevLakeFixtureStore) async throws -> Void
    ) async throws {
        try await database.withFreshDatabase { url in
            var logger = Logger(label: "devlake-fixture-store")
            logger.logLevel = .critical
            let store = try await Store.open(url, options: .testing, logger: logger)
            try await store.withRunningWriter {
                let scopes = Set(mapping.rows.map { $0["row_id"]! } + writes.map(\.scope)).sorted(by: scopeOrder)
                var connections: [String: Int64] = [:]
                for scope in scopes {
                    connections[scope] = try await store.createConnection(
                        name: scope, keyHash: "fixture-key-\(scope)", expiredAt: nil
                    ).id
                }
                let fixture = DevLakeFixtureStore(store: store, connections: connections)
                if plan != .projectsLast { try await fixture.createProjects(mapping) }
                switch plan {
                case .projectsFirst, .projectsLast:
                    for write in writes { try await fixture.post(write) }
                case .projectsFirstReversed:
                    for write in writes.reversed() { try await fixture.post(write) }
                case .projectsFirstConcurrent:
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for write in writes { group.addTask { try await fixture.post(write) } }
                        try await group.waitForAll()
                    }
                }
                if plan == .projectsLast { try await fixture.createProjects(mapping) }
                try await check(fixture)
            }
        }
    }

    /// `cicdN`, then `repoN`, then `boardN` (each by N), then any other scope by name.
    private static func scopeOrder(_ left: String, _ right: String) -> Bool {
        func rank(_ scope: String) -> (Int, Int, String) {
            let kind = ["cicd", "repo", "board"].firstIndex { scope.hasPrefix($0) } ?? 3
            return (kind, Int(scope.filter(\.isNumber)) ?? 0, scope)
        }
        return rank(left) < rank(right)
    }

    /// The connection standing for a DevLake scope.
    func connection(_ scope: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int64 {
        guard let id = connections[scope] else {
            Testing.Issue.record("no connection for scope \(scope)", sourceLocation: sourceLocation)
            return -1
        }
        return id
    }

    /// The DevLake scope a connection stands for.
    func scope(of connectionId: Int64?) -> String {
        connections.first { $0.value == connectionId }?.key ?? "connection \(connectionId.map(String.init) ?? "none")"
    }

    /// The projects of a `project_mapping.csv`, each with its scopes' connections, in file order.
    private func createProjects(_ mapping: CSVTable) async throws {
        var projects: [(name: String, scopes: [String])] = []
        for row in mapping.rows {
            let name = row["project_name"]!
            if let index = projects.firstIndex(where: { $0.name == name }) {
                projects[index].scopes.append(row["row_id"]!)
            } else {
                projects.append((name, [row["row_id"]!]))
            }
        }
        for project in projects {
            _ = try await store.createProject(name: project.name, connectionIds: project.scopes.map { connection($0) })
        }
    }

    /// Parses and decodes `write`'s body and writes it through the store, as the server's ingest route does.
    func post(_ write: WebhookWrite) async throws {
        let connectionId = connection(write.scope)
        let context = DecodingContext(
            receivedAt: Self.receivedAt, dateParser: DateParser(zonelessTimeZone: TimeZone(identifier: "UTC")!))
        let members = try #require(try JSONParser.parse(write.body).value.objectMembers, "not an object: \(write.body)")
        let event = EventDraft(
            receivedAt: Self.receivedAt, method: "POST",
            path: "/api/rest/plugins/webhook/connections/\(connectionId)/\(write.route.rawValue)", route: write.route.rawValue,
            connectionId: connectionId, projectName: nil, principal: "admin", status: 200, message: "success",
            contentType: "application/json", bodySize: write.body.utf8.count, bodySha256: "", body: write.body,
            bodyTruncated: false)
        switch write.route {
        case .deployments:
            let deployment = try DeploymentDecoder.decode(members, connectionId: connectionId, context: context)
            _ = try await store.upsert(deployment, event: event)
        case .issues:
            let issue = try IssueDecoder.decode(members, connectionId: connectionId, context: context)
            _ = try await store.upsert(issue, event: event)
        case .pullRequests:
            let pullRequest = try PullRequestDecoder.decode(members, connectionId: connectionId, context: context)
            _ = try await store.upsert(pullRequest, event: event)
        }
        #expect(context.warnings.isEmpty, "\(write.route) body \(write.body): \(context.warnings)")
    }

    /// Every stored deployment-commit row (read like `GET /api/v1/deployments`), matched to the
    /// DevLake row of `table` with the same scope, `cicd_deployment_id`, `repo_url` and `commit_sha`.
    /// - Returns: the rows by stored row id.
    func deploymentRows(_ table: CSVTable) async throws -> [String: FixtureRow] {
        var devLakeIds: [String: String] = [:]
        for row in table.rows {
            let key = [row["cicd_scope_id"]!, row["cicd_deployment_id"]!, row["repo_url"]!, row["commit_sha"]!]
            devLakeIds[key.joined(separator: "\u{0}")] = row["id"]!
        }
        let page = try await store.deployments(DeploymentFilter(), scope: .all, limit: 1000, cursor: nil)
        #expect(page.nextCursor == nil)
        var rows: [String: FixtureRow] = [:]
        for stored in page.items {
            let scope = scope(of: stored.deployment.connectionId)
            for commit in stored.commits {
                let key = [scope, stored.deployment.id, commit.commit.repoUrl, commit.commit.commitSha]
                rows[commit.id] = FixtureRow(
                    devLakeId: devLakeIds[key.joined(separator: "\u{0}")] ?? "unmatched:\(commit.id)", scope: scope,
                    deploymentId: stored.deployment.id, environment: stored.deployment.environment, row: commit)
            }
        }
        return rows
    }

    // MARK: Webhook bodies of fixture rows

    /// Deployment bodies for DevLake `cicd_deployment_commits` rows: one per (`cicd_scope_id`,
    /// `cicd_deployment_id`), in order of first appearance, posted through the scope's connection.
    /// Each row becomes a deployment commit with its own `result` and dates, and `included[commit_sha]`
    /// as its `includedCommitShas`; the deployment spans its rows' dates and succeeded when a row did.
    /// An empty `environment` is not sent (the webhook has no blank environment: it defaults to `PRODUCTION`).
    static func deploymentWrites(_ table: CSVTable, included: [String: [String]] = [:]) -> [WebhookWrite] {
        var order: [[String]] = []
        var grouped: [[String]: [[String: String]]] = [:]
        for row in table.rows {
            let key = [row["cicd_scope_id"]!, row["cicd_deployment_id"]!]
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(row)
        }
        return order.map { key in
            let rows = grouped[key]!
            let environments = Set(rows.map { $0["environment"]! })
            #expect(environments.count == 1, "one environment per deployment: \(key)")
            let commits: [[String: Any]] = rows.map { row in
                var commit: [String: Any] = [
                    "repoUrl": row["repo_url"]!, "commitSha": row["commit_sha"]!, "result": row["result"]!,
                    "startedDate": FixtureTime.rfc3339(row["started_date"]!),
                    "finishedDate": FixtureTime.rfc3339(row["finished_date"]!),
                ]
                if let shas = included[row["commit_sha"]!] { commit["includedCommitShas"] = shas }
                return commit
            }
            var body: [String: Any] = [
                "id": key[1],
                "startedDate": FixtureTime.rfc3339(rows.map { FixtureTime.utc($0["started_date"]!) }.min()!),
                "finishedDate": FixtureTime.rfc3339(rows.map { FixtureTime.utc($0["finished_date"]!) }.max()!),
                "result": rows.contains { $0["result"] == "SUCCESS" } ? "SUCCESS" : "FAILURE",
                "deploymentCommits": commits,
            ]
            if let environment = environments.first, !environment.isEmpty { body["environment"] = environment }
            return WebhookWrite(route: .deployments, scope: key[0], body: json(body))
        }
    }

    /// The body of an issue (`INCIDENT` unless `type` says otherwise) with DevLake's id as its key, status `TODO`.
    static func issueWrite(scope: String, key: String, type: String = "INCIDENT", created: String, updated: String)
        -> WebhookWrite
    {
        let body: [String: Any] = [
            "issueKey": key, "title": key, "type": type, "status": "TODO", "createdDate": FixtureTime.rfc3339(created),
            "updatedDate": FixtureTime.rfc3339(updated),
        ]
        return WebhookWrite(route: .issues, scope: scope, body: json(body))
    }

    /// The body of a DevLake `pull_requests` row, posted through its `base_repo_id`'s connection. It has
    /// no `url` and no `repoUrl` (the fixture has none, so the time rule does not apply, as in DevLake).
    static func pullRequestWrite(_ row: [String: String]) -> WebhookWrite {
        var body: [String: Any] = [
            "id": row["id"]!, "pullRequestKey": pullRequestKey(row["id"]!), "displayTitle": row["id"]!,
            "createdDate": FixtureTime.rfc3339(row["created_date"]!), "mergeCommitSha": row["merge_commit_sha"]!,
            "status": "OPEN",
        ]
        if !row["merged_date"]!.isEmpty {
            body["mergedDate"] = FixtureTime.rfc3339(row["merged_date"]!)
            body["status"] = "MERGED"
        }
        return WebhookWrite(route: .pullRequests, scope: row["base_repo_id"]!, body: json(body))
    }

    /// The webhook `pullRequestKey` of DevLake's `prN`: N + 1, since a key must not be 0 (WEBHOOK-API §7)
    /// and the fixture has a `pr0`. DevLake's id is the body's `id`.
    static func pullRequestKey(_ devLakeId: String) -> Int64 { Int64(devLakeId.filter(\.isNumber))! + 1 }

    private static func json(_ object: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// Fixture times, computed with Foundation so that expected values do not come from the code under test.
enum FixtureTime {
    /// Epoch milliseconds of a fixture date-time (see ``FixtureDate/utcMilliseconds(_:)``).
    static func utc(_ text: String) -> EpochMilliseconds { FixtureDate.utcMilliseconds(text) }

    /// RFC 3339 UTC text with milliseconds, as a webhook sender writes it.
    static func rfc3339(_ millis: EpochMilliseconds) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")!
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// A fixture date-time as RFC 3339 UTC text.
    static func rfc3339(_ text: String) -> String { rfc3339(utc(text)) }

    /// METRICS §5.2 `span`: whole minutes from `start` to `end`, rounded up; nil when negative.
    static func span(from start: EpochMilliseconds, to end: EpochMilliseconds) -> Int64? {
        let minutes = Int64((Double(end - start) / 60_000).rounded(.up))
        return minutes < 0 ? nil : minutes
    }
}

