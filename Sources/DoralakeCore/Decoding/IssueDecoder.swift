/// Turns an issue body (spec §6.1) into an ``Issue``.
public enum IssueDecoder {
    static let fields: [FieldSpec] = [
        "issueKey", "title", "status", "originalStatus", "createdDate", "type", "resolutionDate", "updatedDate",
        "storyPoint", "leadTimeMinutes", "originalEstimateMinutes", "timeSpentMinutes", "timeRemainingMinutes",
        "url", "description", "epicKey", "priority", "severity", "component", "creatorId", "creatorName",
        "assigneeId", "assigneeName", "parentIssueKey", "deploymentId", "deploymentConnectionId",
        "causedByDeployment",
    ].map { FieldSpec($0) }

    /// Decodes and validates an issue body.
    /// - Throws: ``ValidationFailure`` listing every field error.
    public static func decode(_ members: [JSONMember], connectionId: Int64, context: DecodingContext)
        throws(ValidationFailure) -> Issue
    {
        let reader = ObjectReader(
            members: members, fields: fields, ignored: ["board_key", "boardKey"], context: context)
        let issueKey = reader.string("issueKey", required: true)
        let title = reader.string("title", maxLength: ObjectReader.freeTextLimit, required: true)
        var status = reader.enumeration("status", allowed: Enumerations.issueStatuses, strict: true)
        let statusIsBlank = reader.raw("status").map { value in
            if case .string(let text) = value { return text.allSatisfy(\.isWhitespace) }
            return value == .null
        } ?? true
        if status == nil && statusIsBlank {
            reader.reportError("status", .required, "is required")
        }
        let originalStatus = reader.string("originalStatus")
        let createdDate = reader.date("createdDate", required: true)
        let typeText = reader.string("type", maxLength: 100)
        let resolutionDate = reader.date("resolutionDate")
        let updatedDate = reader.date("updatedDate")
        let storyPoint = reader.number("storyPoint", minimum: 0, maximum: ObjectReader.storyPointLimit)
        let leadTime = reader.integer("leadTimeMinutes", minimum: 0)
        let estimate = reader.integer("originalEstimateMinutes") ?? 0
        let spent = reader.integer("timeSpentMinutes") ?? 0
        let remaining = reader.integer("timeRemainingMinutes") ?? 0
        let url = reader.string("url", maxLength: 2048) ?? ""
        let description = reader.string("description", maxLength: ObjectReader.freeTextLimit) ?? ""
        let epicKey = reader.string("epicKey") ?? ""
        let priority = reader.string("priority") ?? ""
        let severity = reader.string("severity") ?? ""
        let component = reader.string("component") ?? ""
        let creatorId = reader.string("creatorId") ?? ""
        let creatorName = reader.string("creatorName") ?? ""
        let assigneeId = reader.string("assigneeId") ?? ""
        let assigneeName = reader.string("assigneeName") ?? ""
        let parentIssueKey = reader.string("parentIssueKey") ?? ""
        let deploymentId = reader.string("deploymentId")
        let deploymentConnectionId = reader.integer("deploymentConnectionId", minimum: 1)
        let causedByDeployment = reader.bool("causedByDeployment")

        if let createdDate, let resolutionDate, resolutionDate < createdDate {
            reader.reportError(
                "resolutionDate", .dateOrder, "is before createdDate",
                detail:
                    "resolutionDate \(Timestamp.format(resolutionDate)) is before createdDate \(Timestamp.format(createdDate))"
            )
        }
        if let deploymentId, !deploymentId.isEmpty, causedByDeployment == false {
            reader.reportError(
                "causedByDeployment", .conflict, "conflicts with deploymentId",
                detail: "causedByDeployment false conflicts with deploymentId \"\(deploymentId)\"")
        }
        try context.throwIfInvalid()
        guard let issueKey, let title, let createdDate, let statusValue = status else {
            throw ValidationFailure([FieldError(field: "", code: .required, message: "is incomplete")])
        }
        status = statusValue
        var issue = Issue(
            connectionId: connectionId, issueKey: issueKey, title: title, status: statusValue.canonical,
            createdDate: createdDate)
        issue.originalStatus = originalStatus ?? statusValue.original
        issue.type = (typeText ?? "").trimmingWhitespace().uppercased()
        issue.originalType = typeText ?? ""
        issue.resolutionDate = resolutionDate
        issue.updatedDate = updatedDate
        issue.storyPoint = storyPoint
        if let leadTime, leadTime != 0 {
            issue.leadTimeMinutes = leadTime
        } else {
            issue.leadTimeMinutes = Issue.leadTime(createdDate: createdDate, resolutionDate: resolutionDate) ?? leadTime
        }
        issue.originalEstimateMinutes = estimate
        issue.timeSpentMinutes = spent
        issue.timeRemainingMinutes = remaining
        issue.url = url
        issue.description = description
        issue.epicKey = epicKey
        issue.priority = priority
        issue.severity = severity
        issue.component = component
        issue.creatorId = creatorId
        issue.creatorName = creatorName
        issue.assigneeId = assigneeId
        issue.assigneeName = assigneeName
        issue.parentIssueKey = parentIssueKey
        issue.deploymentId = (deploymentId?.isEmpty ?? true) ? nil : deploymentId
        issue.deploymentConnectionId = issue.deploymentId == nil ? nil : deploymentConnectionId
        issue.causedByDeployment = causedByDeployment
        if issue.status == "DONE" && resolutionDate == nil {
            context.warn(
                "done_without_resolution_date", "resolutionDate",
                "status DONE without resolutionDate: the issue counts in no age metric")
        }
        return issue
    }
}

import Foundation
