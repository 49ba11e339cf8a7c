/// Turns a commits body (spec §8.1: one commit object, or `{"commits":[…]}`) into ``Commit``s.
public enum CommitDecoder {
    /// Most commits one request may carry.
    public static let maximumCommits = 10_000

    static let fields: [FieldSpec] = [
        FieldSpec("sha", aliases: ["commitSha", "commit_sha"]), FieldSpec("repoUrl"), FieldSpec("authoredDate"),
        FieldSpec("additions"), FieldSpec("deletions"), FieldSpec("isMerge"),
    ]

    /// Decodes and validates a commits body; all or nothing.
    /// - Throws: ``ValidationFailure`` listing every field error.
    public static func decode(_ members: [JSONMember], connectionId: Int64, context: DecodingContext)
        throws(ValidationFailure) -> [Commit]
    {
        let wrapper = members.first(where: { $0.key.lowercased() == "commits" })
        var items: [(members: [JSONMember], path: String)] = []
        if let wrapper {
            let values: [JSONValue]
            if case .array(let elements) = wrapper.value { values = elements } else { values = [wrapper.value] }
            if values.isEmpty {
                context.fail(FieldError(field: "commits", code: .emptyList, message: "must not be empty"))
            } else if values.count > maximumCommits {
                context.fail(
                    FieldError(field: "commits", code: .tooManyItems, message: "has more than \(maximumCommits) items"))
            } else {
                for (index, value) in values.enumerated() {
                    guard case .object(let object) = value else {
                        context.fail(
                            FieldError(
                                field: "commits[\(index)]", code: .invalidType,
                                message: "must be an object, not \(value.typeName)", value: value))
                        continue
                    }
                    items.append((object, "commits[\(index)]."))
                }
            }
            for other in members where other.key.lowercased() != "commits" {
                context.warn("unknown_key", other.key, "unknown key \"\(other.key)\" ignored")
            }
        } else {
            items = [(members, "")]
        }
        var commits: [Commit] = []
        for item in items {
            let reader = ObjectReader(members: item.members, fields: fields, path: item.path, context: context)
            let sha = reader.string("sha", required: true)
            let repoUrl = reader.string("repoUrl", maxLength: 500, required: true)
            let authoredDate = reader.date("authoredDate", required: true)
            let additions = reader.integer("additions", minimum: 0, maximum: ObjectReader.lineCountLimit) ?? 0
            let deletions = reader.integer("deletions", minimum: 0, maximum: ObjectReader.lineCountLimit) ?? 0
            let isMerge = reader.bool("isMerge") ?? false
            if let sha, let repoUrl, let authoredDate {
                commits.append(
                    Commit(
                        connectionId: connectionId, repoUrl: repoUrl, sha: sha, authoredDate: authoredDate,
                        additions: additions, deletions: deletions, isMerge: isMerge))
            }
        }
        try context.throwIfInvalid()
        return commits
    }
}
