/// The canonical values of the enumerated fields (spec §9.5).
public enum Enumerations {
    public static let environments = ["PRODUCTION", "STAGING", "TESTING", "DEVELOPMENT"]
    public static let results = ["SUCCESS", "FAILURE", "ABORT", "MANUAL"]
    public static let commitStatuses = ["DONE", "IN_PROGRESS", "OTHER"]
    public static let issueStatuses = ["TODO", "IN_PROGRESS", "DONE"]
    public static let issueTypes = ["REQUIREMENT", "BUG", "INCIDENT", "TASK", "SUBTASK"]
    public static let pullRequestStatuses = ["OPEN", "CLOSED", "MERGED"]
    public static let deploymentKinds = ["HOTFIX", "ROLLBACK", "REGULAR"]
}
