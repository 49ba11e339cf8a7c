import HTTPTypes

/// A page that says what went wrong, in the words of the API's error message.
enum ErrorPage {
    static func render(status: HTTPResponse.Status, message: String, context: PageContext?) -> HTML {
        WebLayout.document(title: "\(status.code) \(status.reasonPhrase)", context: context) {
            WebLayout.error(message)
            HTML.p {
                if status == .forbidden && context == nil {
                    HTML.a(["href": "/signin"]) { "Sign in" }
                } else {
                    HTML.a(["href": "/"]) { "Back to the overview" }
                }
            }
        }
    }
}
