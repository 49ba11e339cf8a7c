/// Stored entities as batch items (spec §8.2): `{"type": T, "payload": {…}}` whose payload the
/// route of that type decodes back into the same entity (`doralake export`, read by `import`).
/// Original texts are sent where the decoders keep them (`result` → `originalResult`), so a
/// round trip keeps both the canonical and the original values.
public enum BatchPayload {
    /// A deployment with its commit rows.
    public static func item(_ d: Deployment) -> JSONValue {
        var payload: [JSONMember] = [
            JSONMember("id", .string(d.id)), JSONMember("name", .string(d.name)),
            JSONMember("displayTitle", .string(d.displayTitle)), JSONMember("result", .string(d.originalResult)),
            JSONMember("environment", .string(d.environment)), JSONMember("originalEnvironment", .string(d.originalEnvironment)),
            JSONMember("createdDate", time(d.createdDate)), JSONMember("startedDate", time(d.startedDate)),
            JSONMember("finishedDate", time(d.finishedDate)),
        ]
        if let kind = d.kind { payload.append(JSONMember("kind", .string(kind))) }
        if let isRework = d.isRework { payload.append(JSONMember("isRework", .bool(isRework))) }
        payload.append(
            JSONMember(
                "deploymentCommits",
                .array(
                    d.commits.map { c in
                        .object([
                            JSONMember("repoUrl", .string(c.repoUrl)), JSONMember("commitSha", .string(c.commitSha)),
                            JSONMember("name", .string(c.name)), JSONMember("displayTitle", .string(c.displayTitle)),
                            JSONMember("result", .string(c.originalResult)), JSONMember("status", .string(c.originalStatus)),
                            JSONMember("repoId", .string(c.repoId)), JSONMember("refName", .string(c.refName)),
                            JSONMember("commitMsg", .string(c.commitMsg)), JSONMember("createdDate", time(c.createdDate)),
                            JSONMember("startedDate", time(c.startedDate)), JSONMember("finishedDate", time(c.finishedDate)),
                            JSONMember("includedCommitShas", .array(c.includedCommitShas.map { .string($0) })),
                        ])
                    })))
        return item("deployment", payload)
    }

    /// An issue or incident, closed or not (its resolution travels in the issue itself).
    public static func item(_ i: Issue) -> JSONValue {
        var payload: [JSONMember] = [
            JSONMember("issueKey", .string(i.issueKey)), JSONMember("title", .string(i.title)),
            JSONMember("status", .string(i.status)), JSONMember("originalStatus", .string(i.originalStatus)),
            JSONMember("type", .string(i.originalType)), JSONMember("createdDate", time(i.createdDate)),
            JSONMember("resolutionDate", i.resolutionDate.map(time) ?? .null),
            JSONMember("updatedDate", i.updatedDate.map(time) ?? .null),
            JSONMember("storyPoint", i.storyPoint.map { .number("\($0)") } ?? .null),
            JSONMember("leadTimeMinutes", .int(orNull: i.leadTimeMinutes)),
            JSONMember("originalEstimateMinutes", .int(i.originalEstimateMinutes)),
            JSONMember("timeSpentMinutes", .int(i.timeSpentMinutes)),
            JSONMember("timeRemainingMinutes", .int(i.timeRemainingMinutes)),
        ]
        for (key, value) in [
            ("url", i.url), ("description", i.description), ("epicKey", i.epicKey), ("priority", i.priority),
            ("severity", i.severity), ("component", i.component), ("creatorId", i.creatorId), ("creatorName", i.creatorName),
            ("assigneeId", i.assigneeId), ("assigneeName", i.assigneeName), ("parentIssueKey", i.parentIssueKey),
        ] {
            payload.append(JSONMember(key, .string(value)))
        }
        if let deploymentId = i.deploymentId { payload.append(JSONMember("deploymentId", .string(deploymentId))) }
        if let connection = i.deploymentConnectionId { payload.append(JSONMember("deploymentConnectionId", .int(connection))) }
        if let caused = i.causedByDeployment { payload.append(JSONMember("causedByDeployment", .bool(caused))) }
        return item("issue", payload)
    }

    /// A pull request.
    public static func item(_ p: PullRequest) -> JSONValue {
        var payload: [JSONMember] = [
            JSONMember("id", .string(p.externalId)), JSONMember("pullRequestKey", .int(p.pullRequestKey)),
            JSONMember("displayTitle", .string(p.displayTitle)), JSONMember("createdDate", time(p.createdDate)),
            JSONMember("mergedDate", p.mergedDate.map(time) ?? .null), JSONMember("closedDate", p.closedDate.map(time) ?? .null),
            JSONMember("status", .string(p.status)), JSONMember("originalStatus", .string(p.originalStatus)),
            JSONMember("additions", .int(p.additions)), JSONMember("deletions", .int(p.deletions)),
            JSONMember("isDraft", .bool(p.isDraft)),
        ]
        if let repoUrl = p.repoUrl { payload.append(JSONMember("repoUrl", .string(repoUrl))) }
        for (key, value) in [
            ("mergeCommitSha", p.mergeCommitSha), ("baseCommitSha", p.baseCommitSha), ("headCommitSha", p.headCommitSha),
            ("description", p.description), ("url", p.url), ("authorName", p.authorName), ("authorId", p.authorId),
            ("mergedByName", p.mergedByName), ("mergedById", p.mergedById), ("parentPrId", p.parentPrId), ("type", p.type),
            ("component", p.component), ("headRef", p.headRef), ("baseRef", p.baseRef), ("headRepoId", p.headRepoId),
            ("baseRepoId", p.baseRepoId),
        ] {
            payload.append(JSONMember(key, .string(value)))
        }
        return item("pull_request", payload)
    }

    /// Commits with line counts (one item may carry many, all of one connection).
    public static func item(_ commits: [Commit]) -> JSONValue {
        item("commit", [
            JSONMember(
                "commits",
                .array(
                    commits.map { c in
                        .object([
                            JSONMember("sha", .string(c.sha)), JSONMember("repoUrl", .string(c.repoUrl)),
                            JSONMember("authoredDate", time(c.authoredDate)), JSONMember("additions", .int(c.additions)),
                            JSONMember("deletions", .int(c.deletions)), JSONMember("isMerge", .bool(c.isMerge)),
                        ])
                    }))
        ])
    }

    private static func item(_ type: String, _ payload: [JSONMember]) -> JSONValue {
        .object([JSONMember("type", .string(type)), JSONMember("payload", .object(payload))])
    }

    private static func time(_ millis: EpochMilliseconds) -> JSONValue { .string(Timestamp.format(millis)) }
}
