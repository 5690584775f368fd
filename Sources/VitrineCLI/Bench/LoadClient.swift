import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// What the load client measured. Touched only on its one event loop.
final class LoadStats: @unchecked Sendable {
    var connected = 0
    var failed = 0
    var closedByServer: [UInt16: Int] = [:]
    var open = 0
    var measuring = false
    var deliveries = 0
    var frames = 0
    var bytes = 0
    var latencies: [Int64] = []
    var sentChat = 0
    var sentHearts = 0

    /// The figures of two loops together (read on the second one's loop).
    func adding(_ other: LoadStats) -> LoadStats {
        let sum = LoadStats()
        sum.connected = connected + other.connected
        sum.failed = failed + other.failed
        sum.closedByServer = closedByServer.merging(other.closedByServer, uniquingKeysWith: +)
        sum.open = open + other.open
        sum.deliveries = deliveries + other.deliveries
        sum.frames = frames + other.frames
        sum.bytes = bytes + other.bytes
        sum.latencies = latencies + other.latencies
        return sum
    }
}

/// A viewer's WebSocket, by hand on SwiftNIO: the upgrade request, then frames read by scanning
/// for `"type":"` (one per event) without decoding the JSON. Probe viewers also read the send time
/// that chatters put at the start of their messages (`@NANOSECONDS`), for the latency.
final class LoadViewer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let request: ByteBuffer
    let stats: LoadStats
    let probe: Bool
    let ready: @Sendable (any Channel) -> Void
    var buffer = ByteBuffer()
    var upgraded = false
    var snapshotSeen = false

    init(request: String, stats: LoadStats, probe: Bool, ready: @escaping @Sendable (any Channel) -> Void) {
        self.request = ByteBuffer(string: request)
        self.stats = stats
        self.probe = probe
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if upgraded { stats.open -= 1 }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer.writeBuffer(&incoming)
        }
        if !upgraded {
            let view = buffer.readableBytesView
            guard let end = view.firstRange(of: [13, 10, 13, 10]) else { return }
            let head = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
            guard head.hasPrefix("HTTP/1.1 101") else {
                stats.failed += 1
                context.close(promise: nil)
                return
            }
            buffer.moveReaderIndex(to: end.upperBound)
            upgraded = true
            stats.connected += 1
            stats.open += 1
            ready(context.channel)
        }
        readFrames(context: context)
        if buffer.readerIndex > 65536 { buffer.discardReadBytes() }
    }

    func readFrames(context: ChannelHandlerContext) {
        while buffer.readableBytes >= 2 {
            let start = buffer.readerIndex
            let first = buffer.getInteger(at: start, as: UInt8.self)!
            let second = buffer.getInteger(at: start + 1, as: UInt8.self)!
            var length = Int(second & 0x7F)
            var header = 2
            if length == 126 {
                guard buffer.readableBytes >= 4 else { return }
                length = Int(buffer.getInteger(at: start + 2, as: UInt16.self)!)
                header = 4
            } else if length == 127 {
                guard buffer.readableBytes >= 10 else { return }
                length = Int(buffer.getInteger(at: start + 2, as: UInt64.self)!)
                header = 10
            }
            guard buffer.readableBytes >= header + length else { return }
            let payload = buffer.getSlice(at: start + header, length: length)!
            buffer.moveReaderIndex(forwardBy: header + length)
            switch first & 0x0F {
            case 0, 1: text(payload)
            case 8:
                let code =
                    payload.readableBytes >= 2 ? payload.getInteger(at: payload.readerIndex, as: UInt16.self)! : 1005
                stats.closedByServer[code, default: 0] += 1
                context.close(promise: nil)
                return
            case 9: context.writeAndFlush(wrapOutboundOut(Self.frame(opcode: 0xA, payload: payload)), promise: nil)
            default: break
            }
        }
    }

    /// Counts the events of a frame; a probe also reads chat send times.
    func text(_ payload: ByteBuffer) {
        guard snapshotSeen else {
            snapshotSeen = true
            return
        }
        guard stats.measuring else { return }
        let now = LoadClock.nanoseconds()
        let probe = probe
        var events = 0
        var latencies: [Int64] = []
        payload.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            // Each event has one `"type":"` (its keys come in any order): found from its colon.
            var offset = 0
            while offset < count, let colon = memchr(base + offset, 58, count - offset) {
                let at = base.distance(to: UnsafeRawPointer(colon))
                offset = at + 1
                if at >= 6 && at + 1 < count && bytes[at + 1] == 34 && memcmp(base + at - 6, Self.typeKey, 6) == 0 {
                    events += 1
                }
            }
            // A chat message's send time follows `"text":"@` (found from its `@`).
            guard probe else { return }
            offset = 0
            while offset < count, let sign = memchr(base + offset, 64, count - offset) {
                let at = base.distance(to: UnsafeRawPointer(sign))
                offset = at + 1
                guard at >= 8 && memcmp(base + at - 8, Self.textStart, 8) == 0 else { continue }
                var value: Int64 = 0
                var index = at + 1
                while index < count, bytes[index] >= 48, bytes[index] <= 57 {
                    value = value * 10 + Int64(bytes[index] - 48)
                    index += 1
                }
                latencies.append(now - value)
            }
        }
        stats.deliveries += events
        stats.frames += 1
        stats.bytes += payload.readableBytes
        if !latencies.isEmpty { stats.latencies.append(contentsOf: latencies) }
    }

    static let typeKey = Array("\"type\"".utf8)
    static let textStart = Array("\"text\":\"".utf8)

    /// A client frame: masked, with a zero key (allowed, and the payload stays as it is).
    static func frame(opcode: UInt8, payload: ByteBuffer) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.writeInteger(0x80 | opcode)
        if payload.readableBytes < 126 {
            frame.writeInteger(UInt8(0x80 | payload.readableBytes))
        } else {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.readableBytes))
        }
        frame.writeInteger(UInt32(0))
        var payload = payload
        frame.writeBuffer(&payload)
        return frame
    }

    static func text(_ string: String) -> ByteBuffer { frame(opcode: 1, payload: ByteBuffer(string: string)) }
}

enum LoadClock {
    /// Wall-clock nanoseconds: the same clock in the server's process and the client's.
    static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// CPU seconds (user + system) this process has used.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// This process's resident memory, in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
}
