import DoralakeCore
import DoralakeStore
import Hummingbird

/// `/ping` (the process answers), `/health` and `/readyz` (200 only while the database answers a
/// query within two seconds, else 503; with the derivation backlog: changes committed and not yet
/// derived, and the age of the oldest), `/version`: never authenticated.
struct HealthController: Sendable {
    let store: Store

    func handle(_ endpoint: Endpoint) async -> Response {
        switch endpoint {
        case .ping:
            return JSONResponse.make(body: .object([JSONMember("status", "ok")]))
        case .health:
            let ready = await store.isReady()
            var members = [
                JSONMember("status", ready ? "ok" : "unavailable"),
                JSONMember("database", ready ? "ok" : "unavailable"),
            ]
            if ready, let backlog = try? await store.derivationBacklog() {
                members.append(
                    JSONMember(
                        "derivation",
                        .object([
                            JSONMember("pending", .int(backlog.pending)),
                            JSONMember("oldestPendingMs", backlog.oldestAgeMillis.map { .int($0) } ?? .null),
                        ])))
            }
            return JSONResponse.make(status: ready ? .ok : .serviceUnavailable, body: .object(members))
        default:
            return JSONResponse.make(body: .object([JSONMember("version", .string(DoralakeVersion.current))]))
        }
    }
}
