#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DoralakeCore
import Foundation

/// A blocking TCP connection to `127.0.0.1`, for tests that must write exactly the bytes a hostile
/// client sends (broken chunked framing, HTTP/0.9 lines, garbage) and see exactly what comes back:
/// an answer, a close, or nothing. Every wait is bounded by a deadline. Use it off the cooperative
/// thread pool (``RawHTTPConnection/offload(_:)``), since its calls block.
final class RawHTTPConnection: @unchecked Sendable {
    private var descriptor: Int32

    /// Connects to `127.0.0.1:port`.
    init(port: Int) throws {
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw E2EError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            _ = Self.closeDescriptor(fd)
            throw E2EError("connect to 127.0.0.1:\(port) failed: errno \(code)")
        }
        #if canImport(Darwin)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        descriptor = fd
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 {
            _ = Self.closeDescriptor(descriptor)
            descriptor = -1
        }
    }

    private static func closeDescriptor(_ fd: Int32) -> Int32 {
        #if canImport(Darwin)
        return Darwin.close(fd)
        #elseif canImport(Musl)
        return Musl.close(fd)
        #else
        return Glibc.close(fd)
        #endif
    }

    /// Sends all of `bytes`. Returns false when the peer has closed or reset the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer -> Int in
                #if canImport(Darwin)
                return Darwin.send(descriptor, buffer.baseAddress! + offset, bytes.count - offset, 0)
                #elseif canImport(Musl)
                return Musl.send(descriptor, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                #else
                return Glibc.send(descriptor, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                #endif
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    enum Received {
        case bytes([UInt8])
        /// The peer closed (end of stream) or reset the connection.
        case closed
        case timedOut
    }

    /// Waits up to `timeout` for bytes.
    func receive(timeout: Duration) -> Received {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return .timedOut }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let millis = Int32(max(1, min(Double(Int32.max), (left / .milliseconds(1)).rounded(.up))))
            let ready = poll(&poller, 1, millis)
            if ready < 0 {
                if errno == EINTR { continue }
                return .closed
            }
            if ready == 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count > 0 { return .bytes(Array(buffer[0..<count])) }
            if count < 0 && errno == EINTR { continue }
            return .closed
        }
    }

    /// Reads one HTTP answer: until its body is complete (`Content-Length` or chunked), the peer
    /// closes, or `timeout` passes.
    func readAnswer(timeout: Duration) -> RawAnswer {
        let started = ContinuousClock.now
        var data: [UInt8] = []
        var closed = false
        while true {
            if let answer = RawAnswer.parse(data, atEnd: false, closed: false, elapsed: ContinuousClock.now - started) {
                return answer
            }
            let left = timeout - (ContinuousClock.now - started)
            if left <= .zero { break }
            switch receive(timeout: left) {
            case .bytes(let bytes): data += bytes
            case .closed: closed = true
            case .timedOut: break
            }
            if closed || ContinuousClock.now - started >= timeout { break }
        }
        let elapsed = ContinuousClock.now - started
        if let answer = RawAnswer.parse(data, atEnd: true, closed: closed, elapsed: elapsed) { return answer }
        return RawAnswer(status: nil, head: "", body: [], complete: false, closed: closed, elapsed: elapsed, byteCount: data.count)
    }

    /// Waits until the server closes the connection, discarding whatever it sends meanwhile.
    /// - Returns: how long it took and the status of the first answer seen (if any), or nil for the
    ///   time when the connection is still open after `timeout`.
    func waitForClose(timeout: Duration) -> (elapsed: Duration, firstStatus: Int?)? {
        let started = ContinuousClock.now
        var data: [UInt8] = []
        while true {
            let left = timeout - (ContinuousClock.now - started)
            if left <= .zero { return nil }
            switch receive(timeout: left) {
            case .bytes(let bytes): if data.count < 4096 { data += bytes }
            case .closed:
                return (ContinuousClock.now - started, RawAnswer.parse(data, atEnd: true, closed: true, elapsed: .zero)?.status)
            case .timedOut: return nil
            }
        }
    }

    /// Runs blocking socket work on a thread of its own, so that it does not hold one of the
    /// cooperative pool's few threads while it waits.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

/// One HTTP answer read off a raw connection.
struct RawAnswer: Sendable, CustomStringConvertible {
    /// nil: no complete status line arrived (silence or a close without an answer).
    var status: Int?
    var head: String
    var body: [UInt8]
    /// Whether the whole answer arrived: its body as long as its framing says (or, without
    /// `Content-Length` or chunks, up to the close). False for an answer cut off at the deadline.
    var complete: Bool
    /// Whether the peer closed the connection (only set when no answer could be parsed).
    var closed: Bool
    var elapsed: Duration
    /// Everything received, head included.
    var byteCount: Int

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue { (try? JSONParser.parse(body).value) ?? .null }

    var description: String {
        guard let status else { return closed ? "closed without an answer after \(elapsed)" : "no answer within \(elapsed)" }
        let cut = complete ? "" : " (incomplete: the body did not arrive)"
        return "\(status) after \(elapsed), \(byteCount) bytes\(cut): \(text.prefix(300))"
    }

    /// Parses `data` as a status line, headers and body. With `atEnd == false` it returns nil until
    /// the body is complete; with `atEnd == true` (the peer closed, or the deadline passed) it takes
    /// what there is.
    static func parse(_ data: [UInt8], atEnd: Bool, closed: Bool, elapsed: Duration) -> RawAnswer? {
        guard let headEnd = find([13, 10, 13, 10], in: data, from: 0) else { return nil }
        let head = String(decoding: data[0..<headEnd], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let rest = Array(data[(headEnd + 4)...])
        var body = rest
        var complete = true
        if let length = headers["content-length"].flatMap(Int.init) {
            if rest.count < length {
                if !atEnd { return nil }
                complete = false
            }
            body = Array(rest.prefix(length))
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            if let decoded = dechunk(rest) {
                body = decoded
            } else {
                if !atEnd { return nil }
                complete = false
            }
        } else if status >= 200 && status != 204 && status != 304 {
            if !atEnd { return nil }  // the body ends with the close
            complete = closed
        }
        return RawAnswer(status: status, head: head, body: body, complete: complete, closed: false, elapsed: elapsed, byteCount: data.count)
    }

    /// The body of a complete chunked encoding, or nil while it is incomplete.
    private static func dechunk(_ data: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = find([13, 10], in: data, from: index) else { return nil }
            let sizeText = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            let start = lineEnd + 2
            if size == 0 { return out }
            guard data.count >= start + size + 2 else { return nil }
            out += data[start..<(start + size)]
            index = start + size + 2
        }
    }

    private static func find(_ needle: [UInt8], in data: [UInt8], from start: Int) -> Int? {
        guard data.count >= needle.count, start <= data.count - needle.count else { return nil }
        for i in start...(data.count - needle.count) where data[i] == needle[0] {
            if Array(data[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

/// Builds one HTTP/1.1 request as bytes.
enum RawRequest {
    static func make(
        _ method: String, _ path: String, token: String? = nil, body: [UInt8]? = nil,
        headers: [(String, String)] = [], close: Bool = true
    ) -> [UInt8] {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"]
        if let token { lines.append("Authorization: Bearer \(token)") }
        if let body {
            lines.append("Content-Type: application/json")
            lines.append("Content-Length: \(body.count)")
        }
        lines += headers.map { "\($0.0): \($0.1)" }
        if close { lines.append("Connection: close") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + (body ?? [])
    }

    static func make(
        _ method: String, _ path: String, token: String? = nil, json: String, headers: [(String, String)] = []
    ) -> [UInt8] {
        make(method, path, token: token, body: Array(json.utf8), headers: headers)
    }
}
