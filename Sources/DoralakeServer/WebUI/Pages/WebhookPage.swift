import DoralakeCore
import DoralakeStore

/// `/webhooks/{id}`: the endpoint URLs, curl commands and CI snippets; the key right after it was
/// created or rotated (that response only); rotate and delete.
enum WebhookPage {
    static func render(
        _ connection: ConnectionRecord, snippets: WebhookSnippets, projects: [String], notice: String?,
        context: PageContext
    ) -> HTML {
        WebLayout.document(
            title: "Webhook \(connection.name)", context: context,
            replaceURL: snippets.key == nil ? nil : "/webhooks/\(connection.id)"
        ) {
            if let notice { HTML.p(["class": "notice", "role": "status"]) { notice } }
            if let key = snippets.key {
                HTML.section(["class": "card", "aria-labelledby": "key-heading"]) {
                    HTML.h2(["id": "key-heading"]) { "Key" }
                    HTML.p(["class": "warning"]) {
                        "Copy this key now: it is shown only this once. Doralake keeps only its hash."
                    }
                    HTML.div(["class": "snippet"]) {
                        HTML.p(["class": "key", "id": "webhook-key"]) { key }
                        copyButton("webhook-key")
                    }
                }
            } else {
                HTML.p(["class": "hint"]) {
                    "The key was shown once when it was created. The commands below read it from "
                    HTML.code { "$DORALAKE_KEY" }
                    "; rotate the key if you no longer have it."
                }
            }
            HTML.section(["class": "card", "aria-labelledby": "facts-heading"]) {
                HTML.h2(["id": "facts-heading"]) { "Details" }
                HTML.dl(["class": "facts"]) {
                    HTML.dt { "Id" }
                    HTML.dd { String(connection.id) }
                    HTML.dt { "Name" }
                    HTML.dd { connection.name }
                    HTML.dt { "Projects" }
                    HTML.dd { projects.isEmpty ? "not attached to a project yet" : projects.joined(separator: ", ") }
                    HTML.dt { "Created" }
                    HTML.dd { Timestamp.format(connection.createdAt) }
                }
            }
            HTML.section(["class": "card", "aria-labelledby": "urls-heading"]) {
                HTML.h2(["id": "urls-heading"]) { "Endpoint URLs" }
                HTML.table {
                    HTML.caption(["class": "visually-hidden"]) { "Endpoint URLs" }
                    HTML.thead { HTML.tr { HTML.th(["scope": "col"]) { "Posts" }; HTML.th(["scope": "col"]) { "URL" } } }
                    HTML.tbody {
                        for endpoint in snippets.endpoints {
                            HTML.tr {
                                HTML.th(["scope": "row"]) { endpoint.label }
                                HTML.td { HTML.code(["class": "endpoint-url"]) { endpoint.url } }
                            }
                        }
                    }
                }
            }
            HTML.section(["class": "card", "aria-labelledby": "curl-heading"]) {
                HTML.h2(["id": "curl-heading"]) { "Try it with curl" }
                if snippets.key == nil {
                    HTML.p(["class": "hint"]) {
                        "First run "
                        HTML.code { "export DORALAKE_KEY=<the key>" }
                        " in your shell."
                    }
                }
                for snippet in snippets.commands { block(snippet) }
            }
            HTML.section(["class": "card", "aria-labelledby": "ci-heading"]) {
                HTML.h2(["id": "ci-heading"]) { "Report deployments from CI" }
                HTML.p(["class": "hint"]) { "Store the key as a secret variable named DORALAKE_KEY in your CI service." }
                for snippet in snippets.ciSnippets { block(snippet) }
            }
            HTML.section(["class": "card", "aria-labelledby": "manage-heading"]) {
                HTML.h2(["id": "manage-heading"]) { "Manage" }
                HTML.form(["method": "post", "action": "/webhooks/\(connection.id)/rotate", "class": "inline"]) {
                    context.csrfField
                    HTML.button(["type": "submit", "class": "secondary"]) { "Rotate key" }
                }
                " "
                HTML.a(["class": "button secondary", "href": "/webhooks/\(connection.id)/delete"]) { "Delete webhook…" }
                HTML.p(["class": "hint"]) { "Rotating makes a new key and stops the old one at once." }
            }
        }
    }

    private static func block(_ snippet: WebhookSnippets.Snippet) -> HTML {
        HTML.div(["class": "snippet"]) {
            HTML.h3(["id": "\(snippet.id)-title"]) { snippet.title }
            HTML.pre(["id": snippet.id, "aria-labelledby": "\(snippet.id)-title", "tabindex": "0"]) { snippet.text }
            copyButton(snippet.id)
        }
    }

    /// A copy button, shown by the script (hidden without JavaScript).
    static func copyButton(_ target: String) -> HTML {
        HTML.button(["type": "button", "class": "copy secondary", "data-copy": target, "hidden": ""]) { "Copy" }
    }
}
