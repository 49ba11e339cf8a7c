/// A fragment of HTML whose text and attribute values were escaped when it was built: user text
/// can only enter markup through ``text(_:)`` or an attribute value, both escaped. Markup that is
/// not escaped comes only from string literals in this module (``trusted(_:)``).
struct HTML: Sendable, Equatable {
    /// The markup.
    private(set) var rendered: String

    /// An empty fragment.
    init() { rendered = "" }

    private init(rendered: String) { self.rendered = rendered }

    /// Text, escaped.
    static func text(_ text: String) -> HTML { HTML(rendered: escape(text)) }

    /// Constant markup written in this module (never user input).
    static func trusted(_ markup: StaticString) -> HTML { HTML(rendered: markup.description) }

    /// An element with attributes (nil values are left out) and content.
    static func element(
        _ name: StaticString, _ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder content: () -> HTML
    ) -> HTML {
        var markup = "<\(name)" + attributeText(attributes) + ">"
        markup += content().rendered
        markup += "</\(name)>"
        return HTML(rendered: markup)
    }

    /// An element without content or end tag (`input`, `meta`, `link`, `br`).
    static func void(_ name: StaticString, _ attributes: KeyValuePairs<String, String?> = [:]) -> HTML {
        HTML(rendered: "<\(name)" + attributeText(attributes) + ">")
    }

    /// A self-closed SVG element (`<line …/>`): inside `<svg>` an element without content must
    /// close itself, or the parser nests what follows inside it.
    static func svgLeaf(_ name: StaticString, _ attributes: KeyValuePairs<String, String?>) -> HTML {
        HTML(rendered: "<\(name)" + attributeText(attributes) + "/>")
    }

    /// Joins fragments.
    static func joined(_ parts: [HTML]) -> HTML {
        HTML(rendered: parts.map(\.rendered).joined())
    }

    /// Appends a fragment.
    mutating func append(_ other: HTML) { rendered += other.rendered }

    private static func attributeText(_ attributes: KeyValuePairs<String, String?>) -> String {
        var text = ""
        for (name, value) in attributes {
            guard let value else { continue }
            text += " \(name)=\"\(escape(value))\""
        }
        return text
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`: safe in text and in quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
