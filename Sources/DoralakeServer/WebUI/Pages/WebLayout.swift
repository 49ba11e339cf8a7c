/// The frame of every page: document head, skip link, site navigation with sign-out, main landmark.
enum WebLayout {
    /// A complete document.
    /// - Parameters:
    ///   - title: the page title (escaped), shown as the `<h1>` and in `<title>`.
    ///   - context: the signed-in context; nil for the sign-in and error pages outside a session.
    ///   - replaceURL: the address the browser shows for this page after it loads (a page shown
    ///     once, such as a new key, reloads as this address instead of posting again).
    static func document(
        title: String, context: PageContext?, replaceURL: String? = nil, @HTMLBuilder content: () -> HTML
    ) -> HTML {
        var document = HTML.trusted("<!DOCTYPE html>")
        document.append(
            HTML.element("html", ["lang": "en"]) {
                HTML.element("head") {
                    HTML.void("meta", ["charset": "utf-8"])
                    HTML.void("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                    HTML.element("title") { "\(title) · Doralake" }
                    HTML.void("link", ["rel": "stylesheet", "href": "/assets/app.css"])
                    HTML.element("script", ["src": "/assets/app.js", "defer": ""]) { HTML() }
                }
                HTML.element("body", ["data-replace-url": replaceURL]) {
                    HTML.a(["class": "skip", "href": "#content"]) { "Skip to content" }
                    header(context)
                    HTML.main(["id": "content", "tabindex": "-1"]) {
                        HTML.h1 { title }
                        content()
                    }
                }
            })
        return document
    }

    private static func header(_ context: PageContext?) -> HTML {
        HTML.header(["class": "site"]) {
            HTML.a(["class": "brand", "href": "/"]) { "Doralake" }
            if let context {
                HTML.nav(["aria-label": "Main"]) {
                    HTML.ul {
                        link("Overview", "/", current: context.section == .overview)
                        link("Projects", "/projects", current: context.section == .projects)
                        if context.principal.isAdmin {
                            link("Webhooks", "/webhooks", current: context.section == .webhooks)
                        }
                    }
                }
                HTML.div(["class": "who"]) {
                    HTML.span {
                        switch context.principal {
                        case .admin: "Signed in as admin"
                        case .project(let name): "Signed in to project \(name)"
                        }
                    }
                    HTML.form(["method": "post", "action": "/signout", "class": "inline"]) {
                        context.csrfField
                        HTML.button(["type": "submit"]) { "Sign out" }
                    }
                }
            }
        }
    }

    private static func link(_ text: String, _ href: String, current: Bool) -> HTML {
        HTML.li { HTML.a(["href": href, "aria-current": current ? "page" : nil]) { text } }
    }

    /// A paragraph with the error of a form, announced to screen readers.
    static func error(_ message: String, id: String? = nil) -> HTML {
        HTML.p(["class": "error", "role": "alert", "id": id]) { message }
    }
}
