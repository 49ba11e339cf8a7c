import DoralakeCore
import DoralakeStore

/// `/projects/{name}`: range picker, the DORA tiles with trend charts, the issue metrics, links to
/// the drill-down lists, and (admin) the attached webhooks.
enum DashboardPage {
    /// - Parameter carried: the range choices as a query string, for the drill-down links.
    static func render(
        project: ProjectRecord, results: [MetricResult], query: MetricsQuery, carried: String,
        connections: [ConnectionRecord], context: PageContext
    ) -> HTML {
        let path = WebRoute.projectPath(project.name)
        return WebLayout.document(title: "Project \(project.name)", context: context) {
            RangeForm.render(action: path, query: query)
            HTML.section(["aria-labelledby": "dora-heading"]) {
                HTML.h2(["id": "dora-heading"]) { "DORA metrics, \(RangeForm.describe(query))" }
                HTML.div(["class": "tiles"]) {
                    for key in MetricDisplay.tileKeys(for: query.report) {
                        if let result = results.first(where: { $0.key == key }) { tile(result, report: query.report) }
                    }
                }
            }
            HTML.section(["aria-labelledby": "issue-heading"]) {
                HTML.h2(["id": "issue-heading"]) { "Issue metrics" }
                issueTable(results)
            }
            HTML.section(["aria-labelledby": "drill-heading"]) {
                HTML.h2(["id": "drill-heading"]) { "Details" }
                HTML.ul {
                    HTML.li {
                        HTML.a(["href": path + "/deployments" + carried]) { "Deployments" }
                        " with their linked incidents and attributed pull requests"
                    }
                    HTML.li {
                        HTML.a(["href": path + "/incidents" + carried]) { "Incidents" }
                        " with the deployment each was linked to, and why"
                    }
                    HTML.li {
                        HTML.a(["href": path + "/pull-requests" + carried]) { "Pull requests" }
                        " with their stage times and attribution rule"
                    }
                }
            }
            if context.principal.isAdmin { webhooks(project, connections: connections, context: context) }
        }
    }

    private static func tile(_ result: MetricResult, report: MetricReport) -> HTML {
        let id = "tile-\(result.key.rawValue)"
        return HTML.section(["class": "tile", "id": id, "aria-labelledby": "\(id)-name"]) {
            HTML.h3(["id": "\(id)-name"]) { MetricDisplay.name(result.key) }
            if result.status == .ok, let value = result.value {
                HTML.p(["class": "value"]) {
                    MetricDisplay.value(value, unit: result.unit)
                    " "
                    HTML.span(["class": "unit"]) { MetricDisplay.unitText(result.unit) }
                }
                if let approximation = MetricDisplay.approximation(value, unit: result.unit) {
                    HTML.p(["class": "meta"]) { approximation }
                }
                HTML.p(["class": "meta"]) {
                    HTML.span(["class": MetricDisplay.tierClass(result.tier)]) { result.tier?.rawValue ?? "no tier" }
                    if let band = MetricDisplay.band(of: result, report: report) {
                        " \(band) (\(report.rawValue) benchmark)"
                    }
                }
                if result.tier == nil, let note = result.tierNote { HTML.p(["class": "meta"]) { note } }
                if let sample = MetricDisplay.sample(of: result) { HTML.p(["class": "meta sample"]) { sample } }
            } else {
                HTML.p(["class": "value"]) { "No data" }
                HTML.p(["class": "meta"]) { MetricDisplay.reason(result.reason) }
                if let sample = MetricDisplay.sample(of: result) { HTML.p(["class": "meta sample"]) { sample } }
            }
            TrendChart(
                id: "chart-\(result.key.rawValue)", title: MetricDisplay.name(result.key), unit: result.unit,
                points: result.series, format: MetricDisplay.formatter(for: result.unit)
            ).html
        }
    }

    private static func issueTable(_ results: [MetricResult]) -> HTML {
        HTML.table(["id": "issue-metrics"]) {
            HTML.caption(["class": "visually-hidden"]) { "Issue metrics" }
            HTML.thead {
                HTML.tr {
                    HTML.th(["scope": "col"]) { "Metric" }
                    HTML.th(["scope": "col", "class": "num"]) { "Value" }
                    HTML.th(["scope": "col"]) { "Unit" }
                    HTML.th(["scope": "col"]) { "Sample" }
                    HTML.th(["scope": "col"]) { "Note" }
                }
            }
            HTML.tbody {
                for key in MetricDisplay.issueKeys {
                    if let result = results.first(where: { $0.key == key }) {
                        HTML.tr {
                            HTML.th(["scope": "row"]) { MetricDisplay.name(key) }
                            HTML.td(["class": "num"]) {
                                result.value.map { MetricDisplay.value($0, unit: result.unit) } ?? "–"
                            }
                            HTML.td { MetricDisplay.unitText(result.unit) }
                            HTML.td { MetricDisplay.sample(of: result) ?? "" }
                            HTML.td { result.status == .ok ? "" : MetricDisplay.reason(result.reason) }
                        }
                    }
                }
            }
        }
    }

    private static func webhooks(_ project: ProjectRecord, connections: [ConnectionRecord], context: PageContext) -> HTML {
        let path = WebRoute.projectPath(project.name)
        let attached = connections.filter { project.connectionIds.contains($0.id) }
        let others = connections.filter { !project.connectionIds.contains($0.id) }
        return HTML.section(["class": "card", "id": "webhooks", "aria-labelledby": "webhooks-heading"]) {
            HTML.h2(["id": "webhooks-heading"]) { "Webhooks in this project" }
            if attached.isEmpty {
                HTML.p { "No webhook is attached: the metrics have no data until one is." }
            } else {
                HTML.ul(["class": "plain"]) {
                    for connection in attached {
                        HTML.li {
                            HTML.a(["href": "/webhooks/\(connection.id)"]) { connection.name }
                            " "
                            HTML.form(["method": "post", "action": "\(path)/webhooks/\(connection.id)/detach", "class": "inline"]) {
                                context.csrfField
                                HTML.button(["type": "submit", "class": "secondary", "aria-label": "Detach \(connection.name)"]) {
                                    "Detach"
                                }
                            }
                        }
                    }
                }
            }
            if !others.isEmpty {
                HTML.form(["method": "post", "action": "\(path)/webhooks"]) {
                    context.csrfField
                    HTML.div(["class": "row"]) {
                        HTML.div {
                            HTML.label(["for": "attach-connection"]) { "Attach a webhook" }
                            HTML.select(["id": "attach-connection", "name": "connectionId"]) {
                                for connection in others {
                                    HTML.option(["value": String(connection.id)]) { "\(connection.name) (id \(connection.id))" }
                                }
                            }
                        }
                        HTML.div { HTML.button(["type": "submit"]) { "Attach" } }
                    }
                }
            }
        }
    }
}
