import DoralakeCore
import SQLKit
import Synchronization

/// Filters of `GET /api/v1/deployments`.
public struct DeploymentFilter: Sendable {
    public var connectionId: Int64?
    public var project: String?
    public var environment: String?
    public var result: String?
    public var repoUrl: String?
    public var finishedFrom: EpochMilliseconds?
    public var finishedTo: EpochMilliseconds?
    public init() {}
}

/// Filters of `GET /api/v1/issues`.
public struct IssueFilter: Sendable {
    public var connectionId: Int64?
    public var project: String?
    public var type: String?
    public var status: String?
    public var createdFrom: EpochMilliseconds?
    public var createdTo: EpochMilliseconds?
    public init() {}
}

/// Filters of `GET /api/v1/pull_requests`.
public struct PullRequestFilter: Sendable {
    public var connectionId: Int64?
    public var project: String?
    public var status: String?
    public var repoUrl: String?
    public var mergedFrom: EpochMilliseconds?
    public var mergedTo: EpochMilliseconds?
    public init() {}
}

/// Filters of `GET /api/v1/commits`.
public struct CommitFilter: Sendable {
    public var connectionId: Int64?
    public var project: String?
    public var repoUrl: String?
    public var authoredFrom: EpochMilliseconds?
    public var authoredTo: EpochMilliseconds?
    public init() {}
}

extension Store {
    private static func scopeConditions(
        _ scope: ReadScope, connectionId: Int64?, project: String?, alias: String
    ) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        switch scope {
        case .all: break
        case .connection(let id): conditions.append("\(unsafeRaw: alias).connection_id = \(bind: id)")
        case .project(let name):
            conditions.append(
                "\(unsafeRaw: alias).connection_id IN (SELECT connection_id FROM project_mapping WHERE project_name = \(bind: name))"
            )
        }
        if let connectionId { conditions.append("\(unsafeRaw: alias).connection_id = \(bind: connectionId)") }
        if let project {
            conditions.append(
                "\(unsafeRaw: alias).connection_id IN (SELECT connection_id FROM project_mapping WHERE project_name = \(bind: project))"
            )
        }
        return conditions
    }

    static func whereClause(_ conditions: [SQLQueryString]) -> SQLQueryString {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }

    /// One page of deployments, newest finish first (then connection id, then id).
    public func deployments(_ filter: DeploymentFilter, scope: ReadScope, limit: Int, cursor: String?) async throws
        -> Page<StoredDeployment>
    {
        var conditions = Self.scopeConditions(
            scope, connectionId: filter.connectionId, project: filter.project, alias: "d")
        if let environment = filter.environment { conditions.append("d.environment = \(bind: environment)") }
        if let result = filter.result { conditions.append("d.result = \(bind: result)") }
        if let repoUrl = filter.repoUrl {
            conditions.append(
                "EXISTS (SELECT 1 FROM cicd_deployment_commits c WHERE c.connection_id = d.connection_id AND c.deployment_id = d.id AND c.repo_url = \(bind: repoUrl))"
            )
        }
        if let from = filter.finishedFrom { conditions.append("d.finished_date >= \(bind: from)") }
        if let to = filter.finishedTo { conditions.append("d.finished_date <= \(bind: to)") }
        if let cursor {
            guard let position = PageCursor(token: cursor), let finished = position.int(0),
                let connection = position.int(1), let id = position.string(2)
            else { throw InvalidCursor() }
            conditions.append(
                "(d.finished_date < \(bind: finished) OR (d.finished_date = \(bind: finished) AND (d.connection_id > \(bind: connection) OR (d.connection_id = \(bind: connection) AND d.id > \(bind: id)))))"
            )
        }
        let query: SQLQueryString =
            "SELECT d.* FROM cicd_deployments d" + Self.whereClause(conditions)
            + " ORDER BY d.finished_date DESC, d.connection_id ASC, d.id ASC LIMIT \(literal: limit + 1)"
        // The rows carry the chain (`prevSuccessDeploymentCommitId`), which is derived.
        try await derivation.waitUntilDerived()
        return try await read { db in
            let (found, more) = try await Self.pageRows(
                db, query, limit: limit, decode: { try StoredDeployment(row: $0) },
                textBytes: { $0.deployment.displayTitle.utf8.count + $0.deployment.name.utf8.count })
            // Commit rows (up to thousands per deployment, with messages) are read a few
            // deployments at a time, and reading stops once the page's text budget is spent.
            var items: [StoredDeployment] = []
            var spent = 0
            var start = 0
            while start < found.count && spent < Self.pageTextBudget {
                var chunk = Array(found[start..<min(found.count, start + Self.commitChunk)])
                start += chunk.count
                let commits = try await DeploymentRepository(db: db).commits(
                    of: chunk.map { DeploymentIdentity(connectionId: $0.deployment.connectionId, id: $0.deployment.id) })
                for index in chunk.indices {
                    chunk[index].commits = commits[DeploymentIdentity(connectionId: chunk[index].deployment.connectionId, id: chunk[index].deployment.id)] ?? []
                    chunk[index].deployment.commits = chunk[index].commits.map(\.commit)
                    spent += Self.deploymentText(chunk[index])
                }
                items += chunk
            }
            return Self.page(
                items, more: more || items.count < found.count, textBytes: Self.deploymentText,
                cursor: { PageCursor([.int($0.deployment.finishedDate), .int($0.deployment.connectionId), .string($0.deployment.id)]) })
        }
    }

    /// One deployment with its commit rows, if visible in `scope`.
    public func deployment(connectionId: Int64, id: String, scope: ReadScope) async throws -> StoredDeployment? {
        try await derivation.waitUntilDerived()
        return try await read { db in
            guard try await Self.isVisible(connectionId: connectionId, scope: scope, db: db),
                var stored = try await DeploymentRepository(db: db).find(connectionId: connectionId, id: id)
            else { return nil }
            stored.deployment.commits = stored.commits.map(\.commit)
            return stored
        }
    }

    /// Most text one page of a list carries, roughly, in UTF-8 bytes: a page ends at `limit` items
    /// or once its items' text passes this (at least one item), so that a page of records with
    /// titles of hundreds of KB is a MB or two, not tens. `nextCursor` continues after the last item.
    static let pageTextBudget = 1 << 20

    /// What one item adds to a page besides its long texts (ids, dates, keys).
    static let pageRowOverhead = 256

    /// The first items of `items` that fit ``pageTextBudget``, and the cursor after the last of
    /// them when more rows follow (`more`) or the budget cut the page.
    static func page<T: Sendable>(
        _ items: [T], more: Bool, textBytes: (T) -> Int, cursor: (T) -> PageCursor
    ) -> Page<T> {
        var kept = 0
        var total = 0
        for item in items {
            kept += 1
            total += textBytes(item) + pageRowOverhead
            if total >= pageTextBudget { break }
        }
        let page = Array(items.prefix(kept))
        let next = more || kept < items.count ? page.last.map { cursor($0).token } : nil
        return Page(items: page, nextCursor: next)
    }

    /// Reads the rows of one list page one by one, keeping at most `limit` items and stopping once
    /// their text passes ``pageTextBudget``: rows past the page are not decoded, so a page over
    /// records with huge titles never holds more than it returns.
    /// - Returns: the items kept, and whether more rows followed them.
    static func pageRows<T: Sendable>(
        _ db: any SQLDatabase, _ query: SQLQueryString, limit: Int,
        decode: @escaping @Sendable (any SQLRow) throws -> T, textBytes: @escaping @Sendable (T) -> Int
    ) async throws -> (items: [T], more: Bool) {
        let collected = Mutex(PageRows<T>())
        try await db.raw(query).run { row in
            collected.withLock { state in
                state.seen += 1
                guard state.failure == nil, state.items.count < limit, state.bytes < pageTextBudget else { return }
                do {
                    let item = try decode(row)
                    state.items.append(item)
                    state.bytes += textBytes(item) + pageRowOverhead
                } catch {
                    state.failure = error
                }
            }
        }
        let result = collected.withLock { $0 }
        if let failure = result.failure { throw failure }
        return (result.items, result.seen > result.items.count)
    }

    /// Deployments whose commit rows are read in one statement by a list page.
    static let commitChunk = 8

    @Sendable static func deploymentText(_ stored: StoredDeployment) -> Int {
        stored.deployment.displayTitle.utf8.count + stored.deployment.name.utf8.count
            + stored.commits.reduce(0) {
                $0 + $1.commit.displayTitle.utf8.count + $1.commit.commitMsg.utf8.count + pageRowOverhead
            }
    }

    @Sendable static func issueText(_ stored: StoredIssue) -> Int {
        stored.issue.title.utf8.count + stored.issue.description.utf8.count + stored.issue.url.utf8.count
    }

    @Sendable static func pullRequestText(_ stored: StoredPullRequest) -> Int {
        stored.pullRequest.displayTitle.utf8.count + stored.pullRequest.description.utf8.count
            + stored.pullRequest.url.utf8.count
    }

    @Sendable static func commitText(_ stored: StoredCommit) -> Int {
        stored.commit.repoUrl.utf8.count + stored.commit.sha.utf8.count
    }

    /// One page of issues, newest creation first (then connection id, then issue key).
    public func issues(_ filter: IssueFilter, scope: ReadScope, limit: Int, cursor: String?) async throws
        -> Page<StoredIssue>
    {
        var conditions = Self.scopeConditions(
            scope, connectionId: filter.connectionId, project: filter.project, alias: "i")
        if let type = filter.type { conditions.append("i.type = \(bind: type)") }
        if let status = filter.status { conditions.append("i.status = \(bind: status)") }
        if let from = filter.createdFrom { conditions.append("i.created_date >= \(bind: from)") }
        if let to = filter.createdTo { conditions.append("i.created_date <= \(bind: to)") }
        if let cursor {
            guard let position = PageCursor(token: cursor), let created = position.int(0),
                let connection = position.int(1), let key = position.string(2)
            else { throw InvalidCursor() }
            conditions.append(
                "(i.created_date < \(bind: created) OR (i.created_date = \(bind: created) AND (i.connection_id > \(bind: connection) OR (i.connection_id = \(bind: connection) AND i.issue_key > \(bind: key)))))"
            )
        }
        let query: SQLQueryString =
            "SELECT i.* FROM issues i" + Self.whereClause(conditions)
            + " ORDER BY i.created_date DESC, i.connection_id ASC, i.issue_key ASC LIMIT \(literal: limit + 1)"
        return try await read { db in
            let (items, more) = try await Self.pageRows(
                db, query, limit: limit, decode: { try StoredIssue(row: $0) }, textBytes: Self.issueText)
            return Self.page(
                items, more: more,
                textBytes: Self.issueText,
                cursor: { PageCursor([.int($0.issue.createdDate), .int($0.issue.connectionId), .string($0.issue.issueKey)]) })
        }
    }

    /// One issue, if visible in `scope`.
    public func issue(connectionId: Int64, issueKey: String, scope: ReadScope) async throws -> StoredIssue? {
        try await read { db in
            guard try await Self.isVisible(connectionId: connectionId, scope: scope, db: db) else { return nil }
            return try await IssueRepository(db: db).find(connectionId: connectionId, issueKey: issueKey)
        }
    }

    /// One page of pull requests, newest creation first (then connection id, then key).
    public func pullRequests(_ filter: PullRequestFilter, scope: ReadScope, limit: Int, cursor: String?) async throws
        -> Page<StoredPullRequest>
    {
        var conditions = Self.scopeConditions(
            scope, connectionId: filter.connectionId, project: filter.project, alias: "p")
        if let status = filter.status { conditions.append("p.status = \(bind: status)") }
        if let repoUrl = filter.repoUrl { conditions.append("p.repo_url = \(bind: repoUrl)") }
        if let from = filter.mergedFrom { conditions.append("p.merged_date >= \(bind: from)") }
        if let to = filter.mergedTo { conditions.append("p.merged_date <= \(bind: to)") }
        if let cursor {
            guard let position = PageCursor(token: cursor), let created = position.int(0),
                let connection = position.int(1), let key = position.int(2)
            else { throw InvalidCursor() }
            conditions.append(
                "(p.created_date < \(bind: created) OR (p.created_date = \(bind: created) AND (p.connection_id > \(bind: connection) OR (p.connection_id = \(bind: connection) AND p.pull_request_key > \(bind: key)))))"
            )
        }
        let query: SQLQueryString =
            "SELECT p.* FROM pull_requests p" + Self.whereClause(conditions)
            + " ORDER BY p.created_date DESC, p.connection_id ASC, p.pull_request_key ASC LIMIT \(literal: limit + 1)"
        return try await read { db in
            let (items, more) = try await Self.pageRows(
                db, query, limit: limit, decode: { try StoredPullRequest(row: $0) }, textBytes: Self.pullRequestText)
            return Self.page(
                items, more: more,
                textBytes: Self.pullRequestText,
                cursor: {
                    PageCursor([
                        .int($0.pullRequest.createdDate), .int($0.pullRequest.connectionId), .int($0.pullRequest.pullRequestKey),
                    ])
                })
        }
    }

    /// One pull request, if visible in `scope`.
    public func pullRequest(connectionId: Int64, pullRequestKey: Int64, scope: ReadScope) async throws
        -> StoredPullRequest?
    {
        try await read { db in
            guard try await Self.isVisible(connectionId: connectionId, scope: scope, db: db) else { return nil }
            return try await PullRequestRepository(db: db).find(connectionId: connectionId, pullRequestKey: pullRequestKey)
        }
    }

    /// One page of commits, newest authored first (then connection id, repo, sha).
    public func commits(_ filter: CommitFilter, scope: ReadScope, limit: Int, cursor: String?) async throws
        -> Page<StoredCommit>
    {
        var conditions = Self.scopeConditions(
            scope, connectionId: filter.connectionId, project: filter.project, alias: "m")
        if let repoUrl = filter.repoUrl { conditions.append("m.repo_url = \(bind: repoUrl)") }
        if let from = filter.authoredFrom { conditions.append("m.authored_date >= \(bind: from)") }
        if let to = filter.authoredTo { conditions.append("m.authored_date <= \(bind: to)") }
        if let cursor {
            guard let position = PageCursor(token: cursor), let authored = position.int(0),
                let connection = position.int(1), let repo = position.string(2), let sha = position.string(3)
            else { throw InvalidCursor() }
            conditions.append(
                "(m.authored_date < \(bind: authored) OR (m.authored_date = \(bind: authored) AND (m.connection_id > \(bind: connection) OR (m.connection_id = \(bind: connection) AND (m.repo_url > \(bind: repo) OR (m.repo_url = \(bind: repo) AND m.sha > \(bind: sha)))))))"
            )
        }
        let query: SQLQueryString =
            "SELECT m.* FROM commits m" + Self.whereClause(conditions)
            + " ORDER BY m.authored_date DESC, m.connection_id ASC, m.repo_url ASC, m.sha ASC LIMIT \(literal: limit + 1)"
        return try await read { db in
            let (items, more) = try await Self.pageRows(
                db, query, limit: limit, decode: { try StoredCommit(row: $0) }, textBytes: Self.commitText)
            return Self.page(
                items, more: more, textBytes: Self.commitText,
                cursor: {
                    PageCursor([
                        .int($0.commit.authoredDate), .int($0.commit.connectionId), .string($0.commit.repoUrl),
                        .string($0.commit.sha),
                    ])
                })
        }
    }

    /// One commit, if visible in `scope`.
    public func commit(connectionId: Int64, repoUrl: String, sha: String, scope: ReadScope) async throws
        -> StoredCommit?
    {
        try await read { db in
            guard try await Self.isVisible(connectionId: connectionId, scope: scope, db: db) else { return nil }
            return try await CommitRepository(db: db).find(connectionId: connectionId, repoUrl: repoUrl, sha: sha)
        }
    }

    /// An incident's links in every project of its connection.
    public func links(connectionId: Int64, issueKey: String) async throws -> [IncidentLinkRecord] {
        let issue = IssueIdentity(connectionId: connectionId, issueKey: issueKey)
        return try await links(of: [issue])[issue] ?? []
    }

    /// The links of each of `issues` in every project of its connection, in project name order: a
    /// page of issues in one statement (one per 300 issues), not one per row. Every identity asked
    /// for has an entry.
    public func links(of issues: [IssueIdentity]) async throws -> [IssueIdentity: [IncidentLinkRecord]] {
        try await derivation.waitUntilDerived()
        return try await read { try await DerivedDataRepository(db: $0).links(of: issues) }
    }

    /// What each project of a deployment's connection derived for it.
    /// - Parameter only: one project to read (a project page needs no other), instead of all of them.
    public func deploymentProjects(connectionId: Int64, id: String, only: String? = nil) async throws
        -> [DeploymentProjectRecord]
    {
        let deployment = DeploymentIdentity(connectionId: connectionId, id: id)
        return try await deploymentProjects(of: [deployment], only: only)[deployment] ?? []
    }

    /// What each project of its connection derived for each of `deployments`, in project name order
    /// (none for a connection in no project): a page of deployments in four statements (three more
    /// per further 300 deployments), not some per row. Every identity asked for has an entry.
    /// - Parameter only: one project to read (a project page needs no other), instead of all of them.
    public func deploymentProjects(of deployments: [DeploymentIdentity], only: String? = nil) async throws
        -> [DeploymentIdentity: [DeploymentProjectRecord]]
    {
        try await derivation.waitUntilDerived()
        return try await read { try await DerivedDataRepository(db: $0).deploymentProjects(of: deployments, only: only) }
    }

    /// A pull request's attribution in each project of its connection.
    public func pullRequestProjects(connectionId: Int64, pullRequestKey: Int64) async throws -> [PullRequestProjectRecord] {
        let pullRequest = PullRequestIdentity(connectionId: connectionId, pullRequestKey: pullRequestKey)
        return try await pullRequestProjects(of: [pullRequest])[pullRequest] ?? []
    }

    /// The attribution of each of `pullRequests` in each project of its connection, in project name
    /// order: a page of pull requests in one statement (one per 300 pull requests), not one per row.
    /// Every identity asked for has an entry.
    public func pullRequestProjects(of pullRequests: [PullRequestIdentity]) async throws
        -> [PullRequestIdentity: [PullRequestProjectRecord]]
    {
        try await derivation.waitUntilDerived()
        return try await read { try await DerivedDataRepository(db: $0).pullRequestProjects(of: pullRequests) }
    }

    private static func isVisible(connectionId: Int64, scope: ReadScope, db: any SQLDatabase) async throws -> Bool {
        switch scope {
        case .all: return true
        case .connection(let id): return id == connectionId
        case .project(let name):
            return try await db.raw(
                "SELECT 1 AS ok FROM project_mapping WHERE project_name = \(bind: name) AND connection_id = \(bind: connectionId)"
            ).first() != nil
        }
    }
}

/// What ``Store/pageRows(_:_:limit:decode:textBytes:)`` has read so far.
struct PageRows<T: Sendable>: Sendable {
    var items: [T] = []
    var bytes = 0
    var seen = 0
    var failure: (any Error)?
}
