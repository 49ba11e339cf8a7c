/// The optional body of a close request (spec §6.3).
public struct IssueClose: Sendable, Equatable {
    public var issueKey: String?
    public var resolutionDate: EpochMilliseconds?
    public var originalStatus: String?

    public init(issueKey: String? = nil, resolutionDate: EpochMilliseconds? = nil, originalStatus: String? = nil) {
        self.issueKey = issueKey
        self.resolutionDate = resolutionDate
        self.originalStatus = originalStatus
    }

    static let fields = [FieldSpec("issueKey"), FieldSpec("resolutionDate"), FieldSpec("originalStatus")]

    /// Decodes a close body.
    /// - Parameters:
    ///   - members: the body's members (`[]` for an absent body).
    ///   - pathKey: the issue key from the path form, or nil for the body form (which requires `issueKey`).
    public static func decode(_ members: [JSONMember], pathKey: String?, context: DecodingContext)
        throws(ValidationFailure) -> IssueClose
    {
        let reader = ObjectReader(members: members, fields: fields, context: context)
        let issueKey = reader.string("issueKey", required: pathKey == nil)
        let resolutionDate = reader.date("resolutionDate")
        let originalStatus = reader.string("originalStatus")
        if let pathKey, let issueKey, issueKey != pathKey {
            reader.reportError(
                "issueKey", .conflict, "differs from the issue key in the path",
                detail: "\"\(issueKey)\" differs from the issue key in the path \"\(pathKey)\"")
        }
        try context.throwIfInvalid()
        return IssueClose(issueKey: pathKey ?? issueKey, resolutionDate: resolutionDate, originalStatus: originalStatus)
    }
}
