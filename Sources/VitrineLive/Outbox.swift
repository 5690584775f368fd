import Foundation
import NIOConcurrencyHelpers
import NIOCore
import VitrineDomain

/// A viewer's way out: whole WebSocket frames (header and payload, built once for everyone)
/// written straight to the socket from its `LiveSocketHandler`, on the channel's event loop: no
/// task, no copy and no frame encoding per viewer. The room writes the same frame to every
/// viewer with one hop per event loop (`push(_:to:)`).
///
/// Back-pressure is the channel's: while the socket cannot take more (the viewer reads too
/// slowly), what is written past NIO's high-water mark is counted, and past `limit` bytes the
/// viewer is closed with the resync code, so it never holds the others back and never grows the
/// server's memory without bound.
public final class Outbox: Sendable {
    let channel: any Channel
    let limit: Int
    let state: NIOLoopBoundBox<State>

    struct State {
        var writer: ChannelHandlerContext?
        var unwritableBytes = 0
        var closing = false
    }

    /// The outbox of a channel whose frames `writer` (its `LiveSocketHandler`) writes; on the
    /// channel's event loop.
    init(channel: any Channel, writer: ChannelHandlerContext, limit: Int) {
        self.channel = channel
        self.limit = limit
        state = NIOLoopBoundBox(State(writer: writer), eventLoop: channel.eventLoop)
    }

    /// Sends one frame (`Outbox.frame(json)`) to this viewer.
    public func push(_ frame: ByteBuffer) {
        channel.eventLoop.execute { self.sendOnLoop(frame) }
    }

    func sendOnLoop(_ frame: ByteBuffer) {
        write(frame)
        state.value.writer?.flush()
    }

    /// Sends the same frame to every viewer: one task per event loop writes it to its channels.
    @discardableResult
    public static func push(_ frame: ByteBuffer, to outboxes: some Sequence<Outbox>) -> Broadcast {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, outboxes: [Outbox])] = [:]
        for outbox in outboxes {
            let loop = outbox.channel.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].outboxes.append(outbox)
        }
        let broadcast = Broadcast(loops: byLoop.count)
        for (loop, group) in byLoop.values {
            loop.execute { write(frame, to: group[...], on: loop, then: broadcast) }
        }
        return broadcast
    }

    /// Writes a frame to the viewers of one event loop, `chunk` at a time: between two chunks the
    /// loop reads its sockets (a task scheduled a little later lets it), so what viewers send is
    /// never held up by a long write to everyone.
    static func write(
        _ frame: ByteBuffer, to outboxes: ArraySlice<Outbox>, on loop: any EventLoop, then broadcast: Broadcast
    ) {
        let now = outboxes.prefix(chunk)
        for outbox in now { outbox.write(frame) }
        for outbox in now { outbox.state.value.writer?.flush() }
        let rest = outboxes.dropFirst(chunk)
        if rest.isEmpty {
            broadcast.loopDone()
        } else {
            loop.scheduleTask(in: .microseconds(20)) { write(frame, to: rest, on: loop, then: broadcast) }
        }
    }

    /// Viewers written to between two reads of an event loop's sockets.
    static let chunk = 128

    /// A frame on its way to every viewer: done once each event loop has written it.
    public final class Broadcast: Sendable {
        let remaining: NIOLockedValueBox<Int>

        init(loops: Int) { remaining = NIOLockedValueBox(loops) }

        func loopDone() { remaining.withLockedValue { $0 -= 1 } }

        public var isDone: Bool { remaining.withLockedValue { $0 <= 0 } }
    }

    /// Ends the connection with a close frame (the client answers it; one that never does is cut
    /// after 10 s).
    public func close(code: UInt16, reason: String) {
        channel.eventLoop.execute { self.closeOnLoop(code: code, reason: reason) }
    }

    func write(_ frame: ByteBuffer) {
        guard !state.value.closing, let writer = state.value.writer else { return }
        if channel.isWritable {
            state.value.unwritableBytes = 0
        } else {
            state.value.unwritableBytes += frame.readableBytes
            if state.value.unwritableBytes > limit {
                closeOnLoop(code: LiveProtocol.closeResync, reason: "too far behind: reconnect to resync")
                return
            }
        }
        writer.write(NIOAny(frame), promise: nil)
    }

    /// Sends the close frame; the channel closes when the viewer answers it, or after 10 s. When
    /// `thenCut` (a viewer that broke the protocol), the server also stops writing at once: the
    /// viewer reads the close frame, then the end of the stream.
    func closeOnLoop(code: UInt16, reason: String, thenCut: Bool = false) {
        guard !state.value.closing, let writer = state.value.writer else { return }
        state.value.closing = true
        var payload = ByteBuffer()
        payload.writeInteger(code)
        payload.writeString(String(reason.utf8.prefix(120)) ?? "")
        let channel = channel
        let written = writer.writeAndFlush(NIOAny(Self.frame(opcode: 0x8, payload: payload)))
        if thenCut { written.whenComplete { _ in channel.close(mode: .output, promise: nil) } }
        channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
    }

    /// Whether the close frame has been sent (what the viewer sends then is not read).
    var isClosing: Bool { state.value.closing }

    /// The viewer sent a close frame: it is answered (unless it answers the server's) and the
    /// connection ends.
    func answerClose(code: UInt16) {
        let channel = channel
        guard !state.value.closing, let writer = state.value.writer else { return channel.close(promise: nil) }
        state.value.closing = true
        var payload = ByteBuffer()
        // A close without a code (1005) is answered without one.
        if code != 1005 { payload.writeInteger(code) }
        writer.writeAndFlush(NIOAny(Self.frame(opcode: 0x8, payload: payload))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// The whole WebSocket frame (unmasked, final) of `{"v":1,"events":[...]}` around already
    /// encoded events.
    public static func frame(events: [Data]) -> ByteBuffer {
        var payload = ByteBufferAllocator().buffer(capacity: events.reduce(24) { $0 + $1.count + 1 })
        payload.writeString("{\"v\":\(LiveProtocol.version),\"events\":[")
        for (index, event) in events.enumerated() {
            if index > 0 { payload.writeInteger(UInt8(ascii: ",")) }
            payload.writeBytes(event)
        }
        payload.writeString("]}")
        return frame(opcode: 0x1, payload: payload)
    }

    static func frame(opcode: UInt8, payload: ByteBuffer) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.reserveCapacity(payload.readableBytes + 10)
        frame.writeInteger(0x80 | opcode)
        switch payload.readableBytes {
        case ..<126: frame.writeInteger(UInt8(payload.readableBytes))
        case ..<65536:
            frame.writeInteger(UInt8(126))
            frame.writeInteger(UInt16(payload.readableBytes))
        default:
            frame.writeInteger(UInt8(127))
            frame.writeInteger(UInt64(payload.readableBytes))
        }
        var payload = payload
        frame.writeBuffer(&payload)
        return frame
    }
}
