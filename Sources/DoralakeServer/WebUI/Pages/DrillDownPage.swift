import DoralakeCore
import DoralakeStore

/// The dashboard's drill-down lists, one page of ``pageSize`` at a time (the stored-data API's
/// cursors): deployments with their incidents and pull requests, incidents with their link, pull
/// requests with their stage times and attribution rule.
enum DrillDownPage {
    static let pageSize = 25

    struct DeploymentRow: Sendable {
        let stored: StoredDeployment
        let derived: DeploymentProjectRecord?
    }

    struct IncidentRow: Sendable {
        let stored: StoredIssue
        let link: IncidentLinkRecord?
    }

    struct PullRequestRow: Sendable {
        let stored: StoredPullRequest
        let attribution: PullRequestProjectRecord?
    }

    static func deployments(
        project: String, rows: [DeploymentRow], next: String?, query: MetricsQuery, call: WebUIController.Call
    ) -> HTML {
        frame(project: project, what: "Deployments", suffix: "/deployments", next: next, query: query, call: call, empty: rows.isEmpty) {
            HTML.table(["id": "deployments"]) {
                HTML.caption(["class": "visually-hidden"]) { "Deployments, newest first" }
                HTML.thead {
                    HTML.tr {
                        for title in ["Finished", "Deployment", "Result", "Environment", "Commits", "Linked incidents", "Attributed pull requests", "Rework"] {
                            HTML.th(["scope": "col"]) { title }
                        }
                    }
                }
                HTML.tbody {
                    for row in rows {
                        let d = row.stored.deployment
                        HTML.tr {
                            HTML.td { Timestamp.format(d.finishedDate) }
                            HTML.th(["scope": "row"]) {
                                HTML.strong { d.displayTitle.isEmpty ? d.name : d.displayTitle }
                                HTML.div(["class": "muted"]) { "id \(d.id) · webhook \(d.connectionId)" }
                            }
                            HTML.td { d.result }
                            HTML.td { d.environment }
                            HTML.td {
                                HTML.ul(["class": "plain"]) {
                                    for commit in row.stored.commits {
                                        HTML.li { HTML.code { String(commit.commit.commitSha.prefix(12)) }; " \(commit.commit.repoUrl)" }
                                    }
                                }
                            }
                            HTML.td { list(row.derived?.incidentIds ?? []) }
                            HTML.td { list(row.derived?.pullRequestIds ?? []) }
                            HTML.td {
                                if let reason = row.derived?.reworkReason {
                                    reason == "after_incident"
                                        ? "yes: deployed after incident \(row.derived?.reworkIncidentId ?? "")" : "yes: \(reason)"
                                } else {
                                    "no"
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func incidents(
        project: String, rows: [IncidentRow], next: String?, query: MetricsQuery, call: WebUIController.Call
    ) -> HTML {
        frame(project: project, what: "Incidents", suffix: "/incidents", next: next, query: query, call: call, empty: rows.isEmpty) {
            HTML.table(["id": "incidents"]) {
                HTML.caption(["class": "visually-hidden"]) { "Incidents, newest first" }
                HTML.thead {
                    HTML.tr {
                        for title in ["Created", "Incident", "Status", "Resolved", "Linked deployment", "Why"] {
                            HTML.th(["scope": "col"]) { title }
                        }
                    }
                }
                HTML.tbody {
                    for row in rows {
                        let issue = row.stored.issue
                        HTML.tr {
                            HTML.td { Timestamp.format(issue.createdDate) }
                            HTML.th(["scope": "row"]) {
                                HTML.strong { issue.title }
                                HTML.div(["class": "muted"]) { "\(issue.issueKey) · webhook \(issue.connectionId)" }
                            }
                            HTML.td { issue.status }
                            HTML.td { issue.resolutionDate.map(Timestamp.format) ?? "not yet" }
                            HTML.td {
                                if let link = row.link, let deployment = link.deploymentId {
                                    "\(deployment) (webhook \(link.deploymentConnectionId.map(String.init) ?? "?"))"
                                } else {
                                    "none"
                                }
                            }
                            HTML.td { linkReason(row.link?.reason) }
                        }
                    }
                }
            }
        }
    }

    static func pullRequests(
        project: String, rows: [PullRequestRow], next: String?, query: MetricsQuery, call: WebUIController.Call
    ) -> HTML {
        frame(project: project, what: "Pull requests", suffix: "/pull-requests", next: next, query: query, call: call, empty: rows.isEmpty) {
            HTML.table(["id": "pull-requests"]) {
                HTML.caption(["class": "visually-hidden"]) { "Pull requests merged in the range, newest first" }
                HTML.thead {
                    HTML.tr {
                        for title in ["Merged", "Pull request", "Rule", "Deployment", "Created → merged", "Merged → deployed", "Cycle time"] {
                            HTML.th(["scope": "col"]) { title }
                        }
                    }
                }
                HTML.tbody {
                    for row in rows {
                        let pr = row.stored.pullRequest
                        HTML.tr {
                            HTML.td { pr.mergedDate.map(Timestamp.format) ?? "not merged" }
                            HTML.th(["scope": "row"]) {
                                HTML.strong { pr.displayTitle }
                                HTML.div(["class": "muted"]) { "#\(pr.pullRequestKey) · \(pr.status) · webhook \(pr.connectionId)" }
                            }
                            HTML.td { ruleText(row.attribution?.rule) }
                            HTML.td { row.attribution?.deploymentId ?? "not deployed yet" }
                            HTML.td(["class": "num"]) { minutes(row.attribution?.createdToMerged) }
                            HTML.td(["class": "num"]) { minutes(row.attribution?.deployTime) }
                            HTML.td(["class": "num"]) { minutes(row.attribution?.cycleTime) }
                        }
                    }
                }
            }
        }
    }

    // MARK: Pieces

    private static func frame(
        project: String, what: String, suffix: String, next: String?, query: MetricsQuery, call: WebUIController.Call,
        empty: Bool, @HTMLBuilder table: () -> HTML
    ) -> HTML {
        let path = WebRoute.projectPath(project)
        var context = call.context
        context.section = .projects
        return WebLayout.document(title: "\(what) of project \(project)", context: context) {
            HTML.p {
                HTML.a(["href": path + RangeForm.queryString(call.query)]) { "Back to the dashboard" }
                " · \(RangeForm.describe(query))"
            }
            if empty {
                HTML.p(["class": "card"]) { "Nothing in this range." }
            } else {
                table()
            }
            HTML.nav(["class": "pager", "aria-label": "Pages"]) {
                if call.query["cursor"] != nil {
                    HTML.a(["href": path + suffix + RangeForm.queryString(call.query)]) { "First page" }
                }
                if let next {
                    HTML.a(["href": path + suffix + RangeForm.queryString(call.query, extra: [("cursor", next)]), "rel": "next"]) {
                        "Next page"
                    }
                }
            }
        }
    }

    private static func list(_ ids: [String]) -> HTML {
        if ids.isEmpty { return .text("none") }
        return HTML.ul(["class": "plain"]) {
            for id in ids { HTML.li { HTML.code { id } } }
        }
    }

    private static func minutes(_ value: Int64?) -> String {
        guard let value else { return "–" }
        return "\(value) min"
    }

    /// Why an incident is (not) linked, METRICS.md §5.1.
    static func linkReason(_ reason: String?) -> String {
        switch reason {
        case "time": return "the last production deployment that finished before the incident was created"
        case "explicit": return "the incident names this deployment (deploymentId)"
        case "explicit_unresolved": return "the incident names a deployment that has not arrived yet"
        case "no_prior_deployment": return "no production deployment finished before the incident was created"
        case "not_caused_by_deployment": return "posted with causedByDeployment: false"
        case let other?: return other
        case nil: return "not evaluated for this project"
        }
    }

    /// How a pull request was attributed, METRICS.md §5.2.
    static func ruleText(_ rule: String?) -> String {
        switch rule {
        case "merge_sha": return "merge sha deployed"
        case "included_sha": return "sha in includedCommitShas"
        case "time": return "first production deployment of the repo started after the merge"
        case let other?: return other
        case nil: return "not attributed"
        }
    }
}
