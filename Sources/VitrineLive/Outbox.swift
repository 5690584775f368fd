import Foundation
import NIOCore
import VitrineDomain

/// A viewer's way out: whole WebSocket frames (header and payload, built once for everyone)
/// written straight to the socket from the first handler of its channel, on the channel's event
/// loop: no task, no copy and no frame encoding per viewer. The room writes the same frame to
/// every viewer with one hop per event loop (`push(_:to:)`).
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

    /// Puts the writer at the head of an upgraded WebSocket channel.
    public init(channel: any Channel, limit: Int) async throws {
        self.channel = channel
        self.limit = limit
        state = try await channel.eventLoop.submit {
            let handler = RawFrameWriter()
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            let context = try channel.pipeline.syncOperations.context(handler: handler)
            return NIOLoopBoundBox(State(writer: context), eventLoop: channel.eventLoop)
        }.get()
    }

    /// Sends one frame (`Outbox.frame(json)`) to this viewer.
    public func push(_ frame: ByteBuffer) {
        channel.eventLoop.execute {
            self.write(frame)
            self.state.value.writer?.flush()
        }
    }

    /// Sends the same frame to every viewer: one task per event loop writes it to its channels.
    public static func push(_ frame: ByteBuffer, to outboxes: some Sequence<Outbox>) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, outboxes: [Outbox])] = [:]
        for outbox in outboxes {
            let loop = outbox.channel.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].outboxes.append(outbox)
        }
        for (loop, group) in byLoop.values {
            loop.execute {
                for outbox in group { outbox.write(frame) }
                for outbox in group { outbox.state.value.writer?.flush() }
            }
        }
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

    func closeOnLoop(code: UInt16, reason: String) {
        guard !state.value.closing, let writer = state.value.writer else { return }
        state.value.closing = true
        var payload = ByteBuffer()
        payload.writeInteger(code)
        payload.writeString(String(reason.utf8.prefix(120)) ?? "")
        writer.writeAndFlush(NIOAny(Self.frame(opcode: 0x8, payload: payload)), promise: nil)
        let channel = channel
        channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
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

/// The first handler of a live viewer's channel: what the outbox writes from it goes to the
/// socket as it is.
final class RawFrameWriter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
}
