import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import VitrineLive
@_spi(WSInternal) import WSCore

/// The server's connections: HTTP/1.1, upgraded to a WebSocket in two ways.
///
/// - A show's live room (`/api/live/shows/…`, up to ten thousand viewers a show) runs on
///   SwiftNIO alone: after the 101 the channel gets NIO's frame decoder and a
///   `LiveSocketHandler`, and this connection's task ends. An idle viewer costs no task, no
///   async sequence and no request kept around.
/// - Any other WebSocket route of the router (the studio's browser stream) runs as Hummingbird
///   runs it, with an async handler.
///
/// Which one is decided by the router itself: the route (`Router.webSocket`) admits the request
/// (session, Origin, private token) and leaves its `WebSocketUpgrade` in the context. This is
/// Hummingbird's `HTTP1WebSocketUpgradeChannel` (2.x) with the live outcome added.
struct AppServerChannel: ServerChildChannel, HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        case stream(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocketUpgrade.Stream, Logger)
        case live
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case failedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, Refusal?)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let webSocketResponder: any HTTPResponder<AppRequestContext>
    let webSocket: WebSocketServerConfiguration
    let rooms: LiveRooms
    let outboxLimit: Int

    init(
        responder: @escaping HTTPChannelHandler.Responder, webSocketResponder: any HTTPResponder<AppRequestContext>,
        webSocket: WebSocketServerConfiguration, rooms: LiveRooms, outboxLimit: Int
    ) {
        self.responder = Self.upgradeResponder(responder)
        self.webSocketResponder = webSocketResponder
        self.webSocket = webSocket
        self.rooms = rooms
        self.outboxLimit = outboxLimit
    }

    /// The server builder of `Application`.
    static func builder(
        webSocketRouter: Router<AppRequestContext>, webSocket: WebSocketServerConfiguration, rooms: LiveRooms,
        outboxLimit: Int
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            AppServerChannel(
                responder: responder, webSocketResponder: webSocketResponder, webSocket: webSocket, rooms: rooms,
                outboxLimit: outboxLimit)
        }
    }

    /// Runs the router on an upgrade request: a route that allows it answers 200 and says how.
    /// The router's answer to an upgrade it refused (404, 429 with `Retry-After`…).
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    /// Runs the router on an upgrade request: a route that allows it answers 200 and says how;
    /// what it answers otherwise is thrown, for the client.
    func shouldUpgrade(_ head: HTTPRequest, channel: any Channel, logger: Logger) async throws(Refusal)
        -> (HTTPFields, WebSocketUpgrade)
    {
        let request = Request(head: head, body: .init(buffer: .init()))
        let context = AppRequestContext(source: .init(channel: channel, logger: logger))
        let answer = try? await webSocketResponder.respond(to: request, context: context)
        let upgrade = context.upgrade.take()
        guard let answer else { throw Refusal(status: .badRequest, headers: [:], body: ByteBuffer()) }
        guard let upgrade, answer.status == .ok else {
            let collector = BodyCollector()
            try? await answer.body.write(collector)
            throw Refusal(status: answer.status, headers: answer.headers, body: collector.buffer.value)
        }
        return (answer.headers, upgrade)
    }

    /// Gathers a response body in memory (an error's small JSON).
    struct BodyCollector: ResponseBodyWriter {
        final class Box: @unchecked Sendable { var value = ByteBuffer() }
        let buffer = Box()

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            guard self.buffer.value.readableBytes + buffer.readableBytes <= 64 << 10 else { return }
            self.buffer.value.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture { try configure(channel: channel, logger: logger) }
    }

    /// The pipeline of a new connection: HTTP/1.1 with the WebSocket upgrade.
    func configure(channel: any Channel, logger: Logger) throws -> Value {
        let logger = {
            var logger = logger
            logger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
            return logger
        }()
        let upgradeAttempted = NIOLoopBoundBox(false, eventLoop: channel.eventLoop)
        let decided = NIOLockedValueBox<WebSocketUpgrade?>(nil)
        let refusal = NIOLockedValueBox<Refusal?>(nil)
        let webSocketUpgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
            maxFrameSize: webSocket.maxFrameSize,
            shouldUpgrade: { channel, head in
                upgradeAttempted.value = true
                let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                promise.completeWithTask {
                    let request = try HTTPRequest(head, secure: false, splitCookie: false)
                    let answer: (HTTPFields, WebSocketUpgrade)
                    do {
                        answer = try await shouldUpgrade(request, channel: channel, logger: logger)
                    } catch {
                        refusal.withLockedValue { $0 = error as? Refusal }
                        return nil
                    }
                    let (headers, upgrade) = answer
                    decided.withLockedValue { $0 = upgrade }
                    return HTTPHeaders(headers)
                }
                return promise.futureResult
            },
            upgradePipelineHandler: { channel, _ in
                // NIO has added its frame encoder and decoder: Hummingbird's handler reads after them.
                channel.eventLoop.makeCompletedFuture { () throws -> UpgradeResult in
                    guard case .stream(let handler)? = decided.withLockedValue({ $0 }) else {
                        throw NIOWebSocketUpgradeError.unsupportedWebSocketTarget
                    }
                    let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    return .stream(asyncChannel, handler, logger)
                }
            })
        let upgrader = LiveOrStreamUpgrader(
            webSocket: webSocketUpgrader,
            live: { channel in
                guard case .live(let admission)? = decided.withLockedValue({ $0 }) else { return false }
                try LiveSocketHandler.install(on: channel, admission: admission, rooms: rooms, outboxLimit: outboxLimit)
                return true
            })
        let serverUpgrade = NIOTypedHTTPServerUpgradeConfiguration(
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture { () throws -> UpgradeResult in
                    try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
                    let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true))
                    return upgradeAttempted.value
                        ? .failedUpgrade(asyncChannel, refusal.withLockedValue { $0 })
                        : .notUpgraded(asyncChannel)
                }
            })
        var configuration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
            upgradeConfiguration: serverUpgrade)
        configuration.enablePipelining = false  // HTTP is pipelined by NIOAsyncChannel
        // Until the request is read, a malformed one (headers too large…) has nobody else to answer
        // it: NIO answers 400 and closes. Afterwards Hummingbird handles errors.
        configuration.enableErrorHandling = true
        configuration.enableResponseHeaderValidation = false  // Swift HTTP Types validate them
        let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
            configuration: configuration)
        return Value(upgradeResult: result, channel: channel)
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .notUpgraded(let http1):
                await handleHTTP(asyncChannel: http1, logger: logger)
            case .failedUpgrade(let http1, let error):
                await Self.refuseUpgrade(http1, error: error)
            case .live:
                // The channel's handlers serve the viewer from here on.
                break
            case .stream(let asyncChannel, let stream, let logger):
                do {
                    _ = try await WebSocketHandler.handle(
                        type: .server,
                        configuration: .init(
                            extensions: [], autoPing: webSocket.autoPing, closeTimeout: webSocket.closeTimeout,
                            validateUTF8: webSocket.validateUTF8, maxFrameSize: webSocket.maxFrameSize),
                        asyncChannel: asyncChannel, context: StreamSocketContext(logger: logger),
                        handler: { inbound, outbound, _ in try await stream(inbound, outbound) })
                } catch {
                    logger.debug("WebSocket handler error", metadata: ["error.type": "\(error)"])
                }
            }
        } catch let error as ChannelError where error == .inputClosed {
            logger.trace("Upgrade failed as input was closed")
        } catch {
            logger.debug("Error handling upgrade result", metadata: ["error.type": "\(error)"])
        }
    }

    /// An upgrade that was refused: the router's answer (or a bare 400 when the handshake itself
    /// was wrong), and the connection ends.
    static func refuseUpgrade(
        _ asyncChannel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, error: Refusal?
    ) async {
        var headers = error?.headers ?? [:]
        let body = error?.body ?? ByteBuffer()
        headers[.connection] = "close"
        headers[.contentLength] = String(body.readableBytes)
        headers[.transferEncoding] = nil
        try? await asyncChannel.executeThenClose { _, outbound in
            try await outbound.write(
                contentsOf: [
                    .head(HTTPResponse(status: error?.status ?? .badRequest, headerFields: headers)),
                    .body(body), .end(nil),
                ])
        }
    }

    /// An upgrade asked on a connection that already served a request cannot be done there:
    /// the client is sent to the same address on a new connection (as Hummingbird does).
    static func upgradeResponder(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        struct RedirectCloseError: Error {}
        return { request, responseWriter, channel in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                return try await responder(request, responseWriter, channel)
            }
            let location = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            try await responseWriter.writeResponse(
                HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: location]))
            throw RedirectCloseError()
        }
    }
}

/// The WebSocket upgrade: NIO's handshake; then a live room's pipeline (`LiveSocketHandler`,
/// frames written whole, no frame encoder) or NIO's own for any other socket.
struct LiveOrStreamUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = AppServerChannel.UpgradeResult
    let webSocket: NIOTypedWebSocketServerUpgrader<UpgradeResult>
    /// Installs the live pipeline when the route asked for it.
    let live: @Sendable (any Channel) throws -> Bool

    var supportedProtocol: String { webSocket.supportedProtocol }
    var requiredUpgradeHeaders: [String] { webSocket.requiredUpgradeHeaders }

    func buildUpgradeResponse(
        channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    )
        -> EventLoopFuture<HTTPHeaders>
    {
        webSocket.buildUpgradeResponse(
            channel: channel, upgradeRequest: upgradeRequest, initialResponseHeaders: initialResponseHeaders)
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> {
        do {
            if try live(channel) { return channel.eventLoop.makeSucceededFuture(.live) }
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return webSocket.upgrade(channel: channel, upgradeRequest: upgradeRequest)
    }
}
