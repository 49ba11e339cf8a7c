import DoralakeCore
import Testing

/// Spec §5: deployment bodies — defaults and inheritance (§5.1), validation (§5.2), legacy and
/// pre-1.0 bodies (§5.3) and the documented examples (§5.5).
struct DeploymentDecoderTests {
    /// Decodes `json` through connection 1 at the pinned receipt time.
    func decode(_ json: String, connectionId: Int64 = 1) throws -> (Deployment, DecodingContext) {
        let context = Fixture.context()
        let deployment = try DeploymentDecoder.decode(try members(json), connectionId: connectionId, context: context)
        return (deployment, context)
    }

    /// The validation failure of `json`; records a test failure when it decodes.
    func decodeFailure(_ json: String) throws -> ValidationFailure {
        let body = try members(json)
        return try #require(throws: ValidationFailure.self) {
            try DeploymentDecoder.decode(body, connectionId: 1, context: Fixture.context())
        }
    }

    static let minimal =
        #"{"id":"d-1","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"abc"}]}"#

    // MARK: §5.1 defaults

    @Test("a minimal body gets the documented defaults")
    func defaults() throws {
        // Given only the required fields
        // When it is decoded
        let (deployment, context) = try decode(Self.minimal)
        // Then every optional field has its §5.1 default
        #expect(deployment.connectionId == 1)
        #expect(deployment.id == "d-1")
        #expect(deployment.environment == "PRODUCTION")
        #expect(deployment.originalEnvironment == "")
        #expect(deployment.result == "SUCCESS")
        #expect(deployment.originalResult == "SUCCESS")
        #expect(deployment.name == "deploy abc to PRODUCTION")
        #expect(deployment.displayTitle == "")
        #expect(deployment.createdDate == deployment.startedDate)
        #expect(deployment.kind == nil)
        #expect(deployment.isRework == nil)
        #expect(deployment.status == "DONE")
        #expect(deployment.originalStatus == "DONE")
        #expect(context.warnings.isEmpty)
    }

    @Test("a commit without optional fields gets the documented defaults and inherits the deployment's")
    func commitDefaults() throws {
        let (deployment, _) = try decode(Self.minimal)
        let commit = try #require(deployment.commits.first)
        #expect(deployment.commits.count == 1)
        #expect(commit.repoUrl == "https://github.com/acme/shop")
        #expect(commit.commitSha == "abc")
        #expect(commit.name == "deployment for abc")
        #expect(commit.status == "DONE")
        #expect(commit.originalStatus == "DONE")
        #expect(commit.result == "SUCCESS")
        #expect(commit.originalResult == "SUCCESS")
        #expect([commit.repoId, commit.refName, commit.commitMsg, commit.displayTitle] == ["", "", "", ""])
        #expect(commit.includedCommitShas.isEmpty)
        #expect(commit.startedDate == isoMillis("2024-05-02T14:00:00Z"))
        #expect(commit.finishedDate == isoMillis("2024-05-02T14:30:00Z"))
        #expect(commit.createdDate == isoMillis("2024-05-02T14:00:00Z"))
    }

    @Test("finishedDate absent, null or empty defaults to the receipt time", arguments: [
        "", #","finishedDate":null"#, #","finishedDate":"""#, #","finishedDate":"  ""#, #","end_time":"""#,
    ])
    func finishedDateDefaultsToReceipt(_ extra: String) throws {
        // Given a body that started before the receipt time and has no usable finishedDate
        let json = #"{"id":"d","startedDate":"2024-01-10T17:00:00Z"\#(extra),"deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#
        // When it is decoded
        let (deployment, _) = try decode(json)
        // Then the deployment and its commit finish at the receipt time
        #expect(deployment.finishedDate == Fixture.receivedAt)
        #expect(deployment.commits.first?.finishedDate == Fixture.receivedAt)
    }

    @Test("createdDate defaults to startedDate and commits inherit it")
    func createdDateDefault() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024-01-10T11:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#)
        #expect(deployment.createdDate == isoMillis("2024-01-10T10:00:00Z"))
        #expect(deployment.commits.first?.createdDate == isoMillis("2024-01-10T10:00:00Z"))
    }

    @Test("a commit without result inherits the deployment's result", arguments: ["FAILURE", "ABORT", "MANUAL", "failure"])
    func resultInherited(_ result: String) throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","result":"\#(result)","deploymentCommits":[{"repoUrl":"r","commitSha":"a"},{"repoUrl":"r","commitSha":"b","result":"SUCCESS"}]}"#)
        #expect(deployment.result == result.uppercased())
        #expect(deployment.originalResult == result)
        // the inherited value is the applied value, also in originalResult (§5.4)
        #expect(deployment.commits[0].result == result.uppercased())
        #expect(deployment.commits[0].originalResult == result.uppercased())
        // a commit's own result wins
        #expect(deployment.commits[1].result == "SUCCESS")
    }

    @Test("commit dates that are absent inherit the deployment's, present ones win")
    func commitDateInheritance() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","createdDate":"2024-01-10T09:00:00Z","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024-01-10T12:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"a"},{"repoUrl":"r","commitSha":"b","createdDate":"2024-01-10T09:30:00Z","startedDate":"2024-01-10T10:30:00Z","finishedDate":"2024-01-10T11:00:00.500Z"}]}"#)
        let inherited = deployment.commits[0]
        #expect(inherited.createdDate == isoMillis("2024-01-10T09:00:00Z"))
        #expect(inherited.startedDate == isoMillis("2024-01-10T10:00:00Z"))
        #expect(inherited.finishedDate == isoMillis("2024-01-10T12:00:00Z"))
        let own = deployment.commits[1]
        #expect(own.createdDate == isoMillis("2024-01-10T09:30:00Z"))
        #expect(own.startedDate == isoMillis("2024-01-10T10:30:00Z"))
        #expect(own.finishedDate == isoMillis("2024-01-10T11:00:00.500Z"))
        // each commit's duration comes from its own dates (§5.4), with milliseconds
        #expect(Timestamp.secondsText(inherited.durationMillis) == "7200")
        #expect(Timestamp.secondsText(own.durationMillis) == "1800.5")
        #expect(Timestamp.secondsText(deployment.durationMillis) == "7200")
    }

    @Test("environment is matched case-insensitively and the sent value becomes originalEnvironment")
    func environmentSpelling() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","environment":"staging","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.environment == "STAGING")
        #expect(deployment.originalEnvironment == "staging")
        #expect(deployment.name == "deploy s to STAGING")
    }

    @Test("a client originalEnvironment wins over the value as sent")
    func clientOriginalEnvironment() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","environment":"production","originalEnvironment":"prod-eu","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.environment == "PRODUCTION")
        #expect(deployment.originalEnvironment == "prod-eu")
    }

    @Test("the default name lists every sha and the environment; name and displayTitle are kept when sent")
    func names() throws {
        let (defaulted, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","environment":"TESTING","deploymentCommits":[{"repoUrl":"r1","commitSha":"s1"},{"repoUrl":"r2","commitSha":"s2"}]}"#)
        #expect(defaulted.name == "deploy s1,s2 to TESTING")
        let (named, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","name":"release 7","displayTitle":"Release 7","deploymentCommits":{"repoUrl":"r","commitSha":"s","name":"n","displayTitle":"t"}}"#)
        #expect(named.name == "release 7")
        #expect(named.displayTitle == "Release 7")
        #expect(named.commits.first?.name == "n")
        #expect(named.commits.first?.displayTitle == "t")
    }

    @Test("a single commit object counts as a one-element deploymentCommits")
    func singleCommitObject() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.commits.map(\.commitSha) == ["s"])
    }

    @Test("commit status is matched case-insensitively and the deployment takes its first commit's status")
    func commitStatus() throws {
        let (deployment, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"a","status":"in_progress"},{"repoUrl":"r","commitSha":"b","status":"Other"}]}"#)
        #expect(deployment.commits.map(\.status) == ["IN_PROGRESS", "OTHER"])
        #expect(deployment.commits.map(\.originalStatus) == ["in_progress", "Other"])
        #expect(deployment.status == "IN_PROGRESS")
        #expect(deployment.originalStatus == "in_progress")
        #expect(context.warnings.isEmpty)
    }

    @Test("unknown result and status values are stored uppercased with a warning")
    func unknownResultAndStatus() throws {
        let (deployment, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","result":"skipped","deploymentCommits":[{"repoUrl":"r","commitSha":"a","status":"queued"}]}"#)
        #expect(deployment.result == "SKIPPED")
        #expect(deployment.originalResult == "skipped")
        #expect(deployment.commits[0].result == "SKIPPED")
        #expect(deployment.commits[0].status == "QUEUED")
        #expect(context.warningCodes == ["unknown_enum_value", "unknown_enum_value"])
        #expect(context.warnings.map(\.field) == ["result", "deploymentCommits[0].status"])
    }

    @Test("extension fields isRework, kind and includedCommitShas are read")
    func extensionFields() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","isRework":"true","kind":"hotfix","deploymentCommits":{"repoUrl":"r","commitSha":"s","includedCommitShas":["a","b","a"]}}"#)
        #expect(deployment.isRework == true)
        #expect(deployment.kind == "HOTFIX")
        #expect(deployment.commits.first?.includedCommitShas == ["a", "b"])
    }

    @Test("a single included sha counts as a one-element list")
    func singleIncludedSha() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"r","commitSha":"s","includedCommitShas":"a"}}"#)
        #expect(deployment.commits.first?.includedCommitShas == ["a"])
    }

    static let consistentReworkKinds: [(isRework: Bool, kind: String)] = [
        (true, "HOTFIX"), (true, "ROLLBACK"), (false, "REGULAR"),
    ]

    @Test("isRework consistent with kind is accepted", arguments: consistentReworkKinds)
    func reworkKindConsistent(_ isRework: Bool, _ kind: String) throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","isRework":\#(isRework),"kind":"\#(kind)","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.isRework == isRework)
        #expect(deployment.kind == kind)
    }

    static let conflictingReworkKinds: [(isRework: Bool, kind: String)] = [
        (true, "REGULAR"), (false, "HOTFIX"), (false, "ROLLBACK"),
    ]

    @Test("isRework contradicting kind is a conflict", arguments: conflictingReworkKinds)
    func reworkKindConflict(_ isRework: Bool, _ kind: String) throws {
        let failure = try decodeFailure(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","isRework":\#(isRework),"kind":"\#(kind)","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(failure.errors.map(\.code) == [.conflict])
        #expect(failure.errors.first?.field == "isRework")
    }

    @Test("an unknown kind is invalid_enum")
    func unknownKind() throws {
        let failure = try decodeFailure(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","kind":"canary","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(failure.errors.map(\.code) == [.invalidEnum])
        #expect(failure.errors.first?.cause == #"kind: "canary" is not one of HOTFIX, ROLLBACK, REGULAR"#)
    }

    // MARK: §5.5 examples

    static let devLakeSample = #"""
        {
          "id": "required-id",
          "createdDate": "2020-01-01T11:00:00+00:00",
          "startedDate": "2020-01-01T12:00:00+00:00",
          "finishedDate": "2020-01-02T13:00:00+00:00",
          "environment": "PRODUCTION", "result": "FAILURE",
          "displayTitle": "optional-custom-deploy-display-title", "name": "optional-deployment-name",
          "deploymentCommits": [
            {"repoUrl": "required-repo-url", "refName": "optional-release-v0.17",
             "startedDate": "2020-01-01T11:00:00+00:00", "finishedDate": "2020-01-02T11:00:00+00:00",
             "commitSha": "c1", "commitMsg": "optional-msg-1", "displayTitle": "title-1"},
            {"repoUrl": "repo-2", "refName": "optional-release-v0.17",
             "startedDate": "2020-01-01T11:00:00+00:00", "finishedDate": "2020-01-02T11:00:00+00:00",
             "commitSha": "c2", "commitMsg": "optional-msg-2", "displayTitle": "title-2"}]}
        """#

    @Test("DevLake's two-repo sample: both commits inherit FAILURE and last 86400 s")
    func devLakeTwoRepoSample() throws {
        // Given DevLake's documented sample posted to connection 1
        // When it is decoded
        let (deployment, context) = try decode(Self.devLakeSample)
        // Then the deployment keeps its fields
        #expect(deployment.id == "required-id")
        #expect(deployment.name == "optional-deployment-name")
        #expect(deployment.displayTitle == "optional-custom-deploy-display-title")
        #expect(deployment.result == "FAILURE")
        #expect(deployment.environment == "PRODUCTION")
        #expect(deployment.originalEnvironment == "PRODUCTION")
        #expect(deployment.createdDate == isoMillis("2020-01-01T11:00:00Z"))
        #expect(Timestamp.secondsText(deployment.durationMillis) == "90000")
        // And both commits inherit FAILURE, with durations from their own dates
        #expect(deployment.commits.map(\.result) == ["FAILURE", "FAILURE"])
        #expect(deployment.commits.map(\.durationMillis) == [86_400_000, 86_400_000])
        #expect(deployment.commits.map { Timestamp.secondsText($0.durationMillis) } == ["86400", "86400"])
        #expect(deployment.commits.map(\.refName) == ["optional-release-v0.17", "optional-release-v0.17"])
        #expect(deployment.commits.map(\.commitMsg) == ["optional-msg-1", "optional-msg-2"])
        #expect(deployment.commits.map(\.displayTitle) == ["title-1", "title-2"])
        // And the commit ids are the documented ones
        #expect(
            deployment.commits.map(deployment.commitId) == [
                "webhook:1:required-id:2c329b35c5aa5812:c1", "webhook:1:required-id:906e30ac5002caeb:c2",
            ])
        #expect(context.warnings.isEmpty)
    }

    @Test("CircleCI body with +0000 offsets decodes to a 439 s production success")
    func circleCIBody() throws {
        let json = #"""
            {"id":"wf-1","startedDate":"2024-01-10T17:30:00+0000","finishedDate":"2024-01-10T17:37:19+0000",
             "deploymentCommits":[{"commitSha":"015e3d3b480e417aede5a1293bd61de9b0fd051d","repoUrl":"git@github.com:acme/shop.git"}]}
            """#
        let (deployment, context) = try decode(json)
        let commit = try #require(deployment.commits.first)
        #expect(commit.result == "SUCCESS")
        #expect(deployment.environment == "PRODUCTION")
        #expect(Timestamp.secondsText(commit.durationMillis) == "439")
        #expect(
            deployment.commitId(commit)
                == "webhook:1:wf-1:4848ea8033825c1e:015e3d3b480e417aede5a1293bd61de9b0fd051d")
        #expect(context.warnings.isEmpty)
    }

    @Test("CircleCI body with an empty finished date uses the receipt time")
    func circleCIEmptyFinishedDate() throws {
        let json =
            #"{"id":"wf-2","startedDate":"2024-01-10T17:25:00+0000","finishedDate":"","deploymentCommits":[{"commitSha":"015e3d3","repoUrl":"git@github.com:acme/shop.git"}]}"#
        let (deployment, _) = try decode(json)
        #expect(deployment.finishedDate == Fixture.receivedAt)
        #expect(deployment.commits.first?.finishedDate == Fixture.receivedAt)
        #expect(deployment.commits.first?.durationMillis == 300_000)
    }

    @Test("the project-route example gives the documented commit id")
    func projectRouteExample() throws {
        let (deployment, _) = try decode(
            #"{"id":"argo-991","startedDate":"2024-05-02T14:00:00Z","finishedDate":"2024-05-02T14:30:00Z","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"bbb222"}]}"#,
            connectionId: 5)
        #expect(deployment.commits.map(deployment.commitId) == ["webhook:5:argo-991:0e3e2eb86df7a42e:bbb222"])
    }

    // MARK: §5.2 validation

    @Test("deploymentCommits missing, null, [] or {} must not be empty", arguments: [
        "", #","deploymentCommits":null"#, #","deploymentCommits":[]"#, #","deploymentCommits":{}"#,
    ])
    func emptyCommits(_ extra: String) throws {
        let failure = try decodeFailure(#"{"id":"d","startedDate":"2024-01-10T10:00:00Z"\#(extra)}"#)
        #expect(failure.errors.map(\.code) == [.emptyList])
        #expect(failure.message == "deploymentCommits must not be empty")
    }

    @Test("a deployment that finishes before it starts is date_order naming both values")
    func deploymentDateOrder() throws {
        let failure = try decodeFailure(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024-01-10T09:59:59.999Z","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        let error = try #require(failure.errors.first)
        #expect(error.code == .dateOrder)
        #expect(error.field == "finishedDate")
        #expect(error.detail.contains("2024-01-10T09:59:59.999Z") && error.detail.contains("2024-01-10T10:00:00.000Z"))
    }

    @Test("a commit that finishes before it starts, after inheritance, is date_order")
    func commitDateOrder() throws {
        // Given a commit whose own start is after the inherited deployment finish
        let failure = try decodeFailure(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024-01-10T11:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s","startedDate":"2024-01-10T11:30:00Z"}]}"#)
        #expect(failure.errors.map(\.code) == [.dateOrder])
        #expect(failure.errors.first?.field == "deploymentCommits[0].finishedDate")
    }

    @Test("a start after the receipt time without finishedDate is date_order")
    func startAfterReceipt() throws {
        let failure = try decodeFailure(
            #"{"id":"d","startedDate":"2024-01-10T18:00:00Z","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(failure.errors.map(\.code).contains(.dateOrder))
    }

    @Test("equal start and finish are accepted with duration 0")
    func zeroDuration() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.durationMillis == 0)
    }

    @Test("an unknown environment is invalid_enum naming the allowed values", arguments: ["prod", "prod-eu", "live"])
    func unknownEnvironment(_ environment: String) throws {
        let failure = try decodeFailure(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","environment":"\#(environment)","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(failure.errors.map(\.code) == [.invalidEnum])
        #expect(failure.errors.first?.cause == #"environment: "\#(environment)" is not one of PRODUCTION, STAGING, TESTING, DEVELOPMENT"#)
    }

    @Test("the same repoUrl and commitSha twice: the last wins with warning duplicate_commit")
    func duplicateCommit() throws {
        let (deployment, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s","refName":"first"},{"repoUrl":"r","commitSha":"t"},{"repoUrl":"r","commitSha":"s","refName":"last"}]}"#)
        #expect(deployment.commits.map(\.commitSha) == ["s", "t"])
        #expect(deployment.commits.first?.refName == "last")
        #expect(context.warningCodes == ["duplicate_commit"])
    }

    @Test("the same sha in two repositories is two commits")
    func sameShaTwoRepos() throws {
        let (deployment, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":[{"repoUrl":"r1","commitSha":"s"},{"repoUrl":"r2","commitSha":"s"}]}"#)
        #expect(deployment.commits.count == 2)
        #expect(context.warnings.isEmpty)
    }

    @Test("all field errors are reported together")
    func allErrorsTogether() throws {
        let failure = try decodeFailure(
            #"{"startedDate":"tomorrow","environment":"x","result":"SUCCESS","deploymentCommits":[{"commitSha":"a"},"oops",{"repoUrl":"r"}]}"#)
        #expect(
            failure.errors.map(\.field) == [
                "id", "startedDate", "environment", "deploymentCommits[0].repoUrl", "deploymentCommits[1]",
                "deploymentCommits[2].commitSha",
            ])
        #expect(
            failure.errors.map(\.code) == [.required, .invalidDate, .invalidEnum, .required, .invalidType, .required])
    }

    @Test("more than 1000 commits is too_many_items")
    func tooManyCommits() throws {
        let commits = (0...DeploymentDecoder.maximumCommits).map { #"{"repoUrl":"r","commitSha":"s\#($0)"}"# }
        let failure = try decodeFailure(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":[\#(commits.joined(separator: ","))]}"#)
        #expect(failure.errors.map(\.code) == [.tooManyItems])
    }

    @Test("exactly 1000 commits are accepted")
    func maximumCommits() throws {
        let commits = (0..<DeploymentDecoder.maximumCommits).map { #"{"repoUrl":"r","commitSha":"s\#($0)"}"# }
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":[\#(commits.joined(separator: ","))]}"#)
        #expect(deployment.commits.count == 1000)
    }

    @Test("length limits: id 255, repoUrl 500, commitSha 255")
    func lengthLimits() throws {
        let accepted = try decode(
            #"{"id":"\#(String(repeating: "i", count: 255))","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"\#(String(repeating: "r", count: 500))","commitSha":"\#(String(repeating: "s", count: 255))"}}"#)
        #expect(accepted.0.id.count == 255)
        let failure = try decodeFailure(
            #"{"id":"\#(String(repeating: "i", count: 256))","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"\#(String(repeating: "r", count: 501))","commitSha":"\#(String(repeating: "s", count: 256))"}}"#)
        #expect(failure.errors.map(\.field) == ["id", "deploymentCommits[0].repoUrl", "deploymentCommits[0].commitSha"])
        #expect(failure.errors.map(\.code) == [.tooLong, .tooLong, .tooLong])
        #expect(failure.errors[1].message == "is longer than 500 characters")
    }

    @Test("a blank id is required")
    func blankId() throws {
        let failure = try decodeFailure(#"{"id":"  ","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(failure.message == "id is required")
    }

    @Test("a numeric id is read as its decimal text")
    func numericId() throws {
        let (deployment, _) = try decode(#"{"id":991,"startedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.id == "991")
    }

    // MARK: §5.3 legacy bodies

    static let topLevelAliases: [(alias: String, canonical: String)] = [
        ("pipeline_id", "id"), ("pipelineId", "id"),
        ("start_time", "startedDate"), ("startTime", "startedDate"), ("startedTime", "startedDate"),
        ("end_time", "finishedDate"), ("endTime", "finishedDate"), ("endedTime", "finishedDate"),
        ("create_time", "createdDate"), ("createTime", "createdDate"), ("createdTime", "createdDate"),
        ("deployment_commits", "deploymentCommits"), ("display_title", "displayTitle"),
        ("started_date", "startedDate"), ("original_environment", "originalEnvironment"), ("is_rework", "isRework"),
    ]

    @Test("pre-1.0 top-level key names are read with warning legacy_alias", arguments: topLevelAliases)
    func topLevelAlias(_ alias: String, _ canonical: String) throws {
        // Given a complete body where one key is spelled with its alias
        var fields: [(String, String)] = [
            ("id", #""p-1""#), ("startedDate", #""2024-01-10T10:00:00Z""#), ("finishedDate", #""2024-01-10T11:00:00Z""#),
            ("createdDate", #""2024-01-10T09:00:00Z""#), ("displayTitle", #""T""#),
            ("originalEnvironment", #""prod-eu""#), ("isRework", "true"),
            ("deploymentCommits", #"[{"repoUrl":"r","commitSha":"s"}]"#),
        ]
        let index = try #require(fields.firstIndex { $0.0 == canonical })
        fields[index].0 = alias
        let json = "{" + fields.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
        // When it is decoded
        let (deployment, context) = try decode(json)
        // Then the value lands in the canonical field
        #expect(deployment.id == "p-1")
        #expect(deployment.startedDate == isoMillis("2024-01-10T10:00:00Z"))
        #expect(deployment.finishedDate == isoMillis("2024-01-10T11:00:00Z"))
        #expect(deployment.createdDate == isoMillis("2024-01-10T09:00:00Z"))
        #expect(deployment.displayTitle == "T")
        #expect(deployment.originalEnvironment == "prod-eu")
        #expect(deployment.isRework == true)
        #expect(deployment.commits.map(\.commitSha) == ["s"])
        #expect(context.warningCodes == ["legacy_alias"])
        #expect(context.warnings.first?.field == alias)
    }

    static let commitAliases: [(alias: String, canonical: String)] = [
        ("repo_url", "repoUrl"), ("commit_sha", "commitSha"), ("repo_id", "repoId"), ("ref_name", "refName"),
        ("commit_msg", "commitMsg"), ("display_title", "displayTitle"),
        ("start_time", "startedDate"), ("startTime", "startedDate"), ("startedTime", "startedDate"),
        ("end_time", "finishedDate"), ("endTime", "finishedDate"), ("endedTime", "finishedDate"),
        ("create_time", "createdDate"), ("createTime", "createdDate"), ("createdTime", "createdDate"),
        ("included_commit_shas", "includedCommitShas"),
    ]

    @Test("commit key aliases are read with warning legacy_alias", arguments: commitAliases)
    func commitAlias(_ alias: String, _ canonical: String) throws {
        var fields: [(String, String)] = [
            ("repoUrl", #""r""#), ("commitSha", #""s""#), ("repoId", #""ri""#), ("refName", #""main""#),
            ("commitMsg", #""m""#), ("displayTitle", #""t""#), ("startedDate", #""2024-01-10T10:10:00Z""#),
            ("finishedDate", #""2024-01-10T10:20:00Z""#), ("createdDate", #""2024-01-10T10:05:00Z""#),
            ("includedCommitShas", #"["a"]"#),
        ]
        let index = try #require(fields.firstIndex { $0.0 == canonical })
        fields[index].0 = alias
        let commit = "{" + fields.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
        let (deployment, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024-01-10T11:00:00Z","deploymentCommits":[\#(commit)]}"#)
        let decoded = try #require(deployment.commits.first)
        #expect([decoded.repoUrl, decoded.commitSha, decoded.repoId, decoded.refName, decoded.commitMsg, decoded.displayTitle] == ["r", "s", "ri", "main", "m", "t"])
        #expect(decoded.startedDate == isoMillis("2024-01-10T10:10:00Z"))
        #expect(decoded.finishedDate == isoMillis("2024-01-10T10:20:00Z"))
        #expect(decoded.createdDate == isoMillis("2024-01-10T10:05:00Z"))
        #expect(decoded.includedCommitShas == ["a"])
        #expect(context.warningCodes == ["legacy_alias"])
        #expect(context.warnings.first?.field == "deploymentCommits[0].\(alias)")
    }

    @Test("keys are matched case-insensitively at both levels")
    func caseInsensitiveKeys() throws {
        let (deployment, context) = try decode(
            #"{"ID":"d","STARTEDDATE":"2024-01-10T10:00:00Z","Environment":"staging","deploymentcommits":[{"REPOURL":"r","commitSHA":"s","repoID":"7"}]}"#)
        #expect(deployment.id == "d")
        #expect(deployment.environment == "STAGING")
        #expect(deployment.commits.first?.repoUrl == "r")
        #expect(deployment.commits.first?.repoId == "7")
        #expect(context.warnings.isEmpty)
    }

    static let legacyCommitBodies: [String] = [
        #"{"pipeline_id":"p","start_time":"2024-01-10T10:00:00Z","repoUrl":"r","commitSha":"s","repoId":"ri","refName":"main","commitMsg":"m"}"#,
        #"{"id":"p","startedDate":"2024-01-10T10:00:00Z","repo_url":"r","commit_sha":"s","repo_id":"ri","ref_name":"main","commit_msg":"m"}"#,
    ]

    @Test("a body without deploymentCommits but with top-level commit keys becomes one commit", arguments: legacyCommitBodies)
    func legacyTopLevelCommit(_ json: String) throws {
        let (deployment, _) = try decode(json)
        let commit = try #require(deployment.commits.first)
        #expect(deployment.commits.count == 1)
        #expect(deployment.id == "p")
        #expect([commit.repoUrl, commit.commitSha, commit.repoId, commit.refName, commit.commitMsg] == ["r", "s", "ri", "main", "m"])
        #expect(commit.startedDate == isoMillis("2024-01-10T10:00:00Z"))
    }

    @Test("top-level commit keys are ignored with a warning when deploymentCommits is present")
    func legacyCommitKeysIgnored() throws {
        let (deployment, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","repoUrl":"top","commitSha":"top","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#)
        #expect(deployment.commits.map(\.commitSha) == ["s"])
        #expect(context.warningCodes == ["legacy_commit_fields_ignored", "legacy_commit_fields_ignored"])
        #expect(context.warnings.map(\.field) == ["repoUrl", "commitSha"])
    }

    @Test("unknown keys are reported, not fatal")
    func unknownKeys() throws {
        let (_, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","url":"x","deploymentCommits":{"repoUrl":"r","commitSha":"s","branch":"main"}}"#)
        #expect(context.warningCodes == ["unknown_key", "unknown_key"])
        #expect(context.warnings.map(\.field) == ["url", "deploymentCommits[0].branch"])
    }

    @Test("zone-less dates are accepted with warning zoneless_date")
    func zonelessDates() throws {
        let (deployment, context) = try decode(
            #"{"id":"d","startedDate":"2024-01-10 10:00:00","finishedDate":"2024-01-10T11:00","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.startedDate == isoMillis("2024-01-10T10:00:00Z"))
        #expect(deployment.finishedDate == isoMillis("2024-01-10T11:00:00Z"))
        #expect(context.warningCodes == ["zoneless_date", "zoneless_date"])
    }

    @Test("epoch numbers are accepted as dates")
    func epochDates() throws {
        let (deployment, _) = try decode(
            #"{"id":"d","startedDate":1704880800,"finishedDate":1704884400000,"deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#)
        #expect(deployment.startedDate == isoMillis("2024-01-10T10:00:00Z"))
        #expect(deployment.finishedDate == isoMillis("2024-01-10T11:00:00Z"))
    }
}

/// Edge cases found in review: blank enums, `[{}]`, unparsable commit dates.
@Suite("Deployment decoder edge cases")
struct DeploymentDecoderEdgeCaseTests {
    static func decode(_ json: String) -> Result<Deployment, ValidationFailure> {
        let context = DecodingContext(receivedAt: 1_704_907_800_000)
        guard case .object(let members) = try! JSONParser.parse(json).value else { fatalError("not an object") }
        do {
            return .success(try DeploymentDecoder.decode(members, connectionId: 1, context: context))
        } catch {
            return .failure(error)
        }
    }

    @Test("a blank environment means the default PRODUCTION")
    func blankEnvironment() throws {
        let deployment = try Self.decode(
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","environment":"","deploymentCommits":[{"repoUrl":"r","commitSha":"s"}]}"#
        ).get()
        #expect(deployment.environment == "PRODUCTION")
    }

    @Test("[{}] is one commit with missing fields, not an empty list")
    func emptyCommitObject() {
        guard case .failure(let failure) = Self.decode(#"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":[{}]}"#)
        else { Issue.record("expected a failure"); return }
        #expect(failure.errors.map(\.field) == ["deploymentCommits[0].repoUrl", "deploymentCommits[0].commitSha"])
    }

    @Test("an unparsable commit finishedDate is one error, not also a date_order error")
    func unparsableCommitDate() {
        guard
            case .failure(let failure) = Self.decode(
                #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024-01-10T09:00:00Z","deploymentCommits":[{"repoUrl":"r","commitSha":"s","startedDate":"2024-01-10T10:00:00Z","finishedDate":"2024/01/10"}]}"#)
        else { Issue.record("expected a failure"); return }
        #expect(failure.errors.map(\.code) == [.dateOrder, .invalidDate])
        #expect(failure.errors.map(\.field) == ["finishedDate", "deploymentCommits[0].finishedDate"])
    }
}
