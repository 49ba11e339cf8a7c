import DoralakeCore
import DoralakeStore

/// The endpoint URLs and copy-paste commands of a webhook, built from the address the browser
/// used (origin + `/api` + the endpoint paths the connections API returns, spec §3.1).
struct WebhookSnippets: Sendable {
    /// One titled command or configuration snippet.
    struct Snippet: Sendable {
        let id: String
        let title: String
        let text: String
    }

    let origin: String
    let connection: ConnectionRecord
    /// The plaintext key right after create or rotate; otherwise the commands read `$DORALAKE_KEY`.
    let key: String?
    /// When the page was made: the sample events are dated just before it, so they fall in the
    /// dashboard's default range.
    let now: EpochMilliseconds

    /// `(label, URL)` of each endpoint, from the same JSON the connections API answers.
    var endpoints: [(label: String, url: String)] {
        let json = RecordJSON.connection(connection)
        let names: [(String, String)] = [
            ("Deployments", "postPipelineDeployTaskEndpoint"), ("Issues and incidents", "postIssuesEndpoint"),
            ("Close an issue", "closeIssuesEndpoint"), ("Close an issue (key in the body)", "closeIssueByBodyEndpoint"),
            ("Pull requests", "postPullRequestsEndpoint"), ("Commits", "postCommitsEndpoint"),
        ]
        return names.compactMap { label, key in
            guard case .string(let path)? = json[key] else { return nil }
            return (label, origin + "/api" + path)
        } + [("Batch (NDJSON or a JSON array of items)", url("batch"))]
    }

    private func url(_ tail: String) -> String {
        "\(origin)/api/rest/plugins/webhook/connections/\(connection.id)/\(tail)"
    }

    private var authorization: String {
        if let key { return "-H 'Authorization: Bearer \(key)'" }
        return "-H \"Authorization: Bearer $DORALAKE_KEY\""
    }

    private func time(minutesAgo: Int64) -> String {
        Timestamp.format((now / 60_000 - minutesAgo) * 60_000)
    }

    /// A stable sample commit sha and deployment id for this page.
    private var stamp: String { String(now / 60_000, radix: 16) }

    private var sha: String { "c0ffee\(stamp)" }

    private func curl(_ tail: String, body: String?) -> String {
        var lines = ["curl -sS -X POST '\(url(tail))' \\", "  \(authorization) \\"]
        if let body {
            lines.append("  -H 'Content-Type: application/json' \\")
            lines.append("  -d '\(body)'")
        } else {
            lines[lines.count - 1].removeLast(2)
        }
        return lines.joined(separator: "\n")
    }

    /// curl commands for a deployment, an incident, closing it, and a pull request.
    var commands: [Snippet] {
        let repo = "https://github.com/your-org/your-repo"
        return [
            Snippet(
                id: "curl-deployment", title: "Post a deployment",
                text: curl(
                    "deployments",
                    body:
                        #"{"id":"deploy-\#(stamp)","result":"SUCCESS","environment":"PRODUCTION","startedDate":"\#(time(minutesAgo: 10))","finishedDate":"\#(time(minutesAgo: 5))","deploymentCommits":[{"repoUrl":"\#(repo)","commitSha":"\#(sha)"}]}"#
                )),
            Snippet(
                id: "curl-incident", title: "Post an incident (an issue of type INCIDENT)",
                text: curl(
                    "issues",
                    body:
                        #"{"issueKey":"INC-\#(stamp)","title":"Checkout errors after the deployment","type":"INCIDENT","status":"TODO","createdDate":"\#(time(minutesAgo: 4))"}"#
                )),
            Snippet(
                id: "curl-close", title: "Close the incident", text: curl("issue/INC-\(stamp)/close", body: nil)),
            Snippet(
                id: "curl-pull-request", title: "Post a pull request",
                text: curl(
                    "pull_requests",
                    body:
                        #"{"id":"pr-\#(stamp)","pullRequestKey":1,"displayTitle":"First change","status":"MERGED","url":"\#(repo)/pull/1","createdDate":"\#(time(minutesAgo: 180))","mergedDate":"\#(time(minutesAgo: 60))","mergeCommitSha":"\#(sha)"}"#
                )),
        ]
    }

    /// Deployment reporting for three CI services (the key kept as the secret `DORALAKE_KEY`).
    var ciSnippets: [Snippet] {
        let target = url("deployments")
        return [
            Snippet(
                id: "ci-github", title: "GitHub Actions (a step after your deploy step)",
                text: """
                    - name: Report the deployment to Doralake
                      env:
                        DORALAKE_KEY: ${{ secrets.DORALAKE_KEY }}
                      run: |
                        curl -sS -X POST '\(target)' \\
                          -H "Authorization: Bearer $DORALAKE_KEY" -H 'Content-Type: application/json' \\
                          -d "{\\"id\\":\\"$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT\\",\\"startedDate\\":\\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\\",\\"result\\":\\"SUCCESS\\",\\"deploymentCommits\\":[{\\"repoUrl\\":\\"$GITHUB_SERVER_URL/$GITHUB_REPOSITORY\\",\\"commitSha\\":\\"$GITHUB_SHA\\"}]}"
                    """),
            Snippet(
                id: "ci-gitlab", title: "GitLab CI (a job after your deploy job)",
                text: """
                    report-deployment:
                      stage: .post
                      script:
                        - >
                          curl -sS -X POST '\(target)'
                          -H "Authorization: Bearer $DORALAKE_KEY" -H 'Content-Type: application/json'
                          -d "{\\"id\\":\\"$CI_PIPELINE_ID\\",\\"startedDate\\":\\"$CI_PIPELINE_CREATED_AT\\",\\"result\\":\\"SUCCESS\\",\\"deploymentCommits\\":[{\\"repoUrl\\":\\"$CI_PROJECT_URL\\",\\"commitSha\\":\\"$CI_COMMIT_SHA\\"}]}"
                      rules:
                        - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
                    """),
            Snippet(
                id: "ci-circleci", title: "CircleCI (a step after your deploy step)",
                text: """
                    - run:
                        name: Report the deployment to Doralake
                        command: |
                          curl -sS -X POST '\(target)' \\
                            -H "Authorization: Bearer $DORALAKE_KEY" -H 'Content-Type: application/json' \\
                            -d "{\\"id\\":\\"$CIRCLE_WORKFLOW_ID\\",\\"startedDate\\":\\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\\",\\"result\\":\\"SUCCESS\\",\\"deploymentCommits\\":[{\\"repoUrl\\":\\"https://github.com/$CIRCLE_PROJECT_USERNAME/$CIRCLE_PROJECT_REPONAME\\",\\"commitSha\\":\\"$CIRCLE_SHA1\\"}]}"
                    """),
        ]
    }
}
