import DoralakeCore
import DoralakeStore

/// JSON shapes of stored records, as the API returns them (spec §3, §10).
enum RecordJSON {
    static func time(_ millis: EpochMilliseconds?) -> JSONValue {
        millis.map { .string(Timestamp.format($0)) } ?? .null
    }

    static func seconds(_ millis: Int64) -> JSONValue { .number(Timestamp.secondsText(millis)) }

    static func bool(_ value: Bool?) -> JSONValue { value.map { .bool($0) } ?? .null }

    // MARK: Connections and keys

    /// A connection with DevLake's endpoint keys; `plaintextKey` is set only in create responses.
    static func connection(_ connection: ConnectionRecord, plaintextKey: String? = nil) -> JSONValue {
        let base = "/rest/plugins/webhook/connections/\(connection.id)"
        var members: [JSONMember] = [
            JSONMember("name", .string(connection.name)), JSONMember("id", .int(connection.id)),
            JSONMember("createdAt", time(connection.createdAt)), JSONMember("updatedAt", time(connection.updatedAt)),
            JSONMember("postIssuesEndpoint", .string("\(base)/issues")),
            JSONMember("closeIssuesEndpoint", .string("\(base)/issue/:issueKey/close")),
            JSONMember("postPullRequestsEndpoint", .string("\(base)/pull_requests")),
            JSONMember("postPipelineTaskEndpoint", .string("\(base)/cicd_tasks")),
            JSONMember("postPipelineDeployTaskEndpoint", .string("\(base)/deployments")),
            JSONMember("closePipelineEndpoint", .string("\(base)/cicd_pipeline/:pipelineName/finish")),
            JSONMember("closeIssueByBodyEndpoint", .string("\(base)/issue/close")),
            JSONMember("postCommitsEndpoint", .string("\(base)/commits")),
            JSONMember("postBatchEndpoint", .string("\(base)/batch")),
        ]
        if let key = connection.apiKey { members.append(JSONMember("apiKey", apiKey(key, plaintext: plaintextKey))) }
        return .object(members)
    }

    /// The bare connection of a rename response.
    static func bareConnection(_ connection: ConnectionRecord) -> JSONValue {
        .object([
            JSONMember("name", .string(connection.name)), JSONMember("id", .int(connection.id)),
            JSONMember("createdAt", time(connection.createdAt)), JSONMember("updatedAt", time(connection.updatedAt)),
        ])
    }

    /// A key object; the plaintext `apiKey` field appears only when given (create and rotate).
    static func apiKey(_ key: APIKeyRecord, plaintext: String? = nil) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("id", .int(key.id)), JSONMember("createdAt", time(key.createdAt)),
            JSONMember("updatedAt", time(key.updatedAt)), JSONMember("creator", ""), JSONMember("creatorEmail", ""),
            JSONMember("updater", ""), JSONMember("updaterEmail", ""), JSONMember("name", .string(key.name)),
        ]
        if let plaintext { members.append(JSONMember("apiKey", .string(plaintext))) }
        members += [
            JSONMember("expiredAt", time(key.expiredAt)), JSONMember("allowedPath", .string(key.allowedPath)),
            JSONMember("type", .string(key.type)), JSONMember("extra", .string(key.extra)),
        ]
        return .object(members)
    }

    // MARK: Stored data

    /// Incident links as the issue routes show them.
    static func links(_ links: [IncidentLinkRecord]) -> JSONValue {
        .array(
            links.map { link in
                var members = [
                    JSONMember("project", .string(link.project)),
                    JSONMember("deploymentId", .string(orNull: link.deploymentId)),
                ]
                if let connection = link.deploymentConnectionId { members.append(JSONMember("connectionId", .int(connection))) }
                members.append(JSONMember("reason", .string(link.reason)))
                return .object(members)
            })
    }

    static func deploymentProjects(_ projects: [DeploymentProjectRecord]) -> JSONValue {
        .array(
            projects.map { project in
                .object([
                    JSONMember("project", .string(project.project)),
                    JSONMember("incidents", .array(project.incidentIds.map { .string($0) })),
                    JSONMember("pullRequests", .array(project.pullRequestIds.map { .string($0) })),
                    JSONMember(
                        "rework",
                        .object([
                            JSONMember("isRework", .bool(project.reworkReason != nil)),
                            JSONMember("reason", .string(orNull: project.reworkReason)),
                            JSONMember("incidentId", .string(orNull: project.reworkIncidentId)),
                        ])),
                ])
            })
    }

    static func pullRequestProjects(_ projects: [PullRequestProjectRecord]) -> JSONValue {
        .array(
            projects.map { p in
                .object([
                    JSONMember("project", .string(p.project)), JSONMember("rule", .string(orNull: p.rule)),
                    JSONMember("deploymentCommitId", .string(orNull: p.rowId)),
                    JSONMember("deploymentConnectionId", .int(orNull: p.deploymentConnectionId)),
                    JSONMember("deploymentId", .string(orNull: p.deploymentId)),
                    JSONMember("deployedDate", time(p.deployedDate)),
                    JSONMember("createdToMergedMinutes", .int(orNull: p.createdToMerged)),
                    JSONMember("deployTimeMinutes", .int(orNull: p.deployTime)),
                    JSONMember("cycleTimeMinutes", .int(p.cycleTime)),
                ])
            })
    }

    static func deployment(_ stored: StoredDeployment, projects: [DeploymentProjectRecord] = []) -> JSONValue {
        let d = stored.deployment
        return .object([
            JSONMember("connectionId", .int(d.connectionId)), JSONMember("id", .string(d.id)),
            JSONMember("name", .string(d.name)), JSONMember("displayTitle", .string(d.displayTitle)),
            JSONMember("result", .string(d.result)), JSONMember("originalResult", .string(d.originalResult)),
            JSONMember("status", .string(d.status)), JSONMember("originalStatus", .string(d.originalStatus)),
            JSONMember("environment", .string(d.environment)),
            JSONMember("originalEnvironment", .string(d.originalEnvironment)),
            JSONMember("kind", .string(orNull: d.kind)), JSONMember("isRework", bool(d.isRework)),
            JSONMember("createdDate", time(d.createdDate)), JSONMember("startedDate", time(d.startedDate)),
            JSONMember("finishedDate", time(d.finishedDate)), JSONMember("durationSec", seconds(d.durationMillis)),
            JSONMember("commits", .array(stored.commits.map(deploymentCommit))),
            JSONMember("projects", deploymentProjects(projects)),
            JSONMember("receivedAt", time(stored.receivedAt)), JSONMember("updatedAt", time(stored.updatedAt)),
            JSONMember("lastEventId", .int(orNull: stored.lastEventId)),
        ])
    }

    static func deploymentCommit(_ stored: StoredDeploymentCommit) -> JSONValue {
        let c = stored.commit
        return .object([
            JSONMember("id", .string(stored.id)), JSONMember("repoUrl", .string(c.repoUrl)),
            JSONMember("commitSha", .string(c.commitSha)), JSONMember("name", .string(c.name)),
            JSONMember("displayTitle", .string(c.displayTitle)), JSONMember("result", .string(c.result)),
            JSONMember("originalResult", .string(c.originalResult)), JSONMember("status", .string(c.status)),
            JSONMember("originalStatus", .string(c.originalStatus)), JSONMember("repoId", .string(c.repoId)),
            JSONMember("refName", .string(c.refName)), JSONMember("commitMsg", .string(c.commitMsg)),
            JSONMember("createdDate", time(c.createdDate)), JSONMember("startedDate", time(c.startedDate)),
            JSONMember("finishedDate", time(c.finishedDate)), JSONMember("durationSec", seconds(c.durationMillis)),
            JSONMember("includedCommitShas", .array(c.includedCommitShas.map { .string($0) })),
            JSONMember("prevSuccessDeploymentCommitId", .string(stored.prevSuccessDeploymentCommitId)),
        ])
    }

    static func issue(_ stored: StoredIssue, links: [IncidentLinkRecord] = []) -> JSONValue {
        let i = stored.issue
        return .object([
            JSONMember("connectionId", .int(i.connectionId)), JSONMember("issueKey", .string(i.issueKey)),
            JSONMember("id", .string(i.devLakeId)), JSONMember("title", .string(i.title)),
            JSONMember("type", .string(i.type)), JSONMember("originalType", .string(i.originalType)),
            JSONMember("status", .string(i.status)), JSONMember("originalStatus", .string(i.originalStatus)),
            JSONMember("isIncident", .bool(i.isIncident)),
            JSONMember("createdDate", time(i.createdDate)), JSONMember("resolutionDate", time(i.resolutionDate)),
            JSONMember("updatedDate", time(i.updatedDate)), JSONMember("leadTimeMinutes", .int(orNull: i.leadTimeMinutes)),
            JSONMember("storyPoint", i.storyPoint.map { .number(DecimalText(String($0))?.plainText ?? "0") } ?? .null),
            JSONMember("originalEstimateMinutes", .int(i.originalEstimateMinutes)),
            JSONMember("timeSpentMinutes", .int(i.timeSpentMinutes)),
            JSONMember("timeRemainingMinutes", .int(i.timeRemainingMinutes)), JSONMember("url", .string(i.url)),
            JSONMember("description", .string(i.description)), JSONMember("epicKey", .string(i.epicKey)),
            JSONMember("priority", .string(i.priority)), JSONMember("severity", .string(i.severity)),
            JSONMember("component", .string(i.component)), JSONMember("creatorId", .string(i.creatorId)),
            JSONMember("creatorName", .string(i.creatorName)), JSONMember("assigneeId", .string(i.assigneeId)),
            JSONMember("assigneeName", .string(i.assigneeName)), JSONMember("parentIssueKey", .string(i.parentIssueKey)),
            JSONMember("deploymentId", .string(orNull: i.deploymentId)),
            JSONMember("deploymentConnectionId", .int(orNull: i.deploymentConnectionId)),
            JSONMember("causedByDeployment", bool(i.causedByDeployment)),
            JSONMember("links", self.links(links)),
            JSONMember("receivedAt", time(stored.receivedAt)), JSONMember("updatedAt", time(stored.updatedAt)),
            JSONMember("lastEventId", .int(orNull: stored.lastEventId)),
        ])
    }

    static func pullRequest(_ stored: StoredPullRequest, projects: [PullRequestProjectRecord] = []) -> JSONValue {
        let p = stored.pullRequest
        return .object([
            JSONMember("connectionId", .int(p.connectionId)), JSONMember("pullRequestKey", .int(p.pullRequestKey)),
            JSONMember("id", .string(p.devLakeId)), JSONMember("externalId", .string(p.externalId)),
            JSONMember("displayTitle", .string(p.displayTitle)), JSONMember("status", .string(p.status)),
            JSONMember("originalStatus", .string(p.originalStatus)), JSONMember("repoUrl", .string(orNull: p.repoUrl)),
            JSONMember("url", .string(p.url)), JSONMember("createdDate", time(p.createdDate)),
            JSONMember("mergedDate", time(p.mergedDate)), JSONMember("closedDate", time(p.closedDate)),
            JSONMember("mergeCommitSha", .string(p.mergeCommitSha)), JSONMember("baseCommitSha", .string(p.baseCommitSha)),
            JSONMember("headCommitSha", .string(p.headCommitSha)), JSONMember("description", .string(p.description)),
            JSONMember("authorName", .string(p.authorName)), JSONMember("authorId", .string(p.authorId)),
            JSONMember("mergedByName", .string(p.mergedByName)), JSONMember("mergedById", .string(p.mergedById)),
            JSONMember("parentPrId", .string(p.parentPrId)), JSONMember("type", .string(p.type)),
            JSONMember("component", .string(p.component)), JSONMember("headRef", .string(p.headRef)),
            JSONMember("baseRef", .string(p.baseRef)), JSONMember("headRepoId", .string(p.headRepoId)),
            JSONMember("baseRepoId", .string(DevLakeID.scope(connectionId: p.connectionId))),
            JSONMember("additions", .int(p.additions)), JSONMember("deletions", .int(p.deletions)),
            JSONMember("isDraft", .bool(p.isDraft)), JSONMember("projects", pullRequestProjects(projects)),
            JSONMember("receivedAt", time(stored.receivedAt)), JSONMember("updatedAt", time(stored.updatedAt)),
            JSONMember("lastEventId", .int(orNull: stored.lastEventId)),
        ])
    }

    static func commit(_ stored: StoredCommit) -> JSONValue {
        let c = stored.commit
        return .object([
            JSONMember("connectionId", .int(c.connectionId)), JSONMember("id", .string(c.devLakeId)),
            JSONMember("repoUrl", .string(c.repoUrl)), JSONMember("sha", .string(c.sha)),
            JSONMember("authoredDate", time(c.authoredDate)), JSONMember("additions", .int(c.additions)),
            JSONMember("deletions", .int(c.deletions)), JSONMember("isMerge", .bool(c.isMerge)),
            JSONMember("receivedAt", time(stored.receivedAt)), JSONMember("updatedAt", time(stored.updatedAt)),
            JSONMember("lastEventId", .int(orNull: stored.lastEventId)),
        ])
    }

    static func warnings(_ warnings: [IngestWarning]) -> JSONValue { .array(warnings.map(\.json)) }
}
