import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import VitrineDomain

/// Who opens a show's room, as the HTTP side admitted them (public show, private token, or a
/// team member from the server's own pages).
public struct LiveAdmission: Sendable {
    public var brandID: UUID
    public var showID: UUID
    public var viewerID: String
    public var ip: String?
    public var staff: StaffAccess?
    public var name: String?

    public init(brandID: UUID, showID: UUID, viewerID: String, ip: String?, staff: StaffAccess?, name: String?) {
        self.brandID = brandID
        self.showID = showID
        self.viewerID = viewerID
        self.ip = ip
        self.staff = staff
        self.name = name
    }
}

/// A viewer's WebSocket on SwiftNIO alone, once the HTTP upgrade is done: frames are decoded by
/// NIO's `WebSocketFrameDecoder` and handled here on the channel's event loop; the room's frames
/// are written by the `Outbox` from this handler. An idle viewer costs a channel, this handler
/// and its place in the room: no Swift task, no async sequence (a task runs only while the
/// viewer's messages are on their way to the room, one at a time, in order).
///
/// The protocol's rules: text frames of at most `LiveProtocol.maxClientFrame` bytes (1009
/// beyond), valid UTF-8 (1007), no binary (1003), at most 20 messages a second after a burst of
/// 40 for viewers (1008), masked frames and no reserved bits (1002). A ping every `pingEvery`;
/// a viewer that has not answered the previous one is gone and its socket is closed.
public final class LiveSocketHandler: ChannelInboundHandler {
    public typealias InboundIn = WebSocketFrame

    let admission: LiveAdmission
    let rooms: LiveRooms
    let outboxLimit: Int
    let pingEvery: TimeAmount
    var session: LiveSession?
    var flood = TokenBucket(perSecond: 20, burst: 40, now: Date().timeIntervalSince1970)
    /// The first frames of a message sent in several.
    var fragments: ByteBuffer?
    var awaitingPong = false
    var pinger: RepeatedTask?
    /// Reading stopped while the room works through this connection's messages.
    var paused = false
    var context: ChannelHandlerContext?

    /// Adds the frame decoder and this handler to a channel that just answered 101 (on its event
    /// loop).
    public static func install(
        on channel: any Channel, admission: LiveAdmission, rooms: LiveRooms, outboxLimit: Int,
        pingEvery: TimeAmount = .seconds(20)
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: LiveProtocol.maxClientFrame)))
        try pipeline.addHandler(
            LiveSocketHandler(admission: admission, rooms: rooms, outboxLimit: outboxLimit, pingEvery: pingEvery))
    }

    init(admission: LiveAdmission, rooms: LiveRooms, outboxLimit: Int, pingEvery: TimeAmount) {
        self.admission = admission
        self.rooms = rooms
        self.outboxLimit = outboxLimit
        self.pingEvery = pingEvery
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let outbox = Outbox(channel: context.channel, writer: context, limit: outboxLimit)
        let connection = LiveConnection(
            viewerID: admission.viewerID, ip: admission.ip, staff: admission.staff, outbox: outbox)
        let session = LiveSession(connection: connection, admission: admission, rooms: rooms)
        self.session = session
        session.start()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        pinger = context.eventLoop.scheduleRepeatedTask(initialDelay: pingEvery, delay: pingEvery) { _ in
            handler.value.ping()
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        end()
        context.fireChannelInactive()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event as? ChannelEvent == .inputClosed {
            // The viewer ended its side without a close frame: the connection is over.
            context.close(promise: nil)
        } else if event is ChannelShouldQuiesceEvent {
            // The server shuts down gracefully: viewers reconnect (to another node, or to this
            // one once it is back); the server waits for their answer, 10 s at most.
            session?.connection.outbox.closeOnLoop(
                code: LiveProtocol.closeResync, reason: "server restarting: reconnect")
        }
        context.fireUserInboundEventTriggered(event)
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        end()
    }

    func end() {
        context = nil
        pinger?.cancel()
        pinger = nil
        session?.end()
        session = nil
    }

    func ping() {
        guard let outbox = session?.connection.outbox else { return }
        if awaitingPong {
            // No answer since the last ping: the viewer is gone (a dead network never says so).
            outbox.channel.close(promise: nil)
            return
        }
        awaitingPong = true
        outbox.sendOnLoop(Outbox.frame(opcode: 0x9, payload: ByteBuffer()))
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let outbox = session?.connection.outbox else { return }
        guard !outbox.isClosing || frame.opcode == .connectionClose else { return }
        guard frame.maskKey != nil, frame.rsv1 == false, frame.rsv2 == false, frame.rsv3 == false else {
            return fail(outbox, .protocolError, "frames from a client are masked and use no extension")
        }
        switch frame.opcode {
        case .text:
            guard fragments == nil else {
                return fail(outbox, .protocolError, "a new message began before the last ended")
            }
            if frame.fin {
                message(frame.unmaskedData, outbox: outbox)
            } else {
                fragments = frame.unmaskedData
            }
        case .continuation:
            guard var buffer = fragments else {
                return fail(outbox, .protocolError, "a continuation frame without a message")
            }
            var more = frame.unmaskedData
            guard buffer.readableBytes + more.readableBytes <= LiveProtocol.maxClientFrame else {
                return fail(outbox, .messageTooLarge, "a message has at most \(LiveProtocol.maxClientFrame) bytes")
            }
            buffer.writeBuffer(&more)
            fragments = frame.fin ? nil : buffer
            if frame.fin { message(buffer, outbox: outbox) }
        case .binary:
            fail(outbox, .unacceptableData, "binary frames are not part of the protocol")
        case .ping:
            outbox.sendOnLoop(Outbox.frame(opcode: 0xA, payload: frame.unmaskedData))
        case .pong:
            awaitingPong = false
        case .connectionClose:
            // The viewer leaves (its close is answered), or answers the close the server sent.
            var data = frame.unmaskedData
            guard data.readableBytes != 1 else { return fail(outbox, .protocolError, "a close code has two bytes") }
            let code = data.readInteger(as: UInt16.self)
            if let code, !Self.isValidCloseCode(code) {
                return fail(outbox, .protocolError, "close code \(code) cannot be sent")
            }
            guard String(validating: data.readableBytesView, as: UTF8.self) != nil else {
                return fail(outbox, .dataInconsistentWithMessage, "a close reason is UTF-8 text")
            }
            outbox.answerClose(code: code ?? 1005)
        default:
            fail(outbox, .protocolError, "unknown frame type")
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let outbox = session?.connection.outbox else { return context.close(promise: nil) }
        // After a broken frame the decoder reads no more: what follows (the rest of that frame,
        // the viewer's close) is dropped while the close frame is on its way and the 10 s cut ends
        // the connection; closing now would reset it before the viewer reads why.
        if outbox.isClosing, error is ByteToMessageDecoderError { return }
        switch error {
        case NIOWebSocketError.invalidFrameLength:
            fail(outbox, .messageTooLarge, "a message has at most \(LiveProtocol.maxClientFrame) bytes")
        case is NIOWebSocketError:
            fail(outbox, .protocolError, "not a valid WebSocket frame")
        default:
            context.close(promise: nil)
        }
    }

    func message(_ bytes: ByteBuffer, outbox: Outbox) {
        // Beyond the rate limits (which answer with an error), a viewer that keeps sending is closed.
        guard admission.staff != nil || flood.take(now: Date().timeIntervalSince1970) == nil else {
            return fail(outbox, .policyViolation, "too many messages")
        }
        guard String(validating: bytes.readableBytesView, as: UTF8.self) != nil else {
            return fail(outbox, .dataInconsistentWithMessage, "text is not valid UTF-8")
        }
        guard let request = try? JSONDecoder().decode(LiveRequest.self, from: Data(bytes.readableBytesView)) else {
            // After the answers to the messages before it.
            session?.reply(
                Self.errorFrame(
                    code: "bad_json", message: "Each message is a JSON object with a \"type\" (docs/realtime.md)."))
            return
        }
        // A client that sends faster than the room takes its messages (the team is not rate
        // limited) is read no more until they are through: its socket fills, and it waits.
        if let session, session.handle(request) > Self.maxQueued, !paused {
            paused = true
            _ = context?.channel.setOption(ChannelOptions.autoRead, value: false)
            let handler = NIOLoopBound(self, eventLoop: outbox.channel.eventLoop)
            let loop = outbox.channel.eventLoop
            session.jobs.whenDone { loop.execute { handler.value.resume() } }
        }
    }

    /// Messages of one connection waiting for the room before its socket is no longer read.
    static let maxQueued = 64

    func resume() {
        guard paused, let context else { return }
        paused = false
        _ = context.channel.setOption(ChannelOptions.autoRead, value: true)
        context.read()
    }

    /// Ends the connection for a broken rule: the close frame names it.
    func fail(_ outbox: Outbox, _ code: WebSocketErrorCode, _ reason: String) {
        fragments = nil
        outbox.closeOnLoop(code: UInt16(webSocketErrorCode: code), reason: reason, thenCut: true)
    }

    /// Close codes a peer may send (RFC 6455, 7.4): not 1004-1006 or 1015, nothing under 1000,
    /// nothing unassigned below 3000.
    static func isValidCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014: true
        case 3000...4999: true
        default: false
        }
    }

    static func errorFrame(code: String, message: String) -> ByteBuffer {
        Outbox.frame(events: [
            (try? JSONEncoder().encode(["type": "error", "code": code, "message": message])) ?? Data()
        ])
    }
}

/// A connection's life in its room: joining (a room that went idle as the viewer arrived is
/// replaced), its messages handed over one at a time in the order they came, then leaving.
final class LiveSession: Sendable {
    let connection: LiveConnection
    let admission: LiveAdmission
    let rooms: LiveRooms
    let room = NIOLockedValueBox<LiveRoom?>(nil)
    let jobs = SerialJobs()

    init(connection: LiveConnection, admission: LiveAdmission, rooms: LiveRooms) {
        self.connection = connection
        self.admission = admission
        self.rooms = rooms
    }

    func start() {
        jobs.run { [self] in
            do {
                var room = try await rooms.room(brandID: admission.brandID, showID: admission.showID)
                while await !room.join(connection, name: admission.name) {
                    room = try await rooms.room(brandID: admission.brandID, showID: admission.showID)
                }
                self.room.withLockedValue { $0 = room }
            } catch {
                connection.outbox.close(code: 1011, reason: "the room could not open: try again")
            }
        }
    }

    /// Queues a message for the room; returns how many of the connection's messages wait.
    @discardableResult
    func handle(_ request: LiveRequest) -> Int {
        jobs.run { [self] in
            guard let room = room.withLockedValue({ $0 }) else { return }
            await room.handle(request, from: connection)
        }
    }

    func reply(_ frame: ByteBuffer) {
        jobs.run { [connection] in connection.outbox.push(frame) }
    }

    func end() {
        jobs.run { [self] in
            guard let room = room.withLockedValue({ $0 }) else { return }
            await room.leave(connection)
        }
    }
}

/// Async jobs run one after the other, in the order given, by a task that exists only while
/// there are jobs.
final class SerialJobs: Sendable {
    private struct State {
        var jobs: [@Sendable () async -> Void] = []
        var running = false
        /// Jobs given and not finished.
        var backlog = 0
        var whenDone: (@Sendable () -> Void)?
    }
    private let state = NIOLockedValueBox(State())

    /// Adds a job; returns how many are waiting or running, this one included.
    @discardableResult
    func run(_ job: @escaping @Sendable () async -> Void) -> Int {
        let (start, backlog) = state.withLockedValue { state -> (Bool, Int) in
            state.jobs.append(job)
            state.backlog += 1
            guard !state.running else { return (false, state.backlog) }
            state.running = true
            return (true, state.backlog)
        }
        if start { Task { await drain() } }
        return backlog
    }

    /// Called once, the next time every job given so far has finished.
    func whenDone(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLockedValue { state -> Bool in
            guard state.backlog > 0 else { return true }
            state.whenDone = action
            return false
        }
        if now { action() }
    }

    private func drain() async {
        while true {
            let jobs = state.withLockedValue { state -> [@Sendable () async -> Void] in
                defer { state.jobs = [] }
                if state.jobs.isEmpty { state.running = false }
                return state.jobs
            }
            if jobs.isEmpty { return }
            for job in jobs {
                await job()
                let done = state.withLockedValue { state -> (@Sendable () -> Void)? in
                    state.backlog -= 1
                    guard state.backlog == 0 else { return nil }
                    defer { state.whenDone = nil }
                    return state.whenDone
                }
                done?()
            }
        }
    }
}
