import DoralakeCore
import SQLKit

/// Brings the stored incident links, pull request attribution and rework classification of every
/// affected project up to date after writes, touching only what those writes can change
/// (METRICS.md §2, §5).
///
/// Every affected item is recomputed by the rules of DoralakeCore (`IncidentLinker`,
/// `PullRequestAttributor`, `ReworkClassifier`), fed with the few candidates that indexed queries
/// on the production index find (per connection, the best one in the rule's order), so the answer
/// equals the full recomputation while reading a handful of rows.
///
/// What a write can change:
/// - a deployment D: the incidents linked to it, those naming it, those created after its finish
///   up to the next production finish; the rework of D and of the finish groups at and right after
///   its old and new finishes; the pull requests attributed to it, matching its rows' shas, or
///   merged in its rows' repositories between the previous row's start and its row's start;
/// - an issue I: its own link; the rework of the deployments it answered and of its slot;
/// - a pull request: its own attribution.
struct DerivedDataMaintenance {
    let db: any SQLDatabase

    /// Applies `changes` to every project containing one of their connections.
    func apply(_ changes: DerivedChanges) async throws {
        let connectionIds = Array(changes.connectionIds.sorted())
        guard !changes.isEmpty else { return }
        // The affected projects' connections, and every connection (the all scope), in one statement.
        let allScope = DerivedDataRepository.allScope
        let rows = try await db.raw(
            """
            SELECT project_name, connection_id FROM project_mapping WHERE project_name IN
                (SELECT project_name FROM project_mapping WHERE connection_id IN (\(inList: connectionIds)))
            UNION ALL SELECT \(literal: allScope) AS project_name, id AS connection_id FROM connections
            """
        ).all()
        var projects: [String: [Int64]] = [:]
        var everyConnection: [Int64] = []
        for row in rows {
            let project = try row.decode(column: "project_name", as: String.self)
            let connectionId = try row.decode(column: "connection_id", as: Int64.self)
            if project == allScope { everyConnection.append(connectionId) } else { projects[project, default: []].append(connectionId) }
        }
        // The written deployments' production views are the same in every scope: read them once.
        let views = try await ProductionIndexRepository(db: db).views(of: Array(changes.deployments.keys))
        let cache = BaseRowCache(db: db)
        for (project, connections) in projects.sorted(by: { $0.key < $1.key }) {
            try await ProjectUpdate(db: db, cache: cache, project: project, connectionIds: connections.sorted())
                .apply(changes, views: views)
        }
        try await ProjectUpdate(db: db, cache: cache, allConnections: everyConnection).apply(changes, views: views)
    }
}

/// The incremental update of one project's derived data, or of the *all* scope's.
private struct ProjectUpdate {
    let db: any SQLDatabase
    /// Base rows already read by another scope of the same update.
    let cache: BaseRowCache
    /// The project, or ``DerivedDataRepository/allScope``.
    let project: String
    let connectionIds: [Int64]
    let connectionSet: Set<Int64>
    /// The all scope: queries run once over every connection instead of once per connection.
    let isAllScope: Bool

    init(db: any SQLDatabase, cache: BaseRowCache, project: String, connectionIds: [Int64]) {
        self.db = db
        self.cache = cache
        self.project = project
        self.connectionIds = connectionIds
        self.connectionSet = Set(connectionIds)
        self.isAllScope = false
    }

    init(db: any SQLDatabase, cache: BaseRowCache, allConnections: [Int64]) {
        self.db = db
        self.cache = cache
        self.project = DerivedDataRepository.allScope
        self.connectionIds = allConnections.sorted()
        self.connectionSet = Set(allConnections)
        self.isAllScope = true
    }

    /// Whether changes on `connectionId` concern this scope. The all scope takes every change, also
    /// those of a connection being deleted (its derived rows must go).
    private func covers(_ connectionId: Int64) -> Bool {
        isAllScope || connectionSet.contains(connectionId)
    }

    /// ` AND connection_id IN (…)` for the project's connections; nothing for the all scope.
    private var inProject: SQLQueryString {
        isAllScope ? "" : " AND connection_id IN (\(inList: connectionIds))"
    }

    /// - Parameter views: the production views of the changed deployments (absent: not in production).
    func apply(_ changes: DerivedChanges, views: [DeploymentIdentity: ProductionDeployment]) async throws {
        var incidents = Set<IssueIdentity>()
        var reworkDeployments = Set<DeploymentIdentity>()
        var pullRequests = changes.pullRequests.filter { covers($0.connectionId) }

        let deployments = changes.deployments.filter { covers($0.key.connectionId) }
        // With no incident (or no merged pull request) in the scope, a deployment can change no
        // link, no after-incident rework (or no attribution): the stored data was consistent
        // before, so none refers to it. A burst of deployments then costs a few statements each.
        let (anyIncident, anyMergedPullRequest) = try await scopeHasIncidentsAndMergedPullRequests()
        let lookups = ScopeLookups(db: db, connectionIds: isAllScope ? nil : connectionIds, inScope: inProject)
        // Finish groups and their first deployments, read for every written deployment at once.
        var firsts: [EpochMilliseconds: [ProductionDeployment]] = [:]
        var nextFinishes: [EpochMilliseconds: EpochMilliseconds] = [:]
        reworkDeployments.formUnion(deployments.keys)
        if anyIncident && !deployments.isEmpty {
            // A deployment moving to or from a finish can change the rework of the first deployment
            // finishing there (with and without it: only the first of equal finishes has a slot)
            // and of the first at the next finish (its slot starts there); and the time-rule links
            // of the incidents created after its new finish, up to the next finish.
            var moves: [(finish: EpochMilliseconds, deployment: DeploymentIdentity)] = []
            for (identity, oldFinishes) in deployments {
                for finish in oldFinishes.union(views[identity].map { [$0.finish] } ?? []) { moves.append((finish, identity)) }
            }
            let newFinishes = Set(deployments.keys.compactMap { views[$0]?.finish })
            nextFinishes = try await lookups.nextFinishes(after: Set(moves.map(\.finish)).union(newFinishes))
            firsts = try await lookups.firstFinishing(at: Set(moves.map(\.finish)).union(nextFinishes.values))
            for move in moves {
                let group = firsts[move.finish] ?? []
                if let first = group.first { reworkDeployments.insert(first.identity) }
                if let other = group.first(where: { $0.identity != move.deployment }) { reworkDeployments.insert(other.identity) }
                if let next = nextFinishes[move.finish], let first = firsts[next]?.first { reworkDeployments.insert(first.identity) }
            }
            incidents.formUnion(try await incidentsLinked(to: Array(deployments.keys)))
            incidents.formUnion(try await incidentsNaming(Set(deployments.keys)))
            incidents.formUnion(
                try await lookups.incidentsCreated(in: Set(newFinishes.map { FinishRange(after: $0, upTo: nextFinishes[$0]) })))
        }
        if anyMergedPullRequest && !deployments.isEmpty {
            pullRequests.formUnion(try await pullRequestsAttributed(to: Array(deployments.keys)))
            pullRequests.formUnion(try await pullRequestsMatching(rowsOf: Array(deployments.keys), lookups: lookups))
        }
        // An issue: its own link; the rework of the deployments it answered and of its slot (the
        // first deployment finishing after it was created).
        let changedIssues = changes.issues.filter { covers($0.connectionId) }
        incidents.formUnion(changedIssues)
        var issues = try await cache.issues(changedIssues)
        if !changedIssues.isEmpty {
            reworkDeployments.formUnion(try await reworkAnswering(Array(changedIssues)))
            let created = Set(issues.values.filter(\.isIncident).map(\.createdDate))
            let slotFinishes = try await lookups.nextFinishes(after: created)
            let missing = Set(slotFinishes.values).filter { firsts[$0] == nil }
            if !missing.isEmpty { firsts.merge(try await lookups.firstFinishing(at: missing)) { known, _ in known } }
            for instant in created {
                if let finish = slotFinishes[instant], let first = firsts[finish]?.first { reworkDeployments.insert(first.identity) }
            }
        }

        // Every item is decided first (the lookups read base tables and the production index only),
        // then the decisions are written with a few set statements.
        let writer = DerivedRowWriter(db: db, project: project)
        var links: [IncidentLink] = []
        var unlinked: [IssueIdentity] = []
        issues.merge(try await cache.issues(incidents.filter { issues[$0] == nil })) { known, _ in known }
        for (incident, link) in try await relink(incidents, issues: issues, lookups: lookups) {
            if let link { links.append(link) } else { unlinked.append(incident) }
        }
        var rework: [ReworkClassification] = []
        var notRework: [DeploymentIdentity] = []
        for (deployment, classification) in try await reclassify(
            reworkDeployments, anyIncident: anyIncident, knownViews: views, knownFirsts: firsts, lookups: lookups)
        {
            if let classification { rework.append(classification) } else { notRework.append(deployment) }
        }
        var attributions: [PullRequestDerivation] = []
        var unattributed: [PullRequestIdentity] = []
        for (pullRequest, outcome) in try await reattribute(pullRequests, lookups: lookups) {
            switch outcome {
            case .derived(let derivation): attributions.append(derivation)
            case .notMerged: unattributed.append(pullRequest)
            case .unchanged: break
            }
        }
        try await writer.deleteLinks(of: unlinked)
        try await writer.upsert(links: links)
        try await writer.deleteRework(of: notRework)
        try await writer.upsert(rework: rework)
        try await writer.deleteAttributions(of: unattributed)
        try await writer.upsert(attributions: attributions)
    }

    /// Whether the scope has an incident, and a merged pull request, in one statement.
    private func scopeHasIncidentsAndMergedPullRequests() async throws -> (incident: Bool, mergedPullRequest: Bool) {
        let row = try await db.raw(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM issues WHERE type = 'INCIDENT'" + inProject
                + ") THEN 1 ELSE 0 END AS incident, CASE WHEN EXISTS (SELECT 1 FROM pull_requests WHERE merged_date IS NOT NULL"
                + inProject + ") THEN 1 ELSE 0 END AS merged"
        ).first()
        return (
            try row?.decode(column: "incident", as: Int.self) == 1,
            try row?.decode(column: "merged", as: Int.self) == 1
        )
    }

    // MARK: - Incident links (§5.1)

    /// Recomputes the links of issues: nil for those that are not incidents (their links must go).
    /// An incident naming a deployment is linked by it when the project holds it; any other is
    /// linked by time to the latest production deployment finished before its creation.
    private func relink(_ identities: Set<IssueIdentity>, issues: [IssueIdentity: Issue], lookups: ScopeLookups) async throws
        -> [(IssueIdentity, IncidentLink?)]
    {
        var named: [IssueIdentity: DeploymentIdentity] = [:]
        var timed = Set<EpochMilliseconds>()
        for identity in identities {
            guard let issue = issues[identity], issue.isIncident, issue.causedByDeployment != false else { continue }
            if let deploymentId = issue.deploymentId, !deploymentId.isEmpty {
                named[identity] = DeploymentIdentity(connectionId: issue.deploymentConnectionId ?? issue.connectionId, id: deploymentId)
            } else {
                timed.insert(issue.createdDate)
            }
        }
        let existing = try await existingDeployments(Set(named.values))
        let candidates = try await lookups.latestFinished(before: timed)
        return identities.sorted().map { identity in
            guard let issue = issues[identity], issue.isIncident else { return (identity, nil) }
            let target = named[identity].map { existing.contains($0) ? [$0] : [] } ?? []
            let timeCandidates = named[identity] == nil && issue.causedByDeployment != false ? candidates[issue.createdDate] ?? [] : []
            let linker = IncidentLinker(
                connectionIds: connectionSet, deploymentIdentities: Set(target), productionDeployments: timeCandidates)
            return (identity, linker.link(issue))
        }
    }

    /// Those of `identities` that are stored deployments of the scope's connections.
    private func existingDeployments(_ identities: Set<DeploymentIdentity>) async throws -> Set<DeploymentIdentity> {
        var found = Set<DeploymentIdentity>()
        let inScope = identities.filter { connectionSet.contains($0.connectionId) }
        for (connectionId, ids) in inScope.chunkedByConnection(\.connectionId, key: \.id) {
            for row in try await db.raw(
                "SELECT id FROM cicd_deployments WHERE connection_id = \(bind: connectionId) AND id IN (\(inList: ids))"
            ).all() {
                found.insert(DeploymentIdentity(connectionId: connectionId, id: try row.decode(column: "id", as: String.self)))
            }
        }
        return found
    }

    /// Incidents of the scope whose stored link points at one of `deployments`.
    private func incidentsLinked(to deployments: [DeploymentIdentity]) async throws -> [IssueIdentity] {
        var found: [IssueIdentity] = []
        for (connectionId, ids) in deployments.chunkedByConnection(\.connectionId, key: \.id) {
            found += try await db.raw(
                """
                SELECT connection_id, issue_key FROM project_incident_links WHERE project_name = \(bind: project)
                AND deployment_connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))
                """
            ).all().map(Self.issueIdentity)
        }
        return found
    }

    /// Incidents of the scope whose `deploymentId` names one of `deployments`.
    private func incidentsNaming(_ deployments: Set<DeploymentIdentity>) async throws -> [IssueIdentity] {
        var found: [IssueIdentity] = []
        for chunk in Set(deployments.map(\.id)).sorted().chunked(ProductionIndexRepository.rowsPerStatement) {
            let ids: [any Encodable & Sendable] = Array(chunk)
            found += try await db.raw(
                """
                SELECT connection_id, issue_key, deployment_connection_id, deployment_id FROM issues
                WHERE deployment_id IN (\(inList: ids))
                """ + inProject
            ).all().compactMap { row in
                let identity = try Self.issueIdentity(row)
                let target = DeploymentIdentity(
                    connectionId: try row.decode(column: "deployment_connection_id", as: Int64?.self) ?? identity.connectionId,
                    id: try row.decode(column: "deployment_id", as: String.self))
                return deployments.contains(target) ? identity : nil
            }
        }
        return found
    }

    // MARK: - Rework (§5.3)

    /// Recomputes the rework classification of deployments: nil for those that are not rework.
    ///
    /// The incidents that can make a deployment rework are those whose slot it is: created at or
    /// after the previous distinct production finish and before its own finish (none when another
    /// deployment with the same finish precedes it). Per connection the earliest qualifying one is
    /// enough. All deployments' lookups run together.
    /// - Parameters:
    ///   - knownViews: views already read (the written deployments'), saving reading them again.
    ///   - knownFirsts: finish groups already read, by finish.
    private func reclassify(
        _ identities: Set<DeploymentIdentity>, anyIncident: Bool, knownViews: [DeploymentIdentity: ProductionDeployment],
        knownFirsts: [EpochMilliseconds: [ProductionDeployment]], lookups: ScopeLookups
    ) async throws -> [(DeploymentIdentity, ReworkClassification?)] {
        var views = knownViews.filter { identities.contains($0.key) }
        let unknown = identities.filter { knownViews[$0] == nil }
        if !unknown.isEmpty {
            views.merge(try await ProductionIndexRepository(db: db).views(of: Array(unknown))) { known, _ in known }
        }
        var firsts = knownFirsts
        var slotIncidents: [FinishRange: [Issue]] = [:]
        var slots: [EpochMilliseconds: FinishRange] = [:]
        if anyIncident {
            let finishes = Set(views.values.map(\.finish))
            let missing = finishes.filter { firsts[$0] == nil }
            if !missing.isEmpty { firsts.merge(try await lookups.firstFinishing(at: missing)) { known, _ in known } }
            let previous = try await lookups.previousFinishes(before: finishes)
            for finish in finishes { slots[finish] = FinishRange(after: previous[finish] ?? .min, upTo: finish) }
            slotIncidents = try await lookups.earliestIncidents(in: Set(slots.values))
        }
        return identities.sorted().map { identity in
            guard let view = views[identity] else { return (identity, nil) }
            guard anyIncident else {
                // No incident in the scope: only the deployment's own flags can make it rework.
                return (identity, ReworkClassifier.classify(productionDeployments: [view], incidents: []).first)
            }
            var group: [DeploymentIdentity: ProductionDeployment] = [identity: view]
            for tie in firsts[view.finish] ?? [] { group[tie.identity] = tie }
            let incidents = slots[view.finish].flatMap { slotIncidents[$0] } ?? []
            return (
                identity,
                ReworkClassifier.classify(productionDeployments: Array(group.values), incidents: incidents)
                    .first { $0.deployment == identity }
            )
        }
    }

    /// The deployments recorded as rework answering one of `incidents`.
    private func reworkAnswering(_ incidents: [IssueIdentity]) async throws -> [DeploymentIdentity] {
        var found: [DeploymentIdentity] = []
        for (connectionId, keys) in incidents.chunkedByConnection(\.connectionId, key: \.issueKey) {
            found += try await db.raw(
                """
                SELECT deployment_connection_id, deployment_id FROM project_rework WHERE project_name = \(bind: project)
                AND incident_connection_id = \(bind: connectionId) AND incident_key IN (\(inList: keys))
                """
            ).all().map(Self.deploymentIdentity)
        }
        return found
    }

    // MARK: - Pull request attribution (§5.2)

    /// What recomputing one pull request's attribution decided.
    private enum Reattribution {
        /// Its attribution and stage times.
        case derived(PullRequestDerivation)
        /// It is not (or no longer) merged: its row must go.
        case notMerged
        /// The rules derive nothing for it: the stored row stays as it is.
        case unchanged
    }

    /// Recomputes the attribution and times of pull requests, with every look-up of the set run
    /// together: candidates by merge sha, then by included sha for those without one, then by time
    /// (the first row of the repository started at or after the merge) for those still without.
    private func reattribute(_ identities: Set<PullRequestIdentity>, lookups: ScopeLookups) async throws
        -> [(PullRequestIdentity, Reattribution)]
    {
        guard !identities.isEmpty else { return [] }
        let merged = try await cache.pullRequests(identities).filter { $0.value.mergedDate != nil }
        let shaOf = merged.mapValues { $0.mergeCommitSha.lowercased() }.filter { !$0.value.isEmpty }
        let bySha = try await lookups.rowsWithSha(Set(shaOf.values))
        let byIncludedSha = try await lookups.rowsIncludingSha(Set(shaOf.values.filter { bySha[$0] == nil }))
        func shaCandidates(_ identity: PullRequestIdentity) -> [AttributionCandidate] {
            guard let sha = shaOf[identity] else { return [] }
            return bySha[sha] ?? byIncludedSha[sha] ?? []
        }
        var windows: [PullRequestIdentity: RepositoryWindow] = [:]
        for (identity, pullRequest) in merged where shaCandidates(identity).isEmpty {
            if let repoKey = ProductionIndexRepository.repoKey(pullRequest.repoUrl) {
                windows[identity] = RepositoryWindow(repoKey: repoKey, after: nil, upTo: pullRequest.mergedDate!)
            }
        }
        let byTime = try await lookups.firstRowsStarted(Set(windows.values))
        let attributor = { (candidates: [AttributionCandidate]) in
            PullRequestAttributor(connectionIds: connectionSet, candidates: candidates)
        }
        return identities.sorted().map { identity in
            guard let pullRequest = merged[identity] else { return (identity, .notMerged) }
            var candidates = shaCandidates(identity)
            if candidates.isEmpty, let window = windows[identity] { candidates = byTime[window] ?? [] }
            guard let derivation = attributor(candidates).derivation(for: pullRequest) else { return (identity, .unchanged) }
            return (identity, .derived(derivation))
        }
    }

    /// Pull requests of the scope whose stored attribution names one of `deployments`.
    private func pullRequestsAttributed(to deployments: [DeploymentIdentity]) async throws -> [PullRequestIdentity] {
        var found: [PullRequestIdentity] = []
        for (connectionId, ids) in deployments.chunkedByConnection(\.connectionId, key: \.id) {
            found += try await db.raw(
                """
                SELECT connection_id, pull_request_key FROM project_pr_attributions WHERE project_name = \(bind: project)
                AND deployment_connection_id = \(bind: connectionId) AND deployment_id IN (\(inList: ids))
                """
            ).all().map(Self.pullRequestIdentity)
        }
        return found
    }

    /// Pull requests of the scope that a production row of one of `deployments` can be attributed
    /// by: by merge sha (the rows' shas and included shas), or by time (same repository, merged
    /// after the previous row of that repository started and by the row's start).
    private func pullRequestsMatching(rowsOf deployments: [DeploymentIdentity], lookups: ScopeLookups) async throws
        -> Set<PullRequestIdentity>
    {
        var shas = Set<String>()
        var rowStarts = Set<RepositoryWindow>()
        for rows in try await cache.productionRows(of: Set(deployments)).values {
            shas.formUnion(rows.shas)
            rowStarts.formUnion(rows.starts)
        }
        guard !rowStarts.isEmpty else { return [] }
        shas.remove("")
        var found = Set<PullRequestIdentity>()
        for chunk in Array(shas.sorted()).chunked(ProductionIndexRepository.rowsPerStatement) {
            let keys: [any Encodable & Sendable] = Array(chunk)
            for row in try await db.raw(
                """
                SELECT connection_id, pull_request_key FROM pull_requests
                WHERE merge_sha_key IN (\(inList: keys))
                """ + inProject
            ).all() {
                found.insert(try Self.pullRequestIdentity(row))
            }
        }
        let previous = try await lookups.previousRowStarts(rowStarts)
        found.formUnion(
            try await lookups.pullRequestsMerged(
                in: Set(rowStarts.map { RepositoryWindow(repoKey: $0.repoKey, after: previous[$0], upTo: $0.upTo) })))
        return found
    }

    // MARK: - Row decoding

    private static func issueIdentity(_ row: any SQLRow) throws -> IssueIdentity {
        IssueIdentity(
            connectionId: try row.decode(column: "connection_id", as: Int64.self),
            issueKey: try row.decode(column: "issue_key", as: String.self))
    }

    private static func deploymentIdentity(_ row: any SQLRow) throws -> DeploymentIdentity {
        DeploymentIdentity(
            connectionId: try row.decode(column: "deployment_connection_id", as: Int64.self),
            id: try row.decode(column: "deployment_id", as: String.self))
    }

    private static func pullRequestIdentity(_ row: any SQLRow) throws -> PullRequestIdentity {
        PullRequestIdentity(
            connectionId: try row.decode(column: "connection_id", as: Int64.self),
            pullRequestKey: try row.decode(column: "pull_request_key", as: Int64.self))
    }
}
