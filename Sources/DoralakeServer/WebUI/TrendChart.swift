import Foundation
import DoralakeCore

/// A monthly series drawn as an SVG line chart on the server, with a `<title>`/`<desc>` and a
/// visually hidden table of the same numbers for screen readers.
struct TrendChart: Sendable {
    let id: String
    let title: String
    let unit: String
    let points: [MetricResult.Point]
    /// How a value is printed (axis labels, description, table).
    let format: @Sendable (Double) -> String

    private static let width = 320.0
    private static let height = 130.0
    private static let left = 40.0
    private static let right = 22.0
    private static let top = 10.0
    private static let bottom = 22.0

    /// The chart and its table.
    var html: HTML {
        HTML.div(["class": "chart-block"]) {
            svg
            table
        }
    }

    private var values: [Double] { points.compactMap(\.value) }

    private var description: String {
        guard !values.isEmpty else { return "No monthly values in this range." }
        let listed = points.map { point in
            "\(point.month.isoLabel): \(point.value.map(format) ?? "no value")"
        }
        return "Monthly \(title.lowercased()) in \(unit): " + listed.joined(separator: "; ") + "."
    }

    private var svg: HTML {
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let maximum = max(values.max() ?? 0, 0)
        let ceiling = maximum > 0 ? maximum * 1.1 : 1
        let step = points.count > 1 ? plotWidth / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { Self.left + (points.count > 1 ? Double(index) * step : plotWidth / 2) }
        func y(_ value: Double) -> Double { Self.top + plotHeight - value / ceiling * plotHeight }
        var segments: [String] = []
        var current: [String] = []
        for (index, point) in points.enumerated() {
            if let value = point.value {
                current.append("\(Self.number(x(index))),\(Self.number(y(value)))")
            } else if !current.isEmpty {
                segments.append(current.joined(separator: " "))
                current = []
            }
        }
        if !current.isEmpty { segments.append(current.joined(separator: " ")) }
        let labelEvery = max(1, (points.count + 5) / 6)
        return HTML.element(
            "svg",
            [
                "class": "chart", "role": "img", "viewBox": "0 0 \(Int(Self.width)) \(Int(Self.height))",
                "aria-labelledby": "\(id)-title \(id)-desc", "id": id,
            ]
        ) {
            HTML.element("title", ["id": "\(id)-title"]) { "\(title) by month" }
            HTML.element("desc", ["id": "\(id)-desc"]) { description }
            for fraction in [0.0, 0.5, 1.0] {
                HTML.svgLeaf(
                    "line",
                    [
                        "class": fraction == 0 ? "axis" : "grid", "x1": Self.number(Self.left),
                        "x2": Self.number(Self.width - Self.right), "y1": Self.number(y(ceiling * fraction)),
                        "y2": Self.number(y(ceiling * fraction)),
                    ])
                HTML.element(
                    "text",
                    [
                        "x": Self.number(Self.left - 4), "y": Self.number(y(ceiling * fraction) + 3),
                        "text-anchor": "end",
                    ]
                ) { maximum > 0 || fraction == 0 ? format(ceiling * fraction) : "" }
            }
            for segment in segments {
                HTML.svgLeaf("polyline", ["class": "line", "points": segment])
            }
            for (index, point) in points.enumerated() {
                if let value = point.value {
                    HTML.svgLeaf("circle", ["class": "dot", "cx": Self.number(x(index)), "cy": Self.number(y(value)), "r": "3"])
                }
                if index % labelEvery == 0 || index == points.count - 1 {
                    HTML.element(
                        "text",
                        ["x": Self.number(x(index)), "y": Self.number(Self.height - 6), "text-anchor": "middle"]
                    ) { point.month.shortLabel }
                }
            }
        }
    }

    private var table: HTML {
        // A table cannot be narrower than its content, so the wrapper is what is hidden.
        HTML.div(["class": "visually-hidden"]) { HTML.table {
            HTML.caption { "\(title) by month (\(unit))" }
            HTML.thead { HTML.tr { HTML.th(["scope": "col"]) { "Month" }; HTML.th(["scope": "col"]) { "Value" }; HTML.th(["scope": "col"]) { "n" } } }
            HTML.tbody {
                for point in points {
                    HTML.tr {
                        HTML.th(["scope": "row"]) { point.month.isoLabel }
                        HTML.td { point.value.map(format) ?? "no value" }
                        HTML.td { point.n.map(String.init) ?? "" }
                    }
                }
            }
        } }
    }

    private static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
