import DoralakeCore
import Foundation
import Testing

/// Spec §6.1/§6.2: issue and incident bodies.
struct IssueDecoderTests {
    func decode(_ json: String) throws -> (DoralakeCore.Issue, DecodingContext) {
        let context = Fixture.context()
        let issue = try IssueDecoder.decode(try members(json), connectionId: 1, context: context)
        return (issue, context)
    }

    func decodeFailure(_ json: String) throws -> ValidationFailure {
        let body = try members(json)
        return try #require(throws: ValidationFailure.self) {
            try IssueDecoder.decode(body, connectionId: 1, context: Fixture.context())
        }
    }

    static let dlk1234 = #"""
        {"issueKey":"DLK-1234", "title":"a feature from DLK", "description":"", "url":"",
         "type":"INCIDENT", "status":"TODO",
         "createdDate":"2020-01-01T12:00:00+00:00", "updatedDate":"2020-01-01T12:00:00+00:00",
         "priority":"", "severity":"", "creatorId":"user1131", "creatorName":"Nick name 1",
         "assigneeId":"user1132", "assigneeName":"Nick name 2"}
        """#

    @Test("DevLake's DLK-1234 sample without originalStatus is accepted as an incident")
    func dlkSample() throws {
        // Given DevLake's documented incident sample, which has no originalStatus
        // When it is decoded
        let (issue, context) = try decode(Self.dlk1234)
        // Then it is an incident with originalStatus defaulting to the status as sent
        #expect(issue.issueKey == "DLK-1234")
        #expect(issue.devLakeId == "webhook:1:DLK-1234")
        #expect(issue.title == "a feature from DLK")
        #expect(issue.isIncident)
        #expect(issue.type == "INCIDENT")
        #expect(issue.status == "TODO")
        #expect(issue.originalStatus == "TODO")
        #expect(issue.createdDate == isoMillis("2020-01-01T12:00:00Z"))
        #expect(issue.updatedDate == isoMillis("2020-01-01T12:00:00Z"))
        #expect(issue.resolutionDate == nil)
        #expect(issue.leadTimeMinutes == nil)
        #expect([issue.creatorId, issue.creatorName, issue.assigneeId, issue.assigneeName] == ["user1131", "Nick name 1", "user1132", "Nick name 2"])
        #expect(issue.deploymentId == nil)
        #expect(context.warnings.isEmpty)
    }

    @Test("type and status are case-insensitive, stored uppercase, sent spelling kept (§6.2)")
    func incidentExtensionExample() throws {
        let (issue, _) = try decode(
            #"{"issueKey":"INC-7","title":"checkout 500s","type":"incident","status":"in_progress","createdDate":"2024-05-02T15:00:00Z","deploymentId":"deploy-101"}"#)
        #expect(issue.type == "INCIDENT")
        #expect(issue.originalType == "incident")
        #expect(issue.isIncident)
        #expect(issue.status == "IN_PROGRESS")
        #expect(issue.originalStatus == "in_progress")
        #expect(issue.deploymentId == "deploy-101")
        #expect(issue.causedByDeployment == nil)
    }

    @Test("a client originalStatus wins over the status as sent")
    func clientOriginalStatus() throws {
        let (issue, _) = try decode(
            #"{"issueKey":"K","title":"t","status":"done","originalStatus":"Resolved","createdDate":"2024-05-02T15:00:00Z","resolutionDate":"2024-05-02T16:00:00Z"}"#)
        #expect(issue.status == "DONE")
        #expect(issue.originalStatus == "Resolved")
    }

    @Test("free-text types are stored uppercase; only INCIDENT makes an incident", arguments: [
        ("bug", "BUG", false), ("Requirement", "REQUIREMENT", false), (" Incident ", "INCIDENT", true),
        ("security-review", "SECURITY-REVIEW", false), ("", "", false),
    ])
    func issueType(_ sent: String, _ stored: String, _ incident: Bool) throws {
        let (issue, context) = try decode(
            #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2024-05-02T15:00:00Z","type":"\#(sent)"}"#)
        #expect(issue.type == stored)
        #expect(issue.originalType == sent)
        #expect(issue.isIncident == incident)
        #expect(context.warnings.isEmpty)
    }

    @Test("an unknown status is invalid_enum", arguments: ["OPEN", "closed", "resolved"])
    func unknownStatus(_ status: String) throws {
        let failure = try decodeFailure(
            #"{"issueKey":"K","title":"t","status":"\#(status)","createdDate":"2024-05-02T15:00:00Z"}"#)
        #expect(failure.errors.map(\.code) == [.invalidEnum])
        #expect(failure.errors.first?.cause == #"status: "\#(status)" is not one of TODO, IN_PROGRESS, DONE"#)
    }

    @Test("issueKey, title, status and createdDate are required")
    func requiredFields() throws {
        let failure = try decodeFailure("{}")
        #expect(failure.errors.map(\.field) == ["issueKey", "title", "status", "createdDate"])
        #expect(failure.errors.map(\.code) == [.required, .required, .required, .required])
        #expect(failure.message == "4 invalid fields: issueKey, title, status, createdDate")
    }

    // MARK: Lead time

    struct LeadTimeCase: Sendable, CustomTestStringConvertible {
        var resolution: String?
        var sentLeadTime: String?
        var expected: Int64?
        var testDescription: String { "resolution \(resolution ?? "none"), leadTimeMinutes \(sentLeadTime ?? "absent")" }
    }

    static let leadTimes: [LeadTimeCase] = [
        LeadTimeCase(resolution: "2020-01-01T13:15:00Z", sentLeadTime: nil, expected: 75),
        LeadTimeCase(resolution: "2020-01-01T13:15:59.999Z", sentLeadTime: nil, expected: 75),  // floor
        LeadTimeCase(resolution: "2020-01-01T12:00:59Z", sentLeadTime: nil, expected: 0),
        LeadTimeCase(resolution: "2020-01-02T12:00:00Z", sentLeadTime: "0", expected: 1440),  // 0 counts as absent
        LeadTimeCase(resolution: "2020-01-02T12:00:00Z", sentLeadTime: "30", expected: 30),  // a sent value wins
        LeadTimeCase(resolution: nil, sentLeadTime: "30", expected: 30),
        LeadTimeCase(resolution: nil, sentLeadTime: "\"45\"", expected: 45),
        LeadTimeCase(resolution: nil, sentLeadTime: nil, expected: nil),
        LeadTimeCase(resolution: nil, sentLeadTime: "0", expected: 0),
    ]

    @Test("leadTimeMinutes, when absent or 0, is the floor of minutes from creation to resolution", arguments: leadTimes)
    func leadTime(_ testCase: LeadTimeCase) throws {
        var json = #"{"issueKey":"K","title":"t","status":"DONE","createdDate":"2020-01-01T12:00:00Z""#
        if let resolution = testCase.resolution { json += #","resolutionDate":"\#(resolution)""# }
        if let lead = testCase.sentLeadTime { json += #","leadTimeMinutes":\#(lead)"# }
        let (issue, _) = try decode(json + "}")
        #expect(issue.leadTimeMinutes == testCase.expected)
    }

    @Test("Issue.leadTime floors minutes and refuses negative spans")
    func leadTimeFunction() {
        let created = isoMillis("2020-01-01T12:00:00Z")
        #expect(DoralakeCore.Issue.leadTime(createdDate: created, resolutionDate: isoMillis("2020-01-01T13:15:00Z")) == 75)
        #expect(DoralakeCore.Issue.leadTime(createdDate: created, resolutionDate: nil) == nil)
        #expect(DoralakeCore.Issue.leadTime(createdDate: created, resolutionDate: created - 1) == nil)
    }

    @Test("a negative leadTimeMinutes or storyPoint is out_of_range")
    func negativeNumbers() throws {
        let failure = try decodeFailure(
            #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2020-01-01T12:00:00Z","leadTimeMinutes":-1,"storyPoint":-0.5}"#)
        #expect(failure.errors.map(\.field) == ["storyPoint", "leadTimeMinutes"])
        #expect(failure.errors.map(\.code) == [.outOfRange, .outOfRange])
    }

    @Test("weakly typed numbers and defaults of the optional fields")
    func optionalFields() throws {
        let (issue, _) = try decode(
            #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2020-01-01T12:00:00Z","storyPoint":"2.5","originalEstimateMinutes":"60","timeSpentMinutes":30.9,"epicKey":7}"#)
        #expect(issue.storyPoint == 2.5)
        #expect(issue.originalEstimateMinutes == 60)
        #expect(issue.timeSpentMinutes == 30)
        #expect(issue.timeRemainingMinutes == 0)
        #expect(issue.epicKey == "7")
        #expect([issue.url, issue.description, issue.priority, issue.severity, issue.component, issue.parentIssueKey] == ["", "", "", "", "", ""])
    }

    // MARK: Validation

    @Test("a resolution before creation is date_order")
    func dateOrder() throws {
        let failure = try decodeFailure(
            #"{"issueKey":"K","title":"t","status":"DONE","createdDate":"2020-01-01T12:00:00Z","resolutionDate":"2020-01-01T11:59:59Z"}"#)
        #expect(failure.errors.map(\.code) == [.dateOrder])
        #expect(failure.errors.first?.field == "resolutionDate")
    }

    @Test("deploymentId together with causedByDeployment false is a conflict", arguments: ["false", #""false""#, "0", #""f""#])
    func deploymentConflict(_ caused: String) throws {
        let failure = try decodeFailure(
            #"{"issueKey":"K","title":"t","status":"TODO","type":"INCIDENT","createdDate":"2020-01-01T12:00:00Z","deploymentId":"d-1","causedByDeployment":\#(caused)}"#)
        #expect(failure.errors.map(\.code) == [.conflict])
        #expect(failure.errors.first?.field == "causedByDeployment")
    }

    @Test("causedByDeployment false alone is accepted")
    func notCausedByDeployment() throws {
        let (issue, _) = try decode(
            #"{"issueKey":"K","title":"t","status":"TODO","type":"INCIDENT","createdDate":"2020-01-01T12:00:00Z","causedByDeployment":false}"#)
        #expect(issue.causedByDeployment == false)
        #expect(issue.deploymentId == nil)
    }

    @Test("deploymentConnectionId is kept with a deploymentId and dropped without one")
    func deploymentConnection() throws {
        let (linked, _) = try decode(
            #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2020-01-01T12:00:00Z","deploymentId":"d-1","deploymentConnectionId":"3"}"#)
        #expect(linked.deploymentConnectionId == 3)
        let (unlinked, _) = try decode(
            #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2020-01-01T12:00:00Z","deploymentId":"","deploymentConnectionId":3}"#)
        #expect(unlinked.deploymentId == nil)
        #expect(unlinked.deploymentConnectionId == nil)
    }

    @Test("DONE without resolutionDate gives warning done_without_resolution_date")
    func doneWithoutResolution() throws {
        let (_, context) = try decode(#"{"issueKey":"K","title":"t","status":"Done","createdDate":"2020-01-01T12:00:00Z"}"#)
        #expect(context.warningCodes == ["done_without_resolution_date"])
    }

    @Test("v0.14's board_key is ignored with warning legacy_key_ignored", arguments: ["board_key", "boardKey", "BOARD_KEY"])
    func boardKeyIgnored(_ key: String) throws {
        let (_, context) = try decode(
            #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2020-01-01T12:00:00Z","\#(key)":"B"}"#)
        #expect(context.warningCodes == ["legacy_key_ignored"])
        #expect(context.warnings.first?.field == key)
    }

    @Test("snake_case keys are accepted", arguments: [("issue_key", "issueKey"), ("created_date", "createdDate")])
    func snakeCaseKeys(_ alias: String, _ canonical: String) throws {
        let json = #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2020-01-01T12:00:00Z"}"#
            .replacingOccurrences(of: #""\#(canonical)""#, with: #""\#(alias)""#)
        let (issue, context) = try decode(json)
        #expect(issue.issueKey == "K")
        #expect(issue.createdDate == isoMillis("2020-01-01T12:00:00Z"))
        #expect(context.warningCodes == ["legacy_alias"])
    }

    @Test("type longer than 100 characters is too_long")
    func typeTooLong() throws {
        let failure = try decodeFailure(
            #"{"issueKey":"K","title":"t","status":"TODO","createdDate":"2020-01-01T12:00:00Z","type":"\#(String(repeating: "x", count: 101))"}"#)
        #expect(failure.errors.map(\.code) == [.tooLong])
    }
}

/// Spec §6.3: the optional body of the close routes.
struct IssueCloseTests {
    func decode(_ json: String, pathKey: String?) throws -> IssueClose {
        try IssueClose.decode(try members(json), pathKey: pathKey, context: Fixture.context())
    }

    @Test("the path form accepts an empty body")
    func emptyBodyPathForm() throws {
        let close = try IssueClose.decode([], pathKey: "DLK-1234", context: Fixture.context())
        #expect(close == IssueClose(issueKey: "DLK-1234"))
    }

    @Test("the body form reads issueKey, resolutionDate and originalStatus")
    func bodyForm() throws {
        let close = try decode(
            #"{"issueKey":"DLK-1234","resolutionDate":"2020-01-01T13:15:00Z","originalStatus":"Fixed"}"#, pathKey: nil)
        #expect(
            close == IssueClose(issueKey: "DLK-1234", resolutionDate: isoMillis("2020-01-01T13:15:00Z"), originalStatus: "Fixed"))
    }

    @Test("the body form requires issueKey", arguments: ["{}", #"{"issueKey":""}"#, #"{"resolutionDate":"2020-01-01"}"#])
    func bodyFormRequiresKey(_ json: String) throws {
        let body = try members(json)
        let failure = try #require(throws: ValidationFailure.self) {
            try IssueClose.decode(body, pathKey: nil, context: Fixture.context())
        }
        #expect(failure.message == "issueKey is required")
    }

    @Test("a body issueKey equal to the path key is accepted")
    func matchingKeys() throws {
        #expect(try decode(#"{"issueKey":"K-1"}"#, pathKey: "K-1").issueKey == "K-1")
    }

    @Test("a body issueKey that differs from the path key is a conflict")
    func conflictingKeys() throws {
        let body = try members(#"{"issueKey":"K-2"}"#)
        let failure = try #require(throws: ValidationFailure.self) {
            try IssueClose.decode(body, pathKey: "K-1", context: Fixture.context())
        }
        #expect(failure.errors.map(\.code) == [.conflict])
        #expect(failure.errors.first?.field == "issueKey")
    }

    @Test("an unparsable resolutionDate is invalid_date")
    func invalidResolutionDate() throws {
        let body = try members(#"{"resolutionDate":"2020-13-01"}"#)
        let failure = try #require(throws: ValidationFailure.self) {
            try IssueClose.decode(body, pathKey: "K-1", context: Fixture.context())
        }
        #expect(failure.errors.map(\.code) == [.invalidDate])
    }
}

@Suite("Issue status edge cases")
struct IssueStatusEdgeCaseTests {
    @Test("a blank status is required, not an unknown enum value")
    func blankStatus() throws {
        let context = DecodingContext(receivedAt: 0)
        guard case .object(let members) = try JSONParser.parse(#"{"issueKey":"A","title":"t","status":"  ","createdDate":"2024-01-10"}"#).value
        else { Issue.record("not an object"); return }
        #expect(throws: ValidationFailure([FieldError(field: "status", code: .required, message: "is required", value: .string("  "))])) {
            try IssueDecoder.decode(members, connectionId: 1, context: context)
        }
    }
}

@Suite("Zone-less dates before 1970")
struct ZonelessRangeTests {
    @Test("a zone-less time that is before 1970 in UTC is rejected like its offset form")
    func beforeEpoch() {
        let parser = DateParser(zonelessTimeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(parser.parse("1970-01-01T00:30:00") == .invalid)
        #expect(parser.parse("1970-01-01T00:30:00+01:00") == .invalid)
    }
}
