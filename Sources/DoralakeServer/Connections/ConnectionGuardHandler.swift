import Logging
import NIOCore
import NIOHTTPTypes

/// Enforces ``ConnectionLimits`` on one connection: closes it when its first request head does
/// not arrive within the head timeout, when it stays idle between requests longer than the idle
/// timeout, or when a request body is still incomplete after the body timeout; and registers it
/// with the ``ConnectionRegistry`` that sheds connections over the limit.
///
/// Sits after HTTP decoding, so it sees request parts, not bytes: a connection that trickles
/// a request head byte by byte is still closed at the head (or idle) deadline.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Deadline: String {
        case head, idle, body
    }

    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private let logger: Logger
    private var registered = false
    /// A request head was read and its end not yet.
    private var readingRequest = false
    /// Requests read whose response has not been written to its end.
    private var responsesPending = 0
    private var servedOne = false
    /// A response said `Connection: close` (a framing error, say): close once it is written.
    private var closeAfterResponse = false
    private var timer: Scheduled<Void>?
    /// When the connection is closed unless its state changes first, and why.
    private var deadline: (at: NIODeadline, kind: Deadline)?
    /// When the pending timer fires.
    private var scheduledAt = NIODeadline.distantFuture

    init(limits: ConnectionLimits, registry: ConnectionRegistry, logger: Logger) {
        self.limits = limits
        self.registry = registry
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { activate(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            // Not a proxy: a CONNECT later on a kept-alive connection ends it after its answer.
            if request.method == .connect { closeAfterResponse = true }
            readingRequest = true
            responsesPending += 1
            arm(context: context)
        case .body:
            break
        case .end:
            readingRequest = false
            arm(context: context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            responsesPending = max(0, responsesPending - 1)
            servedOne = true
            if closeAfterResponse {
                deadline = nil
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
                return
            }
            if responsesPending == 0 && !readingRequest { arm(context: context) }
            context.write(data, promise: promise)
        }
    }

    private func activate(context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        if let victim = registry.opened(context.channel) {
            logger.notice(
                "connection limit reached; closing a connection",
                metadata: [
                    "connections.max": "\(registry.maxConnections)",
                    "closed": "\(victim === context.channel ? "the new connection" : "the longest idle connection")",
                ])
            victim.close(promise: nil)
        }
        arm(context: context)
    }

    /// Sets the deadline that applies in the connection's current state (none while a response
    /// is being produced). One timer serves all deadlines: it is scheduled only when none is
    /// pending, and when it fires it closes the connection, waits for a later deadline, or does
    /// nothing, so that a request costs no timer scheduling in steady state.
    private func arm(context: ChannelHandlerContext) {
        let kind: Deadline?
        if readingRequest {
            kind = .body
        } else if responsesPending > 0 {
            kind = nil
        } else {
            kind = servedOne ? .idle : .head
        }
        registry.setIdle(context.channel, kind == .head || kind == .idle)
        guard let kind else {
            deadline = nil
            return
        }
        let delay: Duration
        switch kind {
        case .head: delay = limits.headTimeout
        case .idle: delay = limits.idleTimeout
        case .body: delay = limits.bodyTimeout
        }
        let at = NIODeadline.now() + TimeAmount(delay)
        deadline = (at, kind)
        if let pending = timer, at < scheduledAt {
            // Only when a deadline moves earlier (settings where the body timeout is shorter than the idle one).
            pending.cancel()
            timer = nil
        }
        if timer == nil { schedule(context: context, at: at) }
    }

    private func schedule(context: ChannelHandlerContext, at: NIODeadline) {
        scheduledAt = at
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: at) { [weak self] in
            guard let self else { return }
            self.timer = nil
            guard let (due, kind) = self.deadline else { return }
            if due > .now() {
                self.schedule(context: context, at: due)
                return
            }
            self.logger.debug("closing connection: timeout", metadata: ["timeout": "\(kind.rawValue)"])
            context.close(promise: nil)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
