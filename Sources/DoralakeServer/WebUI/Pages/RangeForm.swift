import DoralakeCore

/// The dashboard's range picker (`from`, `to`, `report`, `tz`, a GET form) and the query string
/// that carries those choices to the drill-down lists.
enum RangeForm {
    /// `from 2024-01-01 to 2024-06-30 (UTC)`.
    static func describe(_ query: MetricsQuery) -> String {
        let calendar = query.range.calendar
        return
            "from \(calendar.day(of: query.range.from).isoText) to \(calendar.day(of: query.range.to).isoText) (\(query.range.timeZoneName))"
    }

    /// The choices as sent (empty ones left out), plus `extra`, as `?a=b&…` (or "").
    static func queryString(_ parameters: QueryParameters, extra: [(String, String)] = []) -> String {
        var pairs: [(String, String)] = []
        for name in ["from", "to", "tz", "report"] {
            if let value = parameters[name] { pairs.append((name, value)) }
        }
        pairs += extra
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { "\($0.0)=\(WebUIController.queryValue($0.1))" }.joined(separator: "&")
    }

    static func render(action: String, query: MetricsQuery) -> HTML {
        let calendar = query.range.calendar
        return HTML.form(["method": "get", "action": action, "class": "card", "aria-label": "Range, report and time zone"]) {
            HTML.div(["class": "row"]) {
                HTML.div {
                    HTML.label(["for": "from"]) { "From" }
                    HTML.input(["type": "date", "id": "from", "name": "from", "value": calendar.day(of: query.range.from).isoText])
                }
                HTML.div {
                    HTML.label(["for": "to"]) { "To" }
                    HTML.input(["type": "date", "id": "to", "name": "to", "value": calendar.day(of: query.range.to).isoText])
                }
                HTML.div {
                    HTML.label(["for": "report"]) { "Report year" }
                    HTML.select(["id": "report", "name": "report"]) {
                        for report in MetricReport.allCases {
                            HTML.option(["value": report.rawValue, "selected": report == query.report ? "" : nil]) {
                                report.rawValue
                            }
                        }
                    }
                }
                HTML.div {
                    HTML.label(["for": "tz"]) { "Time zone" }
                    HTML.input([
                        "type": "text", "id": "tz", "name": "tz", "value": query.range.timeZoneName,
                        "aria-describedby": "tz-hint",
                    ])
                }
                HTML.div { HTML.button(["type": "submit"]) { "Show" } }
            }
            HTML.p(["class": "hint", "id": "tz-hint"]) {
                "Default: the last 6 months. Time zone: an IANA name such as UTC or Europe/Berlin."
            }
        }
    }
}
