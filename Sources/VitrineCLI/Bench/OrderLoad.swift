import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// What the order load client measured, printed as one JSON line (`REPORT {...}`).
struct OrderLoadReport: Codable {
    var sent = 0
    var created = 0
    var soldOut = 0
    var other: [String: Int] = [:]
    var failedConnections = 0
    /// Seconds from the first request to the last 201.
    var sellingSeconds = 0.0
    var totalSeconds = 0.0
    var createdP50Ms = 0.0
    var createdP99Ms = 0.0
    var soldOutP50Ms = 0.0
    var soldOutP99Ms = 0.0
    var clientCPUPercent = 0.0
    /// An example of each unexpected answer.
    var samples: [String] = []
}

/// Shared by every connection of the client's one event loop.
final class OrderLoadState: @unchecked Sendable {
    let total: Int
    let slug: String
    let body: (Int) -> String
    var next = 0
    var report = OrderLoadReport()
    var createdLatencies: [Int64] = []
    var soldOutLatencies: [Int64] = []
    var start: Int64 = 0
    var lastCreated: Int64 = 0
    var open = 0
    let done: EventLoopPromise<Void>

    init(total: Int, slug: String, body: @escaping (Int) -> String, done: EventLoopPromise<Void>) {
        self.total = total
        self.slug = slug
        self.body = body
        self.done = done
    }

    /// The next buyer's request, or nil when every buyer has been sent.
    func nextRequest() -> ByteBuffer? {
        guard next < total else { return nil }
        let buyer = next
        next += 1
        report.sent += 1
        let body = self.body(buyer)
        return ByteBuffer(
            string: "POST /api/public/brands/\(slug)/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nIdempotency-Key: bench-\(buyer)\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    func finished() {
        open -= 1
        if open == 0 { done.succeed(()) }
    }
}

/// One keep-alive connection: sends a request, reads its answer (status line, headers,
/// Content-Length body), records it, sends the next.
final class OrderLoadConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let state: OrderLoadState
    var buffer = ByteBuffer()
    var sentAt: Int64 = 0
    var closed = false

    init(state: OrderLoadState) { self.state = state }

    func channelActive(context: ChannelHandlerContext) { send(context: context) }

    func send(context: ChannelHandlerContext) {
        guard let request = state.nextRequest() else {
            closed = true
            context.close(promise: nil)
            state.finished()
            return
        }
        sentAt = LoadClock.nanoseconds()
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let (status, body) = parse() {
            let now = LoadClock.nanoseconds()
            let latency = now - sentAt
            switch status {
            case 201:
                state.report.created += 1
                state.createdLatencies.append(latency)
                state.lastCreated = now
            case 409 where body.contains("\"sold_out\""):
                state.report.soldOut += 1
                state.soldOutLatencies.append(latency)
            default:
                let key = "\(status)"
                state.report.other[key, default: 0] += 1
                if state.report.samples.count < 5 { state.report.samples.append("\(status) \(body.prefix(300))") }
            }
            send(context: context)
        }
    }

    /// One complete response from the buffer, or nil when more bytes are needed.
    func parse() -> (Int, String)? {
        let view = buffer.readableBytesView
        guard let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
        var length = 0
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let headLength = end.upperBound - view.startIndex
        guard buffer.readableBytes >= headLength + length else { return nil }
        buffer.moveReaderIndex(forwardBy: headLength)
        let body = buffer.readString(length: length) ?? ""
        buffer.discardReadBytes()
        let status = Int(head.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return (status, body)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closed {
            closed = true
            state.report.failedConnections += 1
            state.finished()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// `vitrine bench order-load`: the load client of `bench orders`, in its own process.
struct OrderLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-load", abstract: "The load client of `bench orders`, in its own process.")
    @Option var port: Int
    @Option var slug: String
    @Option var variant: String
    @Option var show: String
    @Option(help: "Buyers, each placing one order.") var buyers: Int
    @Option var connections: Int
    @Option(help: "Buyer numbers start here (several runs on one server).") var first = 0

    func run() async throws {
        raiseOpenFileLimit()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let variant = self.variant
        let show = self.show
        let first = self.first
        let state = try await loop.submit {
            OrderLoadState(
                total: buyers, slug: slug,
                body: { buyer in
                    let number = first + buyer
                    return
                        "{\"email\":\"buyer\(number)@example.com\",\"name\":\"Buyer \(number)\",\"phone\":\"+33 6 00 00 00 00\","
                        + "\"address\":{\"line1\":\"\(number % 200 + 1) rue de Rivoli\",\"postalCode\":\"75001\",\"city\":\"Paris\",\"country\":\"FR\"},"
                        + "\"lines\":[{\"variantId\":\"\(variant)\",\"quantity\":1}],\"payment\":\"later\","
                        + "\"showId\":\"\(show)\",\"origin\":\"live\",\"acceptTerms\":true}"
                }, done: loop.makePromise())
        }.get()
        let cpu = LoadClock.cpuSeconds()
        try await loop.submit {
            state.start = LoadClock.nanoseconds()
            state.open = connections
        }.get()
        let bootstrap = ClientBootstrap(group: group).channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(OrderLoadConnection(state: state))
                }
            }
        for _ in 0..<connections {
            do {
                _ = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
            } catch {
                try await loop.submit {
                    state.report.failedConnections += 1
                    state.finished()
                }.get()
            }
        }
        try await state.done.futureResult.get()
        let report = try await loop.submit { () -> OrderLoadReport in
            var report = state.report
            let end = LoadClock.nanoseconds()
            report.totalSeconds = Double(end - state.start) / 1e9
            report.sellingSeconds = Double(max(state.lastCreated, state.start) - state.start) / 1e9
            func percentile(_ values: [Int64], _ p: Double) -> Double {
                guard !values.isEmpty else { return 0 }
                let sorted = values.sorted()
                return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
            }
            report.createdP50Ms = percentile(state.createdLatencies, 0.5)
            report.createdP99Ms = percentile(state.createdLatencies, 0.99)
            report.soldOutP50Ms = percentile(state.soldOutLatencies, 0.5)
            report.soldOutP99Ms = percentile(state.soldOutLatencies, 0.99)
            report.clientCPUPercent = (LoadClock.cpuSeconds() - cpu) / max(report.totalSeconds, 0.001) * 100
            return report
        }.get()
        try await group.shutdownGracefully()
        print("REPORT " + String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
    }
}
