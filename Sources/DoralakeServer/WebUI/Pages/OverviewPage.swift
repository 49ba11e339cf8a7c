import DoralakeCore
import DoralakeStore

/// `/`: every project the session may see, with the tiers of its four keys.
enum OverviewPage {
    struct Row: Sendable {
        let project: ProjectRecord
        let results: [MetricResult]
    }

    static func render(rows: [Row], query: MetricsQuery, context: PageContext) -> HTML {
        let keys = MetricDisplay.fourKeys(for: query.report)
        return WebLayout.document(title: "Overview", context: context) {
            HTML.p(["class": "hint"]) {
                "The four DORA keys of each project, \(RangeForm.describe(query)), classified with the \(query.report.rawValue) report."
            }
            if rows.isEmpty {
                HTML.div(["class": "card"]) {
                    HTML.p { "No projects yet." }
                    if context.principal.isAdmin {
                        HTML.p {
                            "Start by "
                            HTML.a(["href": "/webhooks"]) { "creating a webhook" }
                            ", then "
                            HTML.a(["href": "/projects"]) { "create a project" }
                            " and attach the webhook to it."
                        }
                    }
                }
            } else {
                HTML.table(["id": "overview-table"]) {
                    HTML.caption(["class": "visually-hidden"]) { "Projects and their DORA tiers" }
                    HTML.thead {
                        HTML.tr {
                            HTML.th(["scope": "col"]) { "Project" }
                            for key in keys { HTML.th(["scope": "col"]) { MetricDisplay.name(key) } }
                        }
                    }
                    HTML.tbody {
                        for row in rows {
                            HTML.tr {
                                HTML.th(["scope": "row"]) {
                                    HTML.a(["href": WebRoute.projectPath(row.project.name)]) { row.project.name }
                                }
                                for key in keys { cell(row.results.first { $0.key == key }) }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func cell(_ result: MetricResult?) -> HTML {
        HTML.td {
            if let result, result.status == .ok, let value = result.value {
                HTML.span(["class": MetricDisplay.tierClass(result.tier)]) { result.tier?.rawValue ?? "no tier" }
                " "
                HTML.span(["class": "muted"]) {
                    "\(MetricDisplay.value(value, unit: result.unit)) \(MetricDisplay.unitText(result.unit))"
                }
            } else {
                HTML.span(["class": "muted"]) { "no data" }
            }
        }
    }
}
