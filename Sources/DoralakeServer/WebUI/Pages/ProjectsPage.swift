import DoralakeCore
import DoralakeStore

/// `/projects` (admin): the projects and the create form.
enum ProjectsPage {
    static func render(
        projects: [ProjectRecord], connections: [ConnectionRecord], formError: String?, nameValue: String,
        context: PageContext
    ) -> HTML {
        WebLayout.document(title: "Projects", context: context) {
            HTML.section(["class": "card", "aria-labelledby": "create-heading"]) {
                HTML.h2(["id": "create-heading"]) { "Create a project" }
                if let formError { WebLayout.error(formError, id: "name-error") }
                HTML.form(["method": "post", "action": "/projects"]) {
                    context.csrfField
                    HTML.div(["class": "row"]) {
                        HTML.div {
                            HTML.label(["for": "name"]) { "Name" }
                            HTML.input([
                                "type": "text", "id": "name", "name": "name", "value": nameValue, "maxlength": "88",
                                "required": "", "aria-describedby": formError == nil ? "name-hint" : "name-hint name-error",
                                "aria-invalid": formError == nil ? nil : "true",
                            ])
                        }
                    }
                    HTML.p(["class": "hint", "id": "name-hint"]) { "1–88 characters, no “/”." }
                    if !connections.isEmpty {
                        HTML.fieldset {
                            HTML.legend { "Webhooks in this project" }
                            for connection in connections {
                                HTML.div {
                                    HTML.input([
                                        "type": "checkbox", "id": "connection-\(connection.id)", "name": "connectionId",
                                        "value": String(connection.id),
                                    ])
                                    HTML.label(["for": "connection-\(connection.id)", "class": "inline"]) {
                                        " \(connection.name) (id \(connection.id))"
                                    }
                                }
                            }
                        }
                    }
                    HTML.p { HTML.button(["type": "submit"]) { "Create project" } }
                }
            }
            HTML.h2 { "Projects" }
            if projects.isEmpty {
                HTML.p { "No projects yet." }
            } else {
                HTML.table(["id": "project-table"]) {
                    HTML.caption(["class": "visually-hidden"]) { "Projects" }
                    HTML.thead {
                        HTML.tr {
                            HTML.th(["scope": "col"]) { "Name" }
                            HTML.th(["scope": "col"]) { "Webhooks" }
                            HTML.th(["scope": "col"]) { "Created" }
                        }
                    }
                    HTML.tbody {
                        for project in projects {
                            HTML.tr {
                                HTML.td { HTML.a(["href": WebRoute.projectPath(project.name)]) { project.name } }
                                HTML.td {
                                    project.connectionIds.map { id in
                                        connections.first { $0.id == id }.map { "\($0.name) (\(id))" } ?? String(id)
                                    }.joined(separator: ", ")
                                }
                                HTML.td { Timestamp.format(project.createdAt) }
                            }
                        }
                    }
                }
            }
        }
    }
}
