/// Who is signed in to the web UI: the admin (everything) or a project key (its project's pages).
enum WebPrincipal: Sendable, Equatable {
    case admin
    case project(String)

    var isAdmin: Bool { self == .admin }

    /// Whether the principal may see project `name`'s pages.
    func canSee(project name: String) -> Bool {
        switch self {
        case .admin: return true
        case .project(let own): return own == name
        }
    }
}
