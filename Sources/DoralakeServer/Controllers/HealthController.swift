import DoralakeCore
import DoralakeStore
import Hummingbird

/// `/ping` (the process answers), `/health` and `/readyz` (200 only while the database answers a
/// query within two seconds, else 503), `/version`: never authenticated.
struct HealthController: Sendable {
    let store: Store

    func handle(_ endpoint: Endpoint) async -> Response {
        switch endpoint {
        case .ping:
            return JSONResponse.make(body: .object([JSONMember("status", "ok")]))
        case .health:
            let ready = await store.isReady()
            return JSONResponse.make(
                status: ready ? .ok : .serviceUnavailable,
                body: .object([
                    JSONMember("status", ready ? "ok" : "unavailable"),
                    JSONMember("database", ready ? "ok" : "unavailable"),
                ]))
        default:
            return JSONResponse.make(body: .object([JSONMember("version", .string(DoralakeVersion.current))]))
        }
    }
}
