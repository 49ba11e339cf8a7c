import NIOCore

/// Checks the first request line of a connection before the HTTP parser sees it, and answers
/// what the parser would wait on forever: an HTTP/0.9 line (`GET /ping` without a version),
/// `CONNECT` (this is not a proxy), a stream of empty lines, or bytes that cannot start a request
/// line at all (a TLS hello sent to the plain-HTTP port). Such a connection gets a 400 (405
/// for `CONNECT`) with the JSON envelope and is closed at once. A good first line passes through
/// untouched and the filter leaves the pipeline, so it costs nothing after the first line.
final class RequestLineFilter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Longest first line looked at; a longer one is left to the parser's own limits.
    static let longestLine = 16 * 1024
    /// Empty lines tolerated before the first request line (RFC 9112 §2.2 asks for at least one).
    static let emptyLinesAllowed = 8

    private var buffered: ByteBuffer?
    private var done = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else {
            context.fireChannelRead(data)
            return
        }
        var incoming = unwrapInboundIn(data)
        if buffered == nil {
            buffered = incoming
        } else {
            buffered!.writeBuffer(&incoming)
        }
        switch Self.verdict(buffered!.readableBytesView) {
        case .needMore:
            return
        case .pass:
            pass(context: context)
        case .reject(let status, let message):
            reject(context: context, status: status, message: message)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if done { context.fireChannelReadComplete() } else { context.read() }
    }

    private func pass(context: ChannelHandlerContext) {
        done = true
        if let bytes = buffered { context.fireChannelRead(wrapInboundOut(bytes)) }
        buffered = nil
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func reject(context: ChannelHandlerContext, status: String, message: String) {
        done = true
        buffered = nil
        let body = #"{"code":0,"success":false,"message":"\#(message)","causes":null,"data":null}"#
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let answer = context.channel.allocator.buffer(string: head + body)
        context.writeAndFlush(wrapOutboundOut(answer)).whenComplete { _ in context.close(promise: nil) }
    }

    enum Verdict: Equatable {
        case needMore
        case pass
        case reject(status: String, message: String)
    }

    /// What to do with the bytes received so far on a new connection.
    static func verdict(_ bytes: ByteBufferView) -> Verdict {
        var emptyLines = 0
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            // A request line starts with a method, in capitals: anything else (a TLS hello, binary
            // garbage) is refused on its first byte instead of waiting for a line end.
            if index == lineStart && byte != UInt8(ascii: "\r") && byte != UInt8(ascii: "\n")
                && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            {
                return .reject(
                    status: "400 Bad Request", message: "malformed request: the request line is not METHOD target HTTP/1.1")
            }
            if byte == UInt8(ascii: "\n") {
                var line = bytes[lineStart..<index]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                if line.isEmpty {
                    emptyLines += 1
                    if emptyLines > emptyLinesAllowed {
                        return .reject(status: "400 Bad Request", message: "malformed request: no request line")
                    }
                    lineStart = bytes.index(after: index)
                } else {
                    return check(line)
                }
            } else if index - lineStart >= longestLine {
                return .pass
            }
            index = bytes.index(after: index)
        }
        return .needMore
    }

    /// A request line must be `METHOD SP target SP HTTP/x.y`.
    private static func check(_ line: ByteBufferView.SubSequence) -> Verdict {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        if let method = parts.first, method.elementsEqual("CONNECT".utf8) {
            return .reject(status: "405 Method Not Allowed", message: "method CONNECT is not supported")
        }
        guard parts.count == 3, let version = parts.last, version.starts(with: "HTTP/".utf8) else {
            return .reject(
                status: "400 Bad Request", message: "malformed request: the request line is not METHOD target HTTP/1.1")
        }
        return .pass
    }
}
