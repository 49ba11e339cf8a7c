/// A signed-in UI request: who it is, and the token its forms must carry.
struct WebSession: Sendable {
    let principal: WebPrincipal
    let csrfToken: String
    let idHash: String
}
