import DoralakeCore
import SQLKit

extension DerivedDataRepository {
    /// Differences between the stored derived data of `project` and a full recomputation from the
    /// stored entities (METRICS.md §2 invariant). Empty when they agree.
    func mismatches(project: String) async throws -> [String] {
        let connectionIds = try await connectionIds(of: project)
        let expected = try await compute(connectionIds: Set(connectionIds))
        var problems: [String] = []

        let storedLinks = Set(
            try await db.raw("SELECT * FROM project_incident_links WHERE project_name = \(bind: project)").all().map { row in
                let deployment = try row.decode(column: "deployment_id", as: String?.self).map { id in
                    DeploymentIdentity(connectionId: try row.decode(column: "deployment_connection_id", as: Int64.self), id: id)
                }
                return IncidentLink(
                    incident: IssueIdentity(
                        connectionId: try row.decode(column: "connection_id", as: Int64.self),
                        issueKey: try row.decode(column: "issue_key", as: String.self)),
                    reason: IncidentLink.Reason(rawValue: try row.decode(column: "reason", as: String.self))!,
                    deployment: deployment)
            })
        if storedLinks != Set(expected.incidentLinks) {
            problems.append("\(project): incident links differ: stored \(storedLinks.count), expected \(expected.incidentLinks.count)")
        }

        let storedPullRequests = Set(
            try await db.raw("SELECT * FROM project_pr_attributions WHERE project_name = \(bind: project)").all().map { row in
                var attribution: PullRequestAttribution? = nil
                if let rule = try row.decode(column: "rule", as: String?.self) {
                    attribution = PullRequestAttribution(
                        rule: PullRequestAttribution.Rule(rawValue: rule)!,
                        rowId: try row.decode(column: "row_id", as: String.self),
                        deployment: DeploymentIdentity(
                            connectionId: try row.decode(column: "deployment_connection_id", as: Int64.self),
                            id: try row.decode(column: "deployment_id", as: String.self)),
                        deployedDate: try row.decode(column: "deployed_date", as: Int64.self))
                }
                return PullRequestDerivation(
                    pullRequest: PullRequestIdentity(
                        connectionId: try row.decode(column: "connection_id", as: Int64.self),
                        pullRequestKey: try row.decode(column: "pull_request_key", as: Int64.self)),
                    attribution: attribution,
                    times: PullRequestTimes(
                        createdToMerged: try row.decode(column: "created_to_merged", as: Int64?.self),
                        deployTime: try row.decode(column: "deploy_time", as: Int64?.self),
                        cycleTime: try row.decode(column: "cycle_time", as: Int64.self)))
            })
        if storedPullRequests != Set(expected.pullRequests) {
            problems.append("\(project): pull request attribution differs")
        }

        let storedRework = Set(
            try await db.raw("SELECT * FROM project_rework WHERE project_name = \(bind: project)").all().map { row in
                let incident = try row.decode(column: "incident_key", as: String?.self).map { key in
                    IssueIdentity(connectionId: try row.decode(column: "incident_connection_id", as: Int64.self), issueKey: key)
                }
                return ReworkClassification(
                    deployment: DeploymentIdentity(
                        connectionId: try row.decode(column: "deployment_connection_id", as: Int64.self),
                        id: try row.decode(column: "deployment_id", as: String.self)),
                    reason: ReworkClassification.Reason(rawValue: try row.decode(column: "reason", as: String.self))!,
                    incident: incident)
            })
        if storedRework != Set(expected.rework) {
            problems.append("\(project): rework classification differs")
        }
        return problems
    }

    /// Differences between the stored production index (and the pull requests' normalized keys) and
    /// what the stored deployments and pull requests give.
    func productionIndexMismatches() async throws -> [String] {
        var problems: [String] = []
        for connection in try await db.raw("SELECT id FROM connections").all() {
            let connectionId = try connection.decode(column: "id", as: Int64.self)
            let deployments = try await deployments(connectionIds: [connectionId])
            let expectedViews = Set(deployments.compactMap(ProductionDeployment.init))
            let storedViews = Set(
                try await db.raw("SELECT * FROM production_deployments WHERE connection_id = \(bind: connectionId)").all()
                    .map(ProductionIndexRepository.view))
            if expectedViews != storedViews {
                problems.append("connection \(connectionId): production deployments differ: stored \(storedViews.count), expected \(expectedViews.count)")
            }
            let candidates = deployments.flatMap(AttributionCandidate.candidates(of:))
            let expectedRows = Set(candidates.map { row in
                [row.rowId, row.deployment.id, row.repoUrl, RepoURL.normalize(row.repoUrl), row.commitSha, row.commitSha.lowercased(),
                    "\(row.startedDate)", "\(row.finishedDate)"]
            })
            let storedRows = Set(
                try await db.raw("SELECT * FROM production_rows WHERE connection_id = \(bind: connectionId)").all().map { row in
                    [try row.decode(column: "row_id", as: String.self), try row.decode(column: "deployment_id", as: String.self),
                        try row.decode(column: "repo_url", as: String.self), try row.decode(column: "repo_key", as: String.self),
                        try row.decode(column: "commit_sha", as: String.self), try row.decode(column: "commit_sha_key", as: String.self),
                        "\(try row.decode(column: "started_date", as: Int64.self))",
                        "\(try row.decode(column: "finished_date", as: Int64.self))"]
                })
            if expectedRows != storedRows { problems.append("connection \(connectionId): production rows differ") }
            let expectedShas = Set(candidates.flatMap { row in
                row.includedCommitShas.map { $0.lowercased() }.filter { !$0.isEmpty }.map { [row.rowId, row.deployment.id, $0] }
            })
            let storedShas = Set(
                try await db.raw("SELECT * FROM production_row_shas WHERE connection_id = \(bind: connectionId)").all().map { row in
                    [try row.decode(column: "row_id", as: String.self), try row.decode(column: "deployment_id", as: String.self),
                        try row.decode(column: "sha_key", as: String.self)]
                })
            if expectedShas != storedShas { problems.append("connection \(connectionId): production row shas differ") }
            for row in try await db.raw(
                "SELECT pull_request_key, repo_url, merge_commit_sha, repo_key, merge_sha_key FROM pull_requests WHERE connection_id = \(bind: connectionId)"
            ).all() {
                let repoKey = ProductionIndexRepository.repoKey(try row.decode(column: "repo_url", as: String?.self))
                let shaKey = try row.decode(column: "merge_commit_sha", as: String.self).lowercased()
                if try row.decode(column: "repo_key", as: String?.self) != repoKey
                    || row.decode(column: "merge_sha_key", as: String.self) != shaKey
                {
                    problems.append("pull request \(connectionId)/\(try row.decode(column: "pull_request_key", as: Int64.self)): keys differ")
                }
            }
        }
        return problems
    }

    /// Rows whose stored `prev_success_deployment_commit_id` differs from the recomputed chain.
    func chainMismatches() async throws -> [String] {
        var problems: [String] = []
        for connection in try await db.raw("SELECT id FROM connections").all() {
            let connectionId = try connection.decode(column: "id", as: Int64.self)
            let (chainRows, stored, _) = try await chainRows(connectionId: connectionId)
            for (id, previous) in PreviousSuccessChain.previousSuccessIds(chainRows) where stored[id] != previous {
                problems.append("row \(id): stored previous \(stored[id] ?? "nil"), expected \(previous)")
            }
            let expected = Set(chainRows.filter { PreviousSuccessChain.key(of: $0) != nil }.map {
                "\($0.rowId) \($0.repoUrl) \($0.environment) \($0.startedDate) \($0.finishedDate)"
            })
            let storedPositions = Set(
                try await db.raw("SELECT * FROM chain_rows WHERE connection_id = \(bind: connectionId)").all().map { row in
                    "\(try row.decode(column: "row_id", as: String.self)) \(try row.decode(column: "repo_url", as: String.self)) "
                        + "\(try row.decode(column: "environment", as: String.self)) "
                        + "\(try row.decode(column: "started_date", as: Int64.self)) \(try row.decode(column: "finished_date", as: Int64.self))"
                })
            if storedPositions != expected {
                problems.append("connection \(connectionId): chain rows differ: stored \(storedPositions.count), expected \(expected.count)")
            }
        }
        // Nothing derived may remain of a deleted connection.
        for table in ["chain_rows", "production_deployments", "production_rows", "production_row_shas"] {
            let row = try await db.raw(
                "SELECT COUNT(*) AS n FROM \(ident: table) WHERE connection_id NOT IN (SELECT id FROM connections)"
            ).first()
            if let count = try row?.decode(column: "n", as: Int64.self), count > 0 {
                problems.append("\(table): \(count) rows of deleted connections")
            }
        }
        return problems
    }
}

extension Store {
    /// Every difference between stored derived data and a full recomputation (empty when consistent).
    /// Waits for the deriver first (the read barrier), like every read of derived data.
    public func derivedDataMismatches() async throws -> [String] {
        try await derivation.waitUntilDerived()
        return try await read { db in
            let repository = DerivedDataRepository(db: db)
            var problems = try await repository.chainMismatches()
            problems += try await repository.productionIndexMismatches()
            for row in try await db.raw("SELECT name FROM projects").all() {
                problems += try await repository.mismatches(project: try row.decode(column: "name", as: String.self))
            }
            problems += try await repository.mismatches(project: DerivedDataRepository.allScope)
            return problems
        }
    }
}
