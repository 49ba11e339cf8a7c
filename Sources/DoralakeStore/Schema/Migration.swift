import SQLKit

/// One numbered schema change. Shipped migrations are never edited; changes come as new ones.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: @Sendable (StoreDialect) -> [String]
}

/// The ordered list of migrations and the code that applies them.
enum Migrations {
    /// Every migration this build knows, in order.
    static let all: [Migration] = [
        Migration(version: 1, name: "initial schema", statements: initialSchema),
        Migration(version: 2, name: "derived data", statements: derivedData),
        Migration(version: 3, name: "production index", statements: productionIndex),
        Migration(version: 4, name: "web sessions", statements: webSessions),
        Migration(version: 5, name: "derived data by item", statements: derivedDataByItem),
        Migration(version: 6, name: "issues by resolution date", statements: issuesByResolution),
        Migration(version: 7, name: "derivation after commit", statements: derivationAfterCommit),
        Migration(version: 8, name: "batch item statuses", statements: { _ in
            // A batch request's per-item statuses (spec §11), as a JSON array; null for other routes.
            ["ALTER TABLE events ADD COLUMN item_statuses TEXT"]
        }),
    ]

    /// The newest schema version this build knows.
    static var latestVersion: Int { all.last?.version ?? 0 }

    /// The schema version recorded in the database (0 when empty).
    static func currentVersion(on db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        ).run()
        let row = try await db.raw("SELECT MAX(version) AS version FROM schema_migrations").first()
        return try row?.decode(column: "version", as: Int?.self) ?? 0
    }

    /// Applies the pending migrations, each in its own transaction.
    /// - Returns: the versions applied.
    /// - Throws: ``StoreError/schemaTooNew(found:known:)`` when the database is ahead of this build.
    @discardableResult
    static func migrate(on db: any SQLDatabase, dialect: StoreDialect, now: Int64) async throws -> [Int] {
        guard let lock = dialect.migrationLock else { return try await migrateLocked(on: db, dialect: dialect, now: now) }
        // Instances starting together: one migrates, the others wait, then find nothing to do.
        try await db.raw(SQLQueryString(lock.lock)).run()
        do {
            let applied = try await migrateLocked(on: db, dialect: dialect, now: now)
            try await db.raw(SQLQueryString(lock.unlock)).run()
            return applied
        } catch {
            try? await db.raw(SQLQueryString(lock.unlock)).run()
            throw error
        }
    }

    private static func migrateLocked(on db: any SQLDatabase, dialect: StoreDialect, now: Int64) async throws -> [Int] {
        let current = try await currentVersion(on: db)
        if current > latestVersion { throw StoreError.schemaTooNew(found: current, known: latestVersion) }
        var applied: [Int] = []
        for migration in all where migration.version > current {
            try await dialect.begin(on: db)
            do {
                for statement in migration.statements(dialect) {
                    try await db.raw(SQLQueryString(dialect.adapt(statement))).run()
                }
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))"
                ).run()
                try await db.raw("COMMIT").run()
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
            applied.append(migration.version)
        }
        return applied
    }

    // MARK: - 1: initial schema

    @Sendable static func initialSchema(_ dialect: StoreDialect) -> [String] {
        let autoId = dialect.autoIncrementPrimaryKey
        return [
            "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE connections (
                \(autoId),
                name TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE projects (
                name TEXT PRIMARY KEY,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE project_mapping (
                project_name TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE,
                connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                PRIMARY KEY (project_name, connection_id))
            """,
            "CREATE INDEX project_mapping_connection ON project_mapping (connection_id)",
            """
            CREATE TABLE api_keys (
                \(autoId),
                key_hash TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                extra TEXT NOT NULL,
                allowed_path TEXT NOT NULL,
                connection_id BIGINT UNIQUE REFERENCES connections(id) ON DELETE CASCADE,
                project_name TEXT UNIQUE REFERENCES projects(name) ON DELETE CASCADE,
                expired_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE cicd_deployments (
                connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                id TEXT NOT NULL,
                name TEXT NOT NULL,
                display_title TEXT NOT NULL,
                result TEXT NOT NULL,
                original_result TEXT NOT NULL,
                status TEXT NOT NULL,
                original_status TEXT NOT NULL,
                environment TEXT NOT NULL,
                original_environment TEXT NOT NULL,
                kind TEXT,
                is_rework BIGINT,
                created_date BIGINT NOT NULL,
                started_date BIGINT NOT NULL,
                finished_date BIGINT NOT NULL,
                duration_ms BIGINT NOT NULL,
                content_hash TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                last_event_id BIGINT,
                PRIMARY KEY (connection_id, id))
            """,
            "CREATE INDEX cicd_deployments_finished ON cicd_deployments (finished_date)",
            """
            CREATE TABLE cicd_deployment_commits (
                connection_id BIGINT NOT NULL,
                deployment_id TEXT NOT NULL,
                repo_url TEXT NOT NULL,
                commit_sha TEXT NOT NULL,
                id TEXT NOT NULL,
                name TEXT NOT NULL,
                display_title TEXT NOT NULL,
                result TEXT NOT NULL,
                original_result TEXT NOT NULL,
                status TEXT NOT NULL,
                original_status TEXT NOT NULL,
                environment TEXT NOT NULL,
                original_environment TEXT NOT NULL,
                repo_id TEXT NOT NULL,
                ref_name TEXT NOT NULL,
                commit_msg TEXT NOT NULL,
                created_date BIGINT NOT NULL,
                started_date BIGINT NOT NULL,
                finished_date BIGINT NOT NULL,
                duration_ms BIGINT NOT NULL,
                included_commit_shas TEXT NOT NULL,
                prev_success_deployment_commit_id TEXT NOT NULL DEFAULT '',
                position BIGINT NOT NULL,
                PRIMARY KEY (connection_id, deployment_id, repo_url, commit_sha),
                FOREIGN KEY (connection_id, deployment_id) REFERENCES cicd_deployments (connection_id, id) ON DELETE CASCADE)
            """,
            "CREATE INDEX cicd_deployment_commits_sha ON cicd_deployment_commits (commit_sha)",
            """
            CREATE TABLE issues (
                connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                issue_key TEXT NOT NULL,
                title TEXT NOT NULL,
                status TEXT NOT NULL,
                original_status TEXT NOT NULL,
                type TEXT NOT NULL,
                original_type TEXT NOT NULL,
                created_date BIGINT NOT NULL,
                resolution_date BIGINT,
                updated_date BIGINT,
                story_point \(dialect.floatType),
                lead_time_minutes BIGINT,
                original_estimate_minutes BIGINT NOT NULL,
                time_spent_minutes BIGINT NOT NULL,
                time_remaining_minutes BIGINT NOT NULL,
                url TEXT NOT NULL,
                description TEXT NOT NULL,
                epic_key TEXT NOT NULL,
                priority TEXT NOT NULL,
                severity TEXT NOT NULL,
                component TEXT NOT NULL,
                creator_id TEXT NOT NULL,
                creator_name TEXT NOT NULL,
                assignee_id TEXT NOT NULL,
                assignee_name TEXT NOT NULL,
                parent_issue_key TEXT NOT NULL,
                deployment_id TEXT,
                deployment_connection_id BIGINT,
                caused_by_deployment BIGINT,
                content_hash TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                last_event_id BIGINT,
                PRIMARY KEY (connection_id, issue_key))
            """,
            "CREATE INDEX issues_created ON issues (created_date)",
            """
            CREATE TABLE pull_requests (
                connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                pull_request_key BIGINT NOT NULL,
                external_id TEXT NOT NULL,
                display_title TEXT NOT NULL,
                created_date BIGINT NOT NULL,
                merged_date BIGINT,
                closed_date BIGINT,
                status TEXT NOT NULL,
                original_status TEXT NOT NULL,
                repo_url TEXT,
                merge_commit_sha TEXT NOT NULL,
                base_commit_sha TEXT NOT NULL,
                head_commit_sha TEXT NOT NULL,
                description TEXT NOT NULL,
                url TEXT NOT NULL,
                author_name TEXT NOT NULL,
                author_id TEXT NOT NULL,
                merged_by_name TEXT NOT NULL,
                merged_by_id TEXT NOT NULL,
                parent_pr_id TEXT NOT NULL,
                type TEXT NOT NULL,
                component TEXT NOT NULL,
                head_ref TEXT NOT NULL,
                base_ref TEXT NOT NULL,
                head_repo_id TEXT NOT NULL,
                base_repo_id TEXT NOT NULL,
                additions BIGINT NOT NULL,
                deletions BIGINT NOT NULL,
                is_draft BIGINT NOT NULL,
                content_hash TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                last_event_id BIGINT,
                PRIMARY KEY (connection_id, pull_request_key))
            """,
            "CREATE INDEX pull_requests_merged ON pull_requests (merged_date)",
            """
            CREATE TABLE commits (
                connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                repo_url TEXT NOT NULL,
                sha TEXT NOT NULL,
                authored_date BIGINT NOT NULL,
                additions BIGINT NOT NULL,
                deletions BIGINT NOT NULL,
                is_merge BIGINT NOT NULL,
                content_hash TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                last_event_id BIGINT,
                PRIMARY KEY (connection_id, repo_url, sha))
            """,
            "CREATE INDEX commits_authored ON commits (authored_date)",
            """
            CREATE TABLE events (
                \(autoId),
                received_at BIGINT NOT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                route TEXT NOT NULL,
                connection_id BIGINT,
                project_name TEXT,
                principal TEXT NOT NULL,
                status BIGINT NOT NULL,
                message TEXT NOT NULL,
                content_type TEXT NOT NULL,
                body_size BIGINT NOT NULL,
                body_sha256 TEXT NOT NULL,
                body TEXT,
                body_truncated BIGINT NOT NULL,
                duration_ms BIGINT NOT NULL,
                replay_of BIGINT)
            """,
            "CREATE INDEX events_connection ON events (connection_id, id)",
        ]
    }

    // MARK: - 2: derived data (METRICS.md §2, §5)

    @Sendable static func derivedData(_ dialect: StoreDialect) -> [String] {
        [
            """
            CREATE TABLE project_incident_links (
                project_name TEXT NOT NULL,
                connection_id BIGINT NOT NULL,
                issue_key TEXT NOT NULL,
                deployment_connection_id BIGINT,
                deployment_id TEXT,
                reason TEXT NOT NULL,
                PRIMARY KEY (project_name, connection_id, issue_key))
            """,
            "CREATE INDEX project_incident_links_deployment ON project_incident_links (project_name, deployment_connection_id, deployment_id)",
            """
            CREATE TABLE project_pr_attributions (
                project_name TEXT NOT NULL,
                connection_id BIGINT NOT NULL,
                pull_request_key BIGINT NOT NULL,
                rule TEXT,
                row_id TEXT,
                deployment_connection_id BIGINT,
                deployment_id TEXT,
                deployed_date BIGINT,
                created_to_merged BIGINT,
                deploy_time BIGINT,
                cycle_time BIGINT NOT NULL,
                PRIMARY KEY (project_name, connection_id, pull_request_key))
            """,
            "CREATE INDEX project_pr_attributions_deployment ON project_pr_attributions (project_name, deployment_connection_id, deployment_id)",
            """
            CREATE TABLE project_rework (
                project_name TEXT NOT NULL,
                deployment_connection_id BIGINT NOT NULL,
                deployment_id TEXT NOT NULL,
                reason TEXT NOT NULL,
                incident_connection_id BIGINT,
                incident_key TEXT,
                PRIMARY KEY (project_name, deployment_connection_id, deployment_id))
            """,
            "CREATE UNIQUE INDEX cicd_deployment_commits_id ON cicd_deployment_commits (connection_id, id)",
            """
            CREATE INDEX cicd_deployment_commits_chain ON cicd_deployment_commits
                (connection_id, repo_url, environment, result, finished_date, started_date, id)
            """,
        ]
    }

    // MARK: - 3: production index for incremental derived data (METRICS.md §4.1, §5)

    /// Setting that asks the store to rebuild the production index and all derived data once
    /// (written by migration 3, whose tables need Swift code to fill from existing rows).
    static let rebuildPendingSetting = "derived.rebuildPending"

    @Sendable static func productionIndex(_ dialect: StoreDialect) -> [String] {
        [
            """
            CREATE TABLE production_deployments (
                connection_id BIGINT NOT NULL,
                deployment_id TEXT NOT NULL,
                start_date BIGINT NOT NULL,
                finish_date BIGINT NOT NULL,
                kind TEXT,
                is_rework BIGINT,
                PRIMARY KEY (connection_id, deployment_id),
                FOREIGN KEY (connection_id, deployment_id) REFERENCES cicd_deployments (connection_id, id) ON DELETE CASCADE)
            """,
            """
            CREATE INDEX production_deployments_finish ON production_deployments
                (connection_id, finish_date, start_date, deployment_id)
            """,
            """
            CREATE INDEX production_deployments_all_finish ON production_deployments
                (finish_date, start_date, connection_id, deployment_id)
            """,
            """
            CREATE TABLE production_rows (
                connection_id BIGINT NOT NULL,
                row_id TEXT NOT NULL,
                deployment_id TEXT NOT NULL,
                repo_url TEXT NOT NULL,
                repo_key TEXT NOT NULL,
                commit_sha TEXT NOT NULL,
                commit_sha_key TEXT NOT NULL,
                started_date BIGINT NOT NULL,
                finished_date BIGINT NOT NULL,
                PRIMARY KEY (connection_id, row_id),
                FOREIGN KEY (connection_id, deployment_id) REFERENCES cicd_deployments (connection_id, id) ON DELETE CASCADE)
            """,
            "CREATE INDEX production_rows_deployment ON production_rows (connection_id, deployment_id)",
            "CREATE INDEX production_rows_sha ON production_rows (connection_id, commit_sha_key, started_date, row_id)",
            "CREATE INDEX production_rows_repo ON production_rows (connection_id, repo_key, started_date, row_id)",
            "CREATE INDEX production_rows_all_sha ON production_rows (commit_sha_key, started_date, row_id)",
            "CREATE INDEX production_rows_all_repo ON production_rows (repo_key, started_date, row_id)",
            """
            CREATE TABLE production_row_shas (
                connection_id BIGINT NOT NULL,
                row_id TEXT NOT NULL,
                deployment_id TEXT NOT NULL,
                sha_key TEXT NOT NULL,
                PRIMARY KEY (connection_id, sha_key, row_id),
                FOREIGN KEY (connection_id, deployment_id) REFERENCES cicd_deployments (connection_id, id) ON DELETE CASCADE)
            """,
            "CREATE INDEX production_row_shas_deployment ON production_row_shas (connection_id, deployment_id)",
            "CREATE INDEX production_row_shas_all ON production_row_shas (sha_key)",
            "ALTER TABLE pull_requests ADD COLUMN repo_key TEXT",
            "ALTER TABLE pull_requests ADD COLUMN merge_sha_key TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX pull_requests_repo_key ON pull_requests (repo_key, merged_date)",
            "CREATE INDEX pull_requests_merge_sha_key ON pull_requests (merge_sha_key)",
            "CREATE INDEX issues_type_created ON issues (connection_id, type, created_date)",
            "CREATE INDEX issues_all_type_created ON issues (type, created_date)",
            "CREATE INDEX issues_deployment ON issues (deployment_id)",
            "CREATE INDEX project_rework_incident ON project_rework (project_name, incident_connection_id, incident_key)",
            "INSERT INTO settings (name, value) VALUES ('\(rebuildPendingSetting)', 'true')",
        ]
    }

    // MARK: - 4: web UI sessions (docs/ui.md)

    /// Sign-in sessions of the web UI, shared by every instance on the database. `id_hash` is the
    /// HMAC of the session token the browser holds (the token itself is never stored); a project
    /// key's session goes with its key (`ON DELETE CASCADE`).
    @Sendable static func webSessions(_ dialect: StoreDialect) -> [String] {
        [
            """
            CREATE TABLE web_sessions (
                id_hash TEXT PRIMARY KEY,
                principal_kind TEXT NOT NULL,
                api_key_id BIGINT REFERENCES api_keys(id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL)
            """,
            "CREATE INDEX web_sessions_expires ON web_sessions (expires_at)",
            "CREATE INDEX web_sessions_api_key ON web_sessions (api_key_id)",
        ]
    }

    /// Reads of one item's derived data in every project (an incident's links, a pull request's
    /// attributions: every issue write answers with the links, and the single-record reads show
    /// them) go by the item, not by project; without these they scanned the whole table, once per
    /// incident written (measured at the 1M-row scale on PostgreSQL). And the metrics request's
    /// range reads get indexes of their own.
    @Sendable static func derivedDataByItem(_ dialect: StoreDialect) -> [String] {
        [
            "CREATE INDEX project_incident_links_issue ON project_incident_links (connection_id, issue_key)",
            "CREATE INDEX project_pr_attributions_pull_request ON project_pr_attributions (connection_id, pull_request_key)",
            // The metrics request's range reads (measured at the 1M-row scale on PostgreSQL): merged
            // pull requests' lines and attributions by range, and the "ever flagged" probe.
            "CREATE INDEX pull_requests_connection_merged ON pull_requests (connection_id, merged_date)",
            "CREATE INDEX project_pr_attributions_deployed ON project_pr_attributions (project_name, deployed_date)",
            "CREATE INDEX cicd_deployments_flagged ON cicd_deployments (connection_id) WHERE is_rework IS NOT NULL OR kind IS NOT NULL",
        ]
    }

    /// The metrics request reads the incidents, requirements and bugs created *or resolved* in its
    /// range: with this index both sides of the `OR` are index ranges (SQLite's multi-index `OR`,
    /// PostgreSQL's bitmap `OR`) instead of every issue of the type being visited (11 → 2 ms for
    /// the incidents of one project at the 1M-row scale on SQLite).
    @Sendable static func issuesByResolution(_ dialect: StoreDialect) -> [String] {
        ["CREATE INDEX issues_type_resolved ON issues (connection_id, type, resolution_date)"]
    }

    // MARK: - 7: derivation after commit (WEBHOOK-API.md §13, METRICS.md §2)

    /// Derived data moves out of the request transaction. Writes record what they changed in
    /// `derivation_changes` (committed with the base rows); the derivation service drains it.
    ///
    /// The production index and the new `chain_rows` (the successful deployment-commit rows as the
    /// chain last saw them) are derived data now, written by the deriver only: their rows must
    /// outlive the deployment rows they describe until the deriver has seen the change (the old
    /// finish and the old chain positions are what it revisits), so the index tables are created
    /// again without foreign keys, and filled by the one-time rebuild this migration asks for.
    /// The chain's neighbour look-ups and its values (`prev_row_id`) move to `chain_rows`, so the
    /// writer no longer maintains the seven-column chain index on every deployment-commit row it
    /// writes, and the deriver never updates a row a writer may be writing (no lock between them).
    @Sendable static func derivationAfterCommit(_ dialect: StoreDialect) -> [String] {
        // The same auto-incrementing key as `id` elsewhere, named `seq`.
        let autoId = "seq" + dialect.autoIncrementPrimaryKey.dropFirst("id".count)
        return [
            """
            CREATE TABLE derivation_changes (
                \(autoId),
                kind TEXT NOT NULL,
                connection_id BIGINT NOT NULL,
                entity_key TEXT NOT NULL,
                recorded_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE chain_rows (
                connection_id BIGINT NOT NULL,
                row_id TEXT NOT NULL,
                deployment_id TEXT NOT NULL,
                repo_url TEXT NOT NULL,
                environment TEXT NOT NULL,
                started_date BIGINT NOT NULL,
                finished_date BIGINT NOT NULL,
                prev_row_id TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (connection_id, row_id))
            """,
            // `cicd_deployment_commits.prev_success_deployment_commit_id` is superseded by
            // `chain_rows.prev_row_id`: no longer read or written (the deriver writes no base table).
            "CREATE INDEX chain_rows_deployment ON chain_rows (connection_id, deployment_id)",
            """
            CREATE INDEX chain_rows_order ON chain_rows
                (connection_id, repo_url, environment, finished_date, started_date, row_id)
            """,
            "DROP INDEX cicd_deployment_commits_chain",
            "DROP TABLE production_row_shas",
            "DROP TABLE production_rows",
            "DROP TABLE production_deployments",
            """
            CREATE TABLE production_deployments (
                connection_id BIGINT NOT NULL,
                deployment_id TEXT NOT NULL,
                start_date BIGINT NOT NULL,
                finish_date BIGINT NOT NULL,
                kind TEXT,
                is_rework BIGINT,
                PRIMARY KEY (connection_id, deployment_id))
            """,
            """
            CREATE INDEX production_deployments_finish ON production_deployments
                (connection_id, finish_date, start_date, deployment_id)
            """,
            """
            CREATE INDEX production_deployments_all_finish ON production_deployments
                (finish_date, start_date, connection_id, deployment_id)
            """,
            """
            CREATE TABLE production_rows (
                connection_id BIGINT NOT NULL,
                row_id TEXT NOT NULL,
                deployment_id TEXT NOT NULL,
                repo_url TEXT NOT NULL,
                repo_key TEXT NOT NULL,
                commit_sha TEXT NOT NULL,
                commit_sha_key TEXT NOT NULL,
                started_date BIGINT NOT NULL,
                finished_date BIGINT NOT NULL,
                PRIMARY KEY (connection_id, row_id))
            """,
            "CREATE INDEX production_rows_deployment ON production_rows (connection_id, deployment_id)",
            "CREATE INDEX production_rows_sha ON production_rows (connection_id, commit_sha_key, started_date, row_id)",
            "CREATE INDEX production_rows_repo ON production_rows (connection_id, repo_key, started_date, row_id)",
            "CREATE INDEX production_rows_all_sha ON production_rows (commit_sha_key, started_date, row_id)",
            "CREATE INDEX production_rows_all_repo ON production_rows (repo_key, started_date, row_id)",
            """
            CREATE TABLE production_row_shas (
                connection_id BIGINT NOT NULL,
                row_id TEXT NOT NULL,
                deployment_id TEXT NOT NULL,
                sha_key TEXT NOT NULL,
                PRIMARY KEY (connection_id, sha_key, row_id))
            """,
            "CREATE INDEX production_row_shas_deployment ON production_row_shas (connection_id, deployment_id)",
            "CREATE INDEX production_row_shas_all ON production_row_shas (sha_key)",
            "INSERT INTO settings (name, value) VALUES ('\(rebuildPendingSetting)', 'true') ON CONFLICT (name) DO NOTHING",
        ]
    }
}
