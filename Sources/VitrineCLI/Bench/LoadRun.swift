import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The fixed scenario of `vitrine bench live`, played by `vitrine bench load` in its own process.
struct LoadPlan: Sendable {
    var port: Int
    var show: String
    var viewers: Int
    var chatters: Int
    var probes: Int
    var chatRate: Double
    var heartRate: Double
    var pinEvery: Double
    var seconds: Double
    var staffCookie: String?
    var products: [String]
}

/// The report the load client prints as its last line (`REPORT {json}`).
struct LoadReport: Codable, Sendable {
    var viewers: Int
    var connected: Int
    var failed: Int
    var openAtEnd: Int
    var closedByServer: [String: Int]
    var seconds: Double
    var deliveries: Int
    var deliveriesPerSecond: Double
    var frames: Int
    var megabytes: Double
    var latencySamples: Int
    var latencyP50Ms: Double
    var latencyP99Ms: Double
    var latencyMaxMs: Double
    var sentChat: Int
    var sentHearts: Int
    var sentPins: Int
    var clientCPUSeconds: Double
    var clientCPUPercent: Double
    var connectSeconds: Double
}

enum LoadRun {
    /// Connects every viewer, says `CONNECTED n`, waits for `GO` on standard input (unless `wait`
    /// is false), plays the scenario and returns the figures.
    static func run(_ plan: LoadPlan, wait: Bool) async throws -> LoadReport {
        // Two threads (the machine's cores): each viewer lives on one loop, with that loop's figures.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let loop = loops[0]
        let statsByLoop = loops.map { _ in LoadStats() }
        let stats = statsByLoop[0]
        let staffStats = LoadStats()
        let chatters = NIOLockedValueBox<[any Channel]>([])
        let staff = NIOLockedValueBox<(any Channel)?>(nil)
        let probeEvery = max(1, plan.viewers / max(1, plan.probes))
        let connectStart = Date()

        func request(_ query: String, headers: String = "") -> String {
            "GET /api/live/shows/\(plan.show)?\(query) HTTP/1.1\r\nHost: 127.0.0.1:\(plan.port)\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\(headers)\r\n"
        }
        func connect(_ handler: LoadViewer, on loop: any EventLoop) async throws {
            _ = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
                }
                .connect(host: "127.0.0.1", port: plan.port).get()
        }

        // Viewers, 200 handshakes at a time (the server's accept backlog is finite).
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for index in 0..<plan.viewers {
                if index >= 200 { try await tasks.next() }
                let isChatter = index < plan.chatters
                let query = "viewer=bench-viewer-\(index)" + (isChatter ? "&name=Fan%20\(index)" : "")
                // Runs of viewers per loop, so that probes (every `probeEvery`-th) are on both.
                let side = (index / probeEvery) % loops.count
                let handler = LoadViewer(
                    request: request(query), stats: statsByLoop[side], probe: index % probeEvery == 0,
                    ready: { channel in if isChatter { chatters.withLockedValue { $0.append(channel) } } })
                tasks.addTask { try await connect(handler, on: loops[side]) }
            }
            try await tasks.waitForAll()
        }
        if let cookie = plan.staffCookie {
            let handler = LoadViewer(
                request: request(
                    "viewer=bench-staff-0001",
                    headers: "Cookie: vitrine_session=\(cookie)\r\nOrigin: http://127.0.0.1:\(plan.port)\r\n"),
                stats: staffStats, probe: false, ready: { channel in staff.withLockedValue { $0 = channel } })
            try await connect(handler, on: loop)
        }
        // Wait for the handshakes to finish.
        let deadline = Date().addingTimeInterval(120)
        func total(_ figure: @escaping @Sendable (LoadStats) -> Int) async throws -> Int {
            var sum = 0
            for (loop, stats) in zip(loops, statsByLoop) { sum += try await loop.submit { figure(stats) }.get() }
            return sum
        }
        while Date() < deadline {
            if try await total({ $0.connected + $0.failed }) >= plan.viewers { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let connectSeconds = Date().timeIntervalSince(connectStart)
        let connected = try await total { $0.connected }
        print("CONNECTED \(connected)")
        fflush(nil)
        if wait {
            while let line = readLine() {
                if line == "GO" { break }
            }
        }

        // The scenario: chat, hearts and pins at their rates, from the event loop every 10 ms.
        let startCPU = LoadClock.cpuSeconds()
        let start = NIODeadline.now()
        let chatChannels = chatters.withLockedValue { $0 }
        let staffChannel = staff.withLockedValue { $0 }
        let pins = NIOLockedValueBox(0)
        for (loop, stats) in zip(loops, statsByLoop) { try await loop.submit { stats.measuring = true }.get() }
        let filler = String(repeating: "Le pull existe en bleu ? ", count: 2)
        let sender = loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(10)) { _ in
            guard !chatChannels.isEmpty else { return }
            let elapsed = Double((NIODeadline.now() - start).nanoseconds) / 1e9
            guard elapsed < plan.seconds else { return }
            let dueChat = Int(elapsed * plan.chatRate) - stats.sentChat
            for _ in 0..<max(0, dueChat) {
                let channel = chatChannels[stats.sentChat % chatChannels.count]
                let text = "{\"type\":\"chat\",\"text\":\"@\(LoadClock.nanoseconds()) \(filler)\"}"
                channel.writeAndFlush(LoadViewer.text(text), promise: nil)
                stats.sentChat += 1
            }
            let dueHearts = Int(elapsed * plan.heartRate) - stats.sentHearts
            for _ in 0..<max(0, dueHearts) {
                let channel = chatChannels[(stats.sentHearts * 7) % chatChannels.count]
                channel.writeAndFlush(LoadViewer.text("{\"type\":\"react\",\"kind\":\"heart\"}"), promise: nil)
                stats.sentHearts += 1
            }
            if let staffChannel, !plan.products.isEmpty, plan.pinEvery > 0 {
                let due = Int(elapsed / plan.pinEvery) + 1
                pins.withLockedValue { sent in
                    while sent < due {
                        let product = plan.products[sent % plan.products.count]
                        staffChannel.writeAndFlush(
                            LoadViewer.text("{\"type\":\"pin\",\"productId\":\"\(product)\"}"), promise: nil)
                        sent += 1
                    }
                }
            }
        }
        try await Task.sleep(for: .seconds(plan.seconds))
        sender.cancel()
        // What was sent in the window may still be on its way: one more second to read it.
        try await Task.sleep(for: .seconds(1))
        for (loop, stats) in zip(loops, statsByLoop) { try await loop.submit { stats.measuring = false }.get() }
        let sentChat = try await loop.submit { stats.sentChat }.get()
        let sentHearts = try await loop.submit { stats.sentHearts }.get()
        let cpu = LoadClock.cpuSeconds() - startCPU
        var all = LoadStats()
        for (loop, stats) in zip(loops, statsByLoop) {
            let sofar = all
            all = try await loop.submit { sofar.adding(stats) }.get()
        }
        let sorted = all.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        }
        let report = LoadReport(
            viewers: plan.viewers, connected: all.connected, failed: all.failed, openAtEnd: all.open,
            closedByServer: Dictionary(uniqueKeysWithValues: all.closedByServer.map { ("\($0.key)", $0.value) }),
            seconds: plan.seconds, deliveries: all.deliveries,
            deliveriesPerSecond: Double(all.deliveries) / plan.seconds, frames: all.frames,
            megabytes: Double(all.bytes) / 1e6, latencySamples: sorted.count, latencyP50Ms: percentile(0.5),
            latencyP99Ms: percentile(0.99), latencyMaxMs: sorted.last.map { Double($0) / 1e6 } ?? 0,
            sentChat: sentChat, sentHearts: sentHearts, sentPins: pins.withLockedValue { $0 },
            clientCPUSeconds: cpu, clientCPUPercent: cpu / (plan.seconds + 1) * 100, connectSeconds: connectSeconds)
        try? await group.shutdownGracefully()
        return report
    }
}
