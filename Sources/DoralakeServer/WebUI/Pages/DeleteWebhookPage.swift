import DoralakeCore
import DoralakeStore

/// `/webhooks/{id}/delete`: the confirmation (what will be removed) and the result (what was).
enum DeleteWebhookPage {
    static func confirm(_ connection: ConnectionRecord, projects: [String], context: PageContext) -> HTML {
        WebLayout.document(title: "Delete webhook \(connection.name)?", context: context) {
            HTML.div(["class": "card"]) {
                HTML.p { "Deleting this webhook removes, in one transaction:" }
                HTML.ul {
                    HTML.li { "the webhook and its key (requests with the key are refused from then on);" }
                    HTML.li { "every deployment, commit, issue, incident and pull request posted through it;" }
                    if projects.isEmpty {
                        HTML.li { "nothing else: it is not attached to a project." }
                    } else {
                        HTML.li { "its data from the metrics of: \(projects.joined(separator: ", "))." }
                    }
                }
                HTML.p { "The event log keeps its entries. This cannot be undone." }
                HTML.form(["method": "post", "action": "/webhooks/\(connection.id)/delete", "class": "inline"]) {
                    context.csrfField
                    HTML.button(["type": "submit", "class": "danger"]) { "Delete webhook" }
                }
                " "
                HTML.a(["class": "button secondary", "href": "/webhooks/\(connection.id)"]) { "Cancel" }
            }
        }
    }

    static func deleted(_ connection: ConnectionRecord, counts: DeletionCounts, context: PageContext) -> HTML {
        WebLayout.document(title: "Webhook \(connection.name) deleted", context: context, replaceURL: "/webhooks") {
            HTML.div(["class": "card"]) {
                HTML.p(["class": "notice", "role": "status"]) { "Deleted the webhook and its key, with:" }
                HTML.ul {
                    HTML.li { "\(counts.deployments) deployments (\(counts.deploymentCommits) deployment commits)" }
                    HTML.li { "\(counts.issues) issues" }
                    HTML.li { "\(counts.pullRequests) pull requests" }
                    HTML.li { "\(counts.commits) commits" }
                }
                HTML.a(["href": "/webhooks"]) { "Back to the webhooks" }
            }
        }
    }
}
