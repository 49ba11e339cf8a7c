/// What every signed-in page needs: who is signed in, the form token, and the section to mark
/// as current in the navigation.
struct PageContext: Sendable {
    enum Section: Sendable { case overview, projects, webhooks, none }

    let session: WebSession
    var section: Section = .none

    var principal: WebPrincipal { session.principal }

    /// The hidden CSRF field every form carries.
    var csrfField: HTML { HTML.hidden(name: "csrf", value: session.csrfToken) }
}
