import DoralakeCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Reading and parsing request bodies (spec §9.2).
enum RequestBody {
    /// Reads the body, at most `limit` bytes (413 above).
    static func bytes(of request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError(status: .contentTooLarge, message: "request body too large (limit \(limit) bytes)")
        }
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") {
            throw APIError.badRequest("send the body as JSON (multipart/form-data is not accepted)")
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(status: .contentTooLarge, message: "request body too large (limit \(limit) bytes)")
        } catch let error as HTTPParserError {
            throw framingError(error)
        } catch let error as ChannelError {
            throw APIError.clientGone("the connection failed while the request body was read (\(error))")
        }
    }

    /// The client error for a body the HTTP parser rejected: the connection cannot be reused.
    static func framingError(_ error: HTTPParserError) -> APIError {
        switch error {
        case .invalidEOFState, .closedConnection:
            return .clientGone("the connection closed before the request body was complete")
        case .invalidChunkSize:
            return .malformedFraming("a chunk size is not a valid hexadecimal number")
        case .invalidContentLength, .unexpectedContentLength:
            return .malformedFraming("invalid Content-Length")
        default:
            return .malformedFraming("the request body is not valid HTTP/1.1 framing (\(error))")
        }
    }

    /// Parses a body as one JSON object.
    /// - Returns: the members, or nil for "no body" (empty, blank or `null`).
    /// - Throws: 400 for invalid JSON or a value that is not an object.
    static func object(from bytes: [UInt8], context: DecodingContext) throws -> [JSONMember]? {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return nil }
        let document = try JSONParser.parse(bytes)
        if document.hasTrailingData { context.warn("trailing_data", "", "data after the first JSON value was ignored") }
        switch document.value {
        case .null: return nil
        case .object(let members): return members
        default: throw APIError.badRequest("the body must be a JSON object, not \(document.value.typeName)")
        }
    }

    /// Parses a body that must be a JSON object (every route but the path close).
    static func requiredObject(from bytes: [UInt8], context: DecodingContext) throws -> [JSONMember] {
        guard let members = try object(from: bytes, context: context) else {
            throw APIError.badRequest("the request body is empty; send a JSON object")
        }
        return members
    }
}
