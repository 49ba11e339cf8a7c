/// Element shorthands: `HTML.div(["class": "tile"]) { … }`.
extension HTML {
    static func a(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("a", attributes, content: content)
    }
    static func button(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("button", attributes, content: content)
    }
    static func caption(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("caption", attributes, content: content)
    }
    static func code(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("code", attributes, content: content)
    }
    static func dd(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("dd", attributes, content: content)
    }
    static func details(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("details", attributes, content: content)
    }
    static func div(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("div", attributes, content: content)
    }
    static func dl(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("dl", attributes, content: content)
    }
    static func dt(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("dt", attributes, content: content)
    }
    static func fieldset(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("fieldset", attributes, content: content)
    }
    static func footer(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("footer", attributes, content: content)
    }
    static func form(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("form", attributes, content: content)
    }
    static func h1(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("h1", attributes, content: content)
    }
    static func h2(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("h2", attributes, content: content)
    }
    static func h3(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("h3", attributes, content: content)
    }
    static func header(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("header", attributes, content: content)
    }
    static func label(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("label", attributes, content: content)
    }
    static func legend(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("legend", attributes, content: content)
    }
    static func li(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("li", attributes, content: content)
    }
    static func main(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("main", attributes, content: content)
    }
    static func nav(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("nav", attributes, content: content)
    }
    static func ol(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("ol", attributes, content: content)
    }
    static func option(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("option", attributes, content: content)
    }
    static func p(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("p", attributes, content: content)
    }
    static func pre(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("pre", attributes, content: content)
    }
    static func section(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("section", attributes, content: content)
    }
    static func select(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("select", attributes, content: content)
    }
    static func small(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("small", attributes, content: content)
    }
    static func span(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("span", attributes, content: content)
    }
    static func strong(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("strong", attributes, content: content)
    }
    static func summary(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("summary", attributes, content: content)
    }
    static func table(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("table", attributes, content: content)
    }
    static func tbody(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("tbody", attributes, content: content)
    }
    static func td(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("td", attributes, content: content)
    }
    static func th(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("th", attributes, content: content)
    }
    static func thead(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("thead", attributes, content: content)
    }
    static func tr(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("tr", attributes, content: content)
    }
    static func ul(_ attributes: KeyValuePairs<String, String?> = [:], @HTMLBuilder _ content: () -> HTML) -> HTML {
        element("ul", attributes, content: content)
    }

    /// An `input` element.
    static func input(_ attributes: KeyValuePairs<String, String?>) -> HTML { void("input", attributes) }

    /// A hidden form field.
    static func hidden(name: String, value: String) -> HTML {
        void("input", ["type": "hidden", "name": name, "value": value])
    }
}
