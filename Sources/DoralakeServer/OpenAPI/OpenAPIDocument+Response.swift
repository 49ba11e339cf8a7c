import HTTPTypes
import Hummingbird
import NIOCore

extension OpenAPIDocument {
    /// The document's UTF-8 bytes, built once.
    static let body = ByteBuffer(string: text)

    /// `GET`/`HEAD /api/v1/openapi.json`: the document as `application/json; charset=utf-8`; no credentials needed.
    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
