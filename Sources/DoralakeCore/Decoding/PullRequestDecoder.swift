/// Turns a pull-request body (spec §7) into a ``PullRequest``.
public enum PullRequestDecoder {
    static let fields: [FieldSpec] = [
        FieldSpec("id"), FieldSpec("pullRequestKey"), FieldSpec("displayTitle", aliases: ["title"]),
        FieldSpec("createdDate"), FieldSpec("mergedDate"), FieldSpec("closedDate"), FieldSpec("status"),
        FieldSpec("repoUrl"), FieldSpec("mergeCommitSha"), FieldSpec("baseCommitSha"), FieldSpec("headCommitSha"),
        FieldSpec("originalStatus"), FieldSpec("description"), FieldSpec("url"), FieldSpec("authorName"),
        FieldSpec("authorId"), FieldSpec("mergedByName"), FieldSpec("mergedById"), FieldSpec("parentPrId"),
        FieldSpec("type"), FieldSpec("component"), FieldSpec("headRef"), FieldSpec("baseRef"),
        FieldSpec("headRepoId"), FieldSpec("baseRepoId"), FieldSpec("additions"), FieldSpec("deletions"),
        FieldSpec("isDraft"),
    ]

    /// Decodes and validates a pull-request body.
    /// - Throws: ``ValidationFailure`` listing every field error.
    public static func decode(_ members: [JSONMember], connectionId: Int64, context: DecodingContext)
        throws(ValidationFailure) -> PullRequest
    {
        let reader = ObjectReader(members: members, fields: fields, context: context)
        let externalId = reader.string("id", required: true)
        let key = reader.integer("pullRequestKey", required: true)
        if key == 0 { reader.reportError("pullRequestKey", .outOfRange, "must not be 0") }
        let title = reader.string("displayTitle", maxLength: ObjectReader.freeTextLimit, required: true)
        let createdDate = reader.date("createdDate", required: true)
        let mergedDate = reader.date("mergedDate")
        let closedDate = reader.date("closedDate")
        let status = reader.enumeration("status", allowed: Enumerations.pullRequestStatuses, strict: true, allowEmpty: true)
        let originalStatus = reader.string("originalStatus")
        let repoUrl = reader.string("repoUrl", maxLength: 500)
        let url = reader.string("url", maxLength: 2048) ?? ""
        var pullRequest = PullRequest(
            connectionId: connectionId, pullRequestKey: key ?? 0, externalId: externalId ?? "",
            displayTitle: title ?? "", createdDate: createdDate ?? 0)
        pullRequest.mergeCommitSha = reader.string("mergeCommitSha") ?? ""
        pullRequest.baseCommitSha = reader.string("baseCommitSha") ?? ""
        pullRequest.headCommitSha = reader.string("headCommitSha") ?? ""
        pullRequest.description = reader.string("description", maxLength: ObjectReader.freeTextLimit) ?? ""
        pullRequest.authorName = reader.string("authorName") ?? ""
        pullRequest.authorId = reader.string("authorId") ?? ""
        pullRequest.mergedByName = reader.string("mergedByName") ?? ""
        pullRequest.mergedById = reader.string("mergedById") ?? ""
        pullRequest.parentPrId = reader.string("parentPrId") ?? ""
        pullRequest.type = reader.string("type") ?? ""
        pullRequest.component = reader.string("component") ?? ""
        pullRequest.headRef = reader.string("headRef") ?? ""
        pullRequest.baseRef = reader.string("baseRef") ?? ""
        pullRequest.headRepoId = reader.string("headRepoId") ?? ""
        pullRequest.baseRepoId = reader.string("baseRepoId") ?? ""
        pullRequest.additions = reader.integer("additions", minimum: 0, maximum: ObjectReader.lineCountLimit) ?? 0
        pullRequest.deletions = reader.integer("deletions", minimum: 0, maximum: ObjectReader.lineCountLimit) ?? 0
        pullRequest.isDraft = reader.bool("isDraft") ?? false
        if let createdDate {
            for (name, date) in [("mergedDate", mergedDate), ("closedDate", closedDate)] {
                if let date, date < createdDate {
                    reader.reportError(
                        name, .dateOrder, "is before createdDate",
                        detail: "\(name) \(Timestamp.format(date)) is before createdDate \(Timestamp.format(createdDate))")
                }
            }
        }
        try context.throwIfInvalid()
        pullRequest.mergedDate = mergedDate
        pullRequest.closedDate = closedDate
        pullRequest.status = status?.canonical ?? ""
        pullRequest.originalStatus = originalStatus ?? status?.original ?? ""
        pullRequest.url = url
        pullRequest.repoUrl = (repoUrl?.isEmpty == false ? repoUrl : nil) ?? PullRequest.repoUrl(fromPullRequestURL: url)
        if pullRequest.status == "MERGED" && mergedDate == nil {
            context.warn("merged_without_merged_date", "mergedDate", "status MERGED without mergedDate")
        }
        return pullRequest
    }
}
