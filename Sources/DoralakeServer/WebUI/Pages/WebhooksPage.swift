import DoralakeCore
import DoralakeStore

/// `/webhooks`: the connections and the create form.
enum WebhooksPage {
    static func render(
        connections: [ConnectionRecord], projects: [ProjectRecord], formError: String?, nameValue: String,
        context: PageContext
    ) -> HTML {
        WebLayout.document(title: "Webhooks", context: context) {
            HTML.section(["class": "card", "aria-labelledby": "create-heading"]) {
                HTML.h2(["id": "create-heading"]) { "Create a webhook" }
                if let formError { WebLayout.error(formError, id: "name-error") }
                HTML.form(["method": "post", "action": "/webhooks"]) {
                    context.csrfField
                    HTML.div(["class": "row"]) {
                        HTML.div {
                            HTML.label(["for": "name"]) { "Name" }
                            HTML.input([
                                "type": "text", "id": "name", "name": "name", "value": nameValue, "maxlength": "100",
                                "required": "", "aria-describedby": formError == nil ? "name-hint" : "name-hint name-error",
                                "aria-invalid": formError == nil ? nil : "true",
                            ])
                        }
                        HTML.div { HTML.button(["type": "submit"]) { "Create webhook" } }
                    }
                    HTML.p(["class": "hint", "id": "name-hint"]) {
                        "1–100 characters, no “/”. The key is shown once, right after creation."
                    }
                }
            }
            HTML.h2 { "Webhooks" }
            if connections.isEmpty {
                HTML.p { "No webhooks yet." }
            } else {
                HTML.div(["class": "filters", "hidden": ""]) {
                    HTML.label(["for": "webhook-filter"]) { "Filter webhooks" }
                    HTML.input(["type": "text", "id": "webhook-filter", "data-filter": "webhook-table"])
                }
                HTML.table(["id": "webhook-table"]) {
                    HTML.caption(["class": "visually-hidden"]) { "Webhooks" }
                    HTML.thead {
                        HTML.tr {
                            HTML.th(["scope": "col", "class": "num"]) { "Id" }
                            HTML.th(["scope": "col"]) { "Name" }
                            HTML.th(["scope": "col"]) { "Projects" }
                            HTML.th(["scope": "col"]) { "Key" }
                            HTML.th(["scope": "col"]) { "Created" }
                        }
                    }
                    HTML.tbody {
                        for connection in connections {
                            HTML.tr {
                                HTML.td(["class": "num"]) { String(connection.id) }
                                HTML.td {
                                    HTML.a(["href": "/webhooks/\(connection.id)"]) { connection.name }
                                }
                                HTML.td {
                                    projects.filter { $0.connectionIds.contains(connection.id) }.map(\.name)
                                        .joined(separator: ", ")
                                }
                                HTML.td {
                                    if let key = connection.apiKey {
                                        key.expiredAt.map { "expires \(Timestamp.format($0))" } ?? "never expires"
                                    } else {
                                        "none"
                                    }
                                }
                                HTML.td { Timestamp.format(connection.createdAt) }
                            }
                        }
                    }
                }
            }
        }
    }
}
