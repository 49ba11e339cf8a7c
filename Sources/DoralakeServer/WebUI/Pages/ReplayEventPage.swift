import DoralakeCore
import DoralakeStore

/// `/webhooks/{id}/events/{eventId}/replay`: what will be run again, and the button.
enum ReplayEventPage {
    static func confirm(_ event: StoredEvent, connection: ConnectionRecord, context: PageContext) -> HTML {
        WebLayout.document(title: "Replay event \(event.id)?", context: context) {
            HTML.div(["class": "card"]) {
                HTML.p {
                    "This runs the request received \(Timestamp.format(event.receivedAt)) on "
                    HTML.code { event.route }
                    " again, with today's rules, as a new event. It was answered \(event.status): \(event.message)"
                }
                HTML.p { "Missing dates default to the original receipt time." }
                if let body = event.body { HTML.pre(["class": "event-body"]) { body } }
                HTML.form(["method": "post", "action": "/webhooks/\(connection.id)/events/\(event.id)/replay", "class": "inline"]) {
                    context.csrfField
                    HTML.button(["type": "submit"]) { "Replay" }
                }
                " "
                HTML.a(["class": "button secondary", "href": "/webhooks/\(connection.id)"]) { "Cancel" }
            }
        }
    }
}
