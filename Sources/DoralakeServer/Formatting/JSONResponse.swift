import DoralakeCore
import HTTPTypes
import Hummingbird
import NIOCore

extension HTTPField.Name {
    /// `X-Doralake-Event-Id`: the event-log id of an ingest request.
    static let doralakeEventId = HTTPField.Name("X-Doralake-Event-Id")!
}

/// Builds JSON responses.
enum JSONResponse {
    /// A response with `body` as compact JSON and `Content-Type: application/json; charset=utf-8`.
    static func make(status: HTTPResponse.Status = .ok, body: JSONValue, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let bytes = body.serializedBytes()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The success envelope `{"code":0,"success":true,"message":"success","causes":null,"data":…}`.
    static func envelope(_ data: JSONValue) -> JSONValue {
        .object([
            JSONMember("code", 0), JSONMember("success", true), JSONMember("message", "success"),
            JSONMember("causes", .null), JSONMember("data", data),
        ])
    }

    /// A success envelope response.
    static func success(_ data: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        make(status: status, body: envelope(data), headers: headers)
    }
}
