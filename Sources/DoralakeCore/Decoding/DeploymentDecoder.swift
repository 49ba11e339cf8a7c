/// Turns a deployment body (spec §5.1–§5.3) into a ``Deployment``, applying defaults,
/// inheritance from the deployment to its commits, aliases and validation.
public enum DeploymentDecoder {
    /// Most commit rows one deployment may carry.
    public static let maximumCommits = 1000
    /// Most `includedCommitShas` per commit row.
    public static let maximumIncludedShas = 5000

    static let dateAliases: [String: [String]] = [
        "startedDate": ["start_time", "startTime", "startedTime"],
        "finishedDate": ["end_time", "endTime", "endedTime"],
        "createdDate": ["create_time", "createTime", "createdTime"],
    ]

    static let topLevelFields: [FieldSpec] = [
        FieldSpec("id", aliases: ["pipeline_id", "pipelineId"]),
        FieldSpec("startedDate", aliases: dateAliases["startedDate"]!),
        FieldSpec("finishedDate", aliases: dateAliases["finishedDate"]!),
        FieldSpec("createdDate", aliases: dateAliases["createdDate"]!),
        FieldSpec("environment"),
        FieldSpec("originalEnvironment"),
        FieldSpec("result"),
        FieldSpec("name"),
        FieldSpec("displayTitle"),
        FieldSpec("deploymentCommits"),
        FieldSpec("isRework"),
        FieldSpec("kind"),
        // Pre-1.0 single-commit bodies (spec §5.3).
        FieldSpec("repoUrl"),
        FieldSpec("commitSha"),
        FieldSpec("repoId"),
        FieldSpec("refName"),
        FieldSpec("commitMsg"),
    ]

    static let legacyCommitKeys = ["repoUrl", "commitSha", "repoId", "refName", "commitMsg"]

    static let commitFields: [FieldSpec] = [
        FieldSpec("repoUrl"),
        FieldSpec("commitSha"),
        FieldSpec("startedDate", aliases: dateAliases["startedDate"]!),
        FieldSpec("finishedDate", aliases: dateAliases["finishedDate"]!),
        FieldSpec("createdDate", aliases: dateAliases["createdDate"]!),
        FieldSpec("result"),
        FieldSpec("status"),
        FieldSpec("name"),
        FieldSpec("repoId"),
        FieldSpec("refName"),
        FieldSpec("commitMsg"),
        FieldSpec("displayTitle"),
        FieldSpec("includedCommitShas"),
    ]

    /// Decodes and validates a deployment body.
    /// - Parameters:
    ///   - members: the members of the body object.
    ///   - connectionId: the connection the deployment is posted through.
    ///   - context: receipt time, date parser; collects warnings.
    /// - Throws: ``ValidationFailure`` listing every field error.
    public static func decode(_ members: [JSONMember], connectionId: Int64, context: DecodingContext)
        throws(ValidationFailure) -> Deployment
    {
        let reader = ObjectReader(members: members, fields: topLevelFields, context: context)
        let id = reader.string("id", required: true)
        let startedDate = reader.date("startedDate", required: true)
        let finishedDate = reader.date("finishedDate") ?? context.receivedAt
        let createdDate = reader.date("createdDate") ?? startedDate
        let environmentValue = reader.enumeration("environment", allowed: Enumerations.environments, strict: true)
        let environment = environmentValue?.canonical ?? "PRODUCTION"
        let originalEnvironment =
            reader.string("originalEnvironment") ?? (reader.hasValue("environment") ? environmentValue?.original ?? "" : "")
        let resultValue = reader.enumeration("result", allowed: Enumerations.results, strict: false)
        let result = resultValue?.canonical ?? "SUCCESS"
        let originalResult = resultValue?.original ?? result
        let name = reader.string("name")
        let displayTitle = reader.string("displayTitle", maxLength: ObjectReader.freeTextLimit) ?? ""
        let isRework = reader.bool("isRework")
        let kind = reader.enumeration("kind", allowed: Enumerations.deploymentKinds, strict: true)?.canonical
        if let isRework, let kind {
            if (isRework && kind == "REGULAR") || (!isRework && kind != "REGULAR") {
                reader.reportError(
                    "isRework", .conflict, "conflicts with kind",
                    detail: "isRework \(isRework) conflicts with kind \(kind)")
            }
        }
        if let startedDate, finishedDate < startedDate {
            reader.reportError(
                "finishedDate", .dateOrder, "is before startedDate",
                detail:
                    "finishedDate \(Timestamp.format(finishedDate)) is before startedDate \(Timestamp.format(startedDate))")
        }

        // The commit rows: deploymentCommits, or the pre-1.0 top-level commit keys.
        var commitValues: [JSONValue] = []
        let legacyPresent = legacyCommitKeys.filter { reader.hasValue($0) }
        if let list = reader.list("deploymentCommits") {
            commitValues = list
            // `{}` counts as an empty list; `[{}]` is one commit with missing fields.
            if case .object(let only)? = reader.raw("deploymentCommits"), only.isEmpty { commitValues = [] }
            for key in legacyPresent {
                reader.reportWarning(
                    "legacy_commit_fields_ignored", key, "\"\(key)\" ignored because deploymentCommits is present")
            }
        } else if !legacyPresent.isEmpty {
            let legacy = legacyCommitKeys.compactMap { key in reader.raw(key).map { JSONMember(key, $0) } }
            commitValues = [.object(legacy)]
        }
        var commits: [DeploymentCommit] = []
        if commitValues.isEmpty {
            reader.reportError("deploymentCommits", .emptyList, "must not be empty")
        } else if commitValues.count > maximumCommits {
            reader.reportError("deploymentCommits", .tooManyItems, "has more than \(maximumCommits) items")
        } else {
            var positions: [String: Int] = [:]
            for (index, value) in commitValues.enumerated() {
                let path = "deploymentCommits[\(index)]."
                guard case .object(let commitMembers) = value else {
                    context.fail(
                        FieldError(
                            field: "deploymentCommits[\(index)]", code: .invalidType,
                            message: "must be an object, not \(value.typeName)", value: value))
                    continue
                }
                let commitReader = ObjectReader(
                    members: commitMembers, fields: commitFields, path: path, context: context)
                guard
                    let commit = decodeCommit(
                        commitReader, deploymentResult: result, startedDate: startedDate,
                        finishedDate: finishedDate, createdDate: createdDate)
                else { continue }
                let key = commit.repoUrl + "\u{0}" + commit.commitSha
                if let existing = positions[key] {
                    context.warn(
                        "duplicate_commit", "deploymentCommits[\(index)]",
                        "repoUrl \"\(commit.repoUrl)\" and commitSha \"\(commit.commitSha)\" appear more than once; the last wins"
                    )
                    commits[existing] = commit
                } else {
                    positions[key] = commits.count
                    commits.append(commit)
                }
            }
        }
        try context.throwIfInvalid()
        guard let id, let startedDate, let createdDate, let first = commits.first else {
            throw ValidationFailure([FieldError(field: "", code: .required, message: "is incomplete")])
        }
        let defaultName = "deploy \(commits.map(\.commitSha).joined(separator: ",")) to \(environment)"
        return Deployment(
            connectionId: connectionId, id: id, name: name ?? defaultName, displayTitle: displayTitle,
            result: result, originalResult: originalResult, status: first.status, originalStatus: first.originalStatus,
            environment: environment, originalEnvironment: originalEnvironment, kind: kind, isRework: isRework,
            createdDate: createdDate, startedDate: startedDate, finishedDate: finishedDate, commits: commits)
    }

    private static func decodeCommit(
        _ reader: ObjectReader, deploymentResult: String, startedDate: EpochMilliseconds?,
        finishedDate: EpochMilliseconds, createdDate: EpochMilliseconds?
    ) -> DeploymentCommit? {
        let repoUrl = reader.string("repoUrl", maxLength: 500, required: true)
        let commitSha = reader.string("commitSha", required: true)
        let ownStarted = reader.date("startedDate")
        let ownFinished = reader.date("finishedDate")
        let started = ownStarted ?? startedDate
        let finished = ownFinished ?? finishedDate
        // An own date that failed to parse is already an error; do not compare the inherited one.
        let datesParsed =
            (ownStarted != nil || !isUnparsableDate(reader.raw("startedDate")))
            && (ownFinished != nil || !isUnparsableDate(reader.raw("finishedDate")))
        let created = reader.date("createdDate") ?? createdDate
        let resultValue = reader.enumeration("result", allowed: Enumerations.results, strict: false)
        let statusValue = reader.enumeration("status", allowed: Enumerations.commitStatuses, strict: false)
        let name = reader.string("name")
        let repoId = reader.string("repoId") ?? ""
        let refName = reader.string("refName") ?? ""
        let commitMsg = reader.string("commitMsg", maxLength: ObjectReader.freeTextLimit) ?? ""
        let displayTitle = reader.string("displayTitle", maxLength: ObjectReader.freeTextLimit) ?? ""
        let included = reader.stringList("includedCommitShas", maxItems: maximumIncludedShas) ?? []
        if let started, datesParsed, finished < started {
            reader.reportError(
                "finishedDate", .dateOrder, "is before startedDate",
                detail: "finishedDate \(Timestamp.format(finished)) is before startedDate \(Timestamp.format(started))")
            return nil
        }
        guard let repoUrl, let commitSha, let started, let created else { return nil }
        let result = resultValue?.canonical ?? deploymentResult
        let status = statusValue?.canonical ?? "DONE"
        return DeploymentCommit(
            repoUrl: repoUrl, commitSha: commitSha, name: name ?? "deployment for \(commitSha)",
            displayTitle: displayTitle, result: result, originalResult: resultValue?.original ?? result,
            status: status, originalStatus: statusValue?.original ?? status, repoId: repoId, refName: refName,
            commitMsg: commitMsg, createdDate: created, startedDate: started, finishedDate: finished,
            includedCommitShas: included)
    }

    /// True when a date value is present but not absent-like (`null`, blank string): it failed to parse.
    private static func isUnparsableDate(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return false
        case .string(let text)?: return !text.allSatisfy(\.isWhitespace)
        default: return true
        }
    }
}
