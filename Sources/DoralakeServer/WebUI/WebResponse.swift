import HTTPTypes
import Hummingbird
import NIOCore

/// Builds the UI's responses: HTML pages with the security headers, redirects and assets.
enum WebResponse {
    /// Headers sent with every UI page: no inline script or foreign resource, no framing, no
    /// sniffing, no referrer to other sites, and no caching (pages can show a key once).
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "same-origin",
        .xFrameOptions: "DENY",
        .cacheControl: "no-store",
    ]

    /// An HTML page.
    static func page(_ document: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extra)
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: document.rendered)))
    }

    /// `303 See Other` to a path of this site (after a form post, or to the sign-in page).
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// A static asset with a content type, cached for a day.
    static func asset(_ body: String, contentType: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = contentType
        headers[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!
}
