import DoralakeCore
import DoralakeStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// An error as the client sees it: status, one plain sentence, causes and field errors.
/// This is the one place where failures become HTTP statuses (spec §9.1).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var causes: [String]? = nil
    var fieldErrors: [FieldError]? = nil
    var headers: HTTPFields = [:]
    /// False for requests that failed authentication: their body is not recorded.
    var recordsBody = true

    static func badRequest(_ message: String, causes: [String]? = nil) -> APIError {
        APIError(status: .badRequest, message: message, causes: causes)
    }

    static func notFound(_ message: String, causes: [String]? = nil) -> APIError {
        APIError(status: .notFound, message: message, causes: causes)
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, message: message, recordsBody: false)
    }

    static func forbidden(_ message: String) -> APIError {
        APIError(status: .forbidden, message: message, recordsBody: false)
    }

    /// A request whose framing is broken (a bad chunk size, say): answered 400, and the
    /// connection is closed because the rest of its bytes cannot be read as HTTP.
    static func malformedFraming(_ detail: String) -> APIError {
        var headers = HTTPFields()
        headers[.connection] = "close"
        return APIError(status: .badRequest, message: "malformed request: \(detail)", causes: ["body: \(detail)"], headers: headers)
    }

    /// A request the client abandoned (closed or broke the connection mid-body). It is answered
    /// 400 for the record, though no one reads the answer; it is the client's doing, not an error of ours.
    static func clientGone(_ detail: String) -> APIError {
        var headers = HTTPFields()
        headers[.connection] = "close"
        return APIError(status: .badRequest, message: detail, causes: ["body: incomplete"], headers: headers)
    }

    static let routeNotFound = APIError(status: .notFound, message: "route not found")

    static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        return APIError(status: .methodNotAllowed, message: "method not allowed", headers: headers)
    }

    /// Maps any error raised while handling a request.
    static func from(_ error: any Error, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let failure as ValidationFailure:
            return APIError(
                status: .badRequest, message: failure.message, causes: failure.errors.map(\.cause),
                fieldErrors: failure.errors)
        case let parse as JSONParseError:
            return .badRequest("invalid JSON: \(parse)")
        case let rejection as CloseRejection:
            let detail =
                "resolutionDate \(Timestamp.format(rejection.resolutionDate)) is before createdDate \(Timestamp.format(rejection.createdDate))"
            return APIError(
                status: .badRequest, message: "resolutionDate: \(detail)", causes: ["resolutionDate: \(detail)"],
                fieldErrors: [
                    FieldError(field: "resolutionDate", code: .dateOrder, message: "is before createdDate", detail: detail)
                ])
        case is InvalidCursor:
            return .badRequest("cursor: not a cursor returned by this server", causes: ["cursor: invalid"])
        case is NIOTooManyBytesError:
            return APIError(status: .contentTooLarge, message: "request body too large")
        case let error as HTTPParserError:
            return RequestBody.framingError(error)
        case let store as StoreError:
            switch store {
            case .notFound(let what): return .notFound(what, causes: ["record not found"])
            case .conflict(let what): return .badRequest(what)
            case .unavailable:
                // One line per 10 s during an outage, with the count of the 503s in between.
                ThrottledLog.storageUnavailable.error(logger, "storage unavailable", metadata: ["error": "\(store)"])
                var headers = HTTPFields()
                headers[.retryAfter] = "1"
                return APIError(status: .serviceUnavailable, message: "storage unavailable; retry later", headers: headers)
            case .derivationBehind(let waited):
                logger.warning("read barrier timed out", metadata: ["waited.seconds": "\(waited)"])
                var headers = HTTPFields()
                headers[.retryAfter] = "1"
                return APIError(
                    status: .serviceUnavailable,
                    message: "derived data is still being updated with recent writes (waited \(waited) s); retry later",
                    headers: headers)
            case .configuration, .schemaTooNew:
                logger.error("storage misconfigured", metadata: ["error": "\(store)"])
                return APIError(status: .serviceUnavailable, message: "storage unavailable; retry later")
            }
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(status: .internalServerError, message: "internal server error")
        }
    }

    /// The error envelope: `{"code":0,"success":false,"message":…,"causes":…,"data":…}`, every
    /// text clipped to ``EchoLimit`` so that an answer never repeats a large request.
    func envelope(eventId: Int64?) -> JSONValue {
        var data: [JSONMember] = []
        if let eventId { data.append(JSONMember("eventId", .int(eventId))) }
        if let fieldErrors {
            data.append(
                JSONMember(
                    "errors",
                    .array(
                        fieldErrors.map { error in
                            .object([
                                JSONMember("field", .string(error.field)), JSONMember("code", .string(error.code.rawValue)),
                                JSONMember("message", .string(error.message)), JSONMember("value", error.value ?? .null),
                            ])
                        })))
        }
        return .object([
            JSONMember("code", 0), JSONMember("success", false), JSONMember("message", .string(EchoLimit.clip(message))),
            JSONMember("causes", causes.map { .array($0.prefix(EchoLimit.entries).map { .string(EchoLimit.clip($0)) }) } ?? .null),
            JSONMember("data", data.isEmpty ? .null : .object(data)),
        ])
    }

    /// The HTTP response carrying the envelope.
    func response(eventId: Int64?) -> Response {
        var headers = self.headers
        if let eventId { headers[.doralakeEventId] = String(eventId) }
        return JSONResponse.make(status: status, body: envelope(eventId: eventId), headers: headers)
    }
}
