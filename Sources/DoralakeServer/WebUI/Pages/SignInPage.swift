/// The sign-in form: one password field for the admin token or a project key.
enum SignInPage {
    /// - Parameters:
    ///   - csrfToken: the sign-in form's token (also in its cookie).
    ///   - next: the local path to open after signing in.
    ///   - message: why the last attempt failed, if it did.
    static func render(csrfToken: String, next: String, message: String? = nil) -> HTML {
        WebLayout.document(title: "Sign in", context: nil) {
            HTML.div(["class": "card narrow"]) {
                if let message { WebLayout.error(message, id: "token-error") }
                HTML.form(["method": "post", "action": "/signin"]) {
                    HTML.hidden(name: "csrf", value: csrfToken)
                    HTML.hidden(name: "next", value: next)
                    HTML.label(["for": "token"]) { "Admin token or project key" }
                    HTML.p(["class": "hint", "id": "token-hint"]) {
                        "The admin token is in DORALAKE_ADMIN_TOKEN, or in the admin-token file next to the database. "
                        "A project key opens only its project's pages."
                    }
                    HTML.input([
                        "type": "password", "id": "token", "name": "token", "autocomplete": "current-password",
                        "required": "", "autofocus": "",
                        "aria-describedby": message == nil ? "token-hint" : "token-hint token-error",
                        "aria-invalid": message == nil ? nil : "true",
                    ])
                    HTML.p { HTML.button(["type": "submit"]) { "Sign in" } }
                }
            }
        }
    }
}
