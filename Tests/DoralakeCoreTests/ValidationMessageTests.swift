import DoralakeCore
import Testing

/// Spec §9.1: error messages name the fields; causes read "<field>: <problem>".
struct ValidationMessageTests {
    func deploymentFailure(_ json: String) throws -> ValidationFailure {
        let body = try members(json)
        return try #require(throws: ValidationFailure.self) {
            try DeploymentDecoder.decode(body, connectionId: 1, context: Fixture.context())
        }
    }

    @Test("the three-error example of §9.1 gives the documented message, causes and errors")
    func documentedThreeErrors() throws {
        // Given the documented body with a bad date, a bad environment and a commit without sha
        let failure = try deploymentFailure(
            #"{"id":"d-1","startedDate":"2024/01/10","environment":"prod","deploymentCommits":[{"repoUrl":"r"}]}"#)
        // Then the message names the three fields in order
        #expect(failure.message == "3 invalid fields: startedDate, environment, deploymentCommits[0].commitSha")
        // And the causes are the documented texts
        #expect(
            failure.errors.map(\.cause) == [
                #"startedDate: cannot parse "2024/01/10" as a date (expected RFC 3339, e.g. 2024-01-10T17:30:00Z)"#,
                #"environment: "prod" is not one of PRODUCTION, STAGING, TESTING, DEVELOPMENT"#,
                "deploymentCommits[0].commitSha: is required",
            ])
        // And each error has the documented code, short message and value
        #expect(failure.errors.map(\.code.rawValue) == ["invalid_date", "invalid_enum", "required"])
        #expect(
            failure.errors.map(\.message) == [
                "cannot parse as a date", "not one of PRODUCTION, STAGING, TESTING, DEVELOPMENT", "is required",
            ])
        #expect(failure.errors.map(\.value) == [.string("2024/01/10"), .string("prod"), nil])
    }

    @Test("the batch example's deployment gives two fields")
    func batchExample() throws {
        let failure = try deploymentFailure(#"{"id":"d-77","startedDate":"2024/05/03"}"#)
        #expect(failure.message == "2 invalid fields: startedDate, deploymentCommits")
        #expect(failure.errors.map(\.cause).last == "deploymentCommits: must not be empty")
    }

    static let singleErrors: [(json: String, message: String)] = [
        (#"{"id":"d","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#, "startedDate is required"),
        (#"{"id":"d","startedDate":"2024-01-10T10:00:00Z"}"#, "deploymentCommits must not be empty"),
        (
            #"{"id":"d","startedDate":"2024/01/10","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#,
            #"startedDate: cannot parse "2024/01/10" as a date (expected RFC 3339, e.g. 2024-01-10T17:30:00Z)"#
        ),
        (
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","environment":"prod-eu","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#,
            #"environment: "prod-eu" is not one of PRODUCTION, STAGING, TESTING, DEVELOPMENT"#
        ),
        (
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","deploymentCommits":{"repoUrl":"r","commitSha":["s"]}}"#,
            "deploymentCommits[0].commitSha must be a string, not array"
        ),
        (
            #"{"id":"d","startedDate":"2024-01-10T10:00:00Z","isRework":"maybe","deploymentCommits":{"repoUrl":"r","commitSha":"s"}}"#,
            #"isRework: "maybe" is not a boolean (use true or false)"#
        ),
    ]

    @Test("a single error is one sentence naming the field", arguments: singleErrors)
    func singleErrorSentence(_ json: String, _ message: String) throws {
        #expect(try deploymentFailure(json).message == message)
    }

    @Test("a field error without detail uses its message as the cause")
    func causeWithoutDetail() {
        let error = FieldError(field: "deploymentCommits", code: .emptyList, message: "must not be empty")
        #expect(error.detail == "must not be empty")
        #expect(error.cause == "deploymentCommits: must not be empty")
        #expect(error.sentence == "deploymentCommits must not be empty")
    }

    @Test("error codes have the documented wire names")
    func codeNames() {
        let codes: [FieldErrorCode] = [
            .required, .invalidType, .invalidDate, .invalidEnum, .tooLong, .outOfRange, .dateOrder, .emptyList,
            .tooManyItems, .conflict, .invalidCharacter,
        ]
        #expect(
            codes.map(\.rawValue) == [
                "required", "invalid_type", "invalid_date", "invalid_enum", "too_long", "out_of_range", "date_order",
                "empty_list", "too_many_items", "conflict", "invalid_character",
            ])
    }

    @Test("errors and warnings of one body are collected, not thrown one by one")
    func contextCollects() {
        let context = Fixture.context()
        #expect(context.isValid)
        context.warn("unknown_key", "url", "unknown key \"url\" ignored")
        context.fail(FieldError(field: "a", code: .required, message: "is required"))
        context.fail(FieldError(field: "b", code: .required, message: "is required"))
        #expect(!context.isValid)
        let failure = #expect(throws: ValidationFailure.self) { try context.throwIfInvalid() }
        #expect(failure?.errors.map(\.field) == ["a", "b"])
        #expect(failure?.message == "2 invalid fields: a, b")
        #expect(context.warningCodes == ["unknown_key"])
    }

    @Test("a valid context does not throw")
    func validContextDoesNotThrow() {
        let context = Fixture.context()
        context.warn("zoneless_date", "startedDate", "w")
        #expect(throws: Never.self) { try context.throwIfInvalid() }
    }
}
