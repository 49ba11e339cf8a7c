import DoralakeCore
import DoralakeStore

/// `/webhooks/{id}`: the endpoint URLs, curl commands and CI snippets; the key right after it was
/// created or rotated (that response only); rotate and delete.
enum WebhookPage {
    /// Events listed on the page.
    static let eventCount = 20

    static func render(
        _ connection: ConnectionRecord, snippets: WebhookSnippets, projects: [String], events: [StoredEvent] = [],
        notice: String?, context: PageContext
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
            eventsSection(events, connection: connection)
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

    /// The last requests: time, route, status, message; a rejected one's body on click and its
    /// replay button.
    private static func eventsSection(_ events: [StoredEvent], connection: ConnectionRecord) -> HTML {
        HTML.section(["class": "card", "aria-labelledby": "events-heading"]) {
            HTML.h2(["id": "events-heading"]) { "Recent requests" }
            if events.isEmpty {
                HTML.p(["class": "hint"]) { "No request has reached this webhook yet." }
            } else {
                HTML.table(["id": "webhook-events"]) {
                    HTML.caption(["class": "visually-hidden"]) { "The last \(eventCount) requests, newest first" }
                    HTML.thead {
                        HTML.tr {
                            for heading in ["Received", "Route", "Status", "Message", ""] { HTML.th(["scope": "col"]) { heading } }
                        }
                    }
                    HTML.tbody {
                        for event in events {
                            let rejected = !(200..<300).contains(event.status)
                            HTML.tr(["class": rejected ? "rejected" : "accepted", "data-event": String(event.id)]) {
                                HTML.td { Timestamp.format(event.receivedAt) }
                                HTML.td { HTML.code { event.route } }
                                HTML.td { String(event.status) }
                                HTML.td {
                                    event.message
                                    if rejected, let body = event.body {
                                        HTML.details {
                                            HTML.summary { event.bodyTruncated ? "Body (truncated)" : "Body" }
                                            HTML.pre(["class": "event-body"]) { body }
                                        }
                                    }
                                }
                                HTML.td {
                                    if rejected && event.body != nil && !event.bodyTruncated {
                                        HTML.a(["class": "button secondary", "href": "/webhooks/\(connection.id)/events/\(event.id)/replay"]) { "Replay…" }
                                    }
                                }
                            }
                        }
                    }
                }
                HTML.p(["class": "hint"]) { "Replaying runs a stored request again with today's rules: use it once the cause of a refusal is fixed." }
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
