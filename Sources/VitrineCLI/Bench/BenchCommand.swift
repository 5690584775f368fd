import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VitrineApp
import VitrineDomain

#if canImport(Glibc)
    import Glibc
#endif

/// Benchmarks: programs that print their figures (docs/benchmarks.md keeps them).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks: print their figures and the command that reproduces them.",
        subcommands: [LiveBench.self, LoadCommand.self, OrdersBench.self, OrderLoadCommand.self])
}

/// `vitrine bench live`: one show, many viewers, a fixed scenario of chat, hearts and pins.
struct LiveBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract:
            "Realtime fan-out: N viewers on one show, chat, hearts and pins; deliveries/s, latency, memory per viewer.")

    @Option(help: "Viewers connected to the show.") var viewers = 10_000
    @Option(help: "Seconds of the scenario.") var seconds = 30.0
    @Option(help: "Viewers who chat and send hearts.") var chatters = 500
    @Option(help: "Chat messages a second, all chatters together.") var chatRate = 100.0
    @Option(help: "Hearts a second, all chatters together.") var heartRate = 1000.0
    @Option(help: "Seconds between two pins.") var pinEvery = 10.0
    @Option(help: "Viewers that measure latency (they read the send time in each chat message).") var probes = 200
    @Option(help: "vitrine (the live rooms) or naive (one encode and one send per viewer per event).")
    var server = "vitrine"
    @Option(help: "Room tick in milliseconds (vitrine).") var tickMs = 50
    @Flag(help: "Print the figures as one JSON object.") var json = false

    func run() async throws {
        raiseOpenFileLimit()
        let port = try freePort()
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vitrine-bench-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let setup: BenchSetup
        let service: any Service
        switch server {
        case "vitrine":
            let reader = try await AppConfig.reader(
                arguments: [
                    "--data-dir", dataDirectory, "--http-port", "\(port)", "--rtmp-port", "off",
                    "--live-chat-ip-rate", "100000", "--live-reactions-ip-rate", "1000000",
                    "--live-connections-ip-rate", "1000000", "--live-tick-ms",
                    "\(tickMs)", "--log-level", "warning",
                ], environment: [:], dotEnvPath: "/nonexistent")
            let config = try AppConfig(reader: reader)
            setup = try await BenchSetup.make(config)
            service = try await buildApplication(config: config, logger: logger)
        case "naive":
            setup = BenchSetup(show: UUID().uuidString.lowercased(), cookie: "none", products: [UUID().uuidString])
            service = NaiveBroadcastServer.application(port: port, logger: logger)
        default:
            throw ValidationError("--server is vitrine or naive")
        }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [], logger: logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        try await waitForPort(port)
        try await Task.sleep(for: .seconds(1))
        let idleRSS = LoadClock.residentBytes()

        // The load client, in its own process: the same executable, `bench load`.
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var arguments = [
            "bench", "load", "--port", "\(port)", "--show", setup.show, "--viewers", "\(viewers)", "--chatters",
            "\(chatters)", "--chat-rate", "\(chatRate)", "--heart-rate", "\(heartRate)", "--pin-every", "\(pinEvery)",
            "--seconds", "\(seconds)", "--probes", "\(probes)", "--products", setup.products.joined(separator: ","),
        ]
        if let cookie = setup.cookie { arguments += ["--staff-cookie", cookie] }
        client.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        client.standardInput = input
        client.standardOutput = output
        try client.run()
        let lines = Self.lines(of: output.fileHandleForReading)
        var report: LoadReport?
        var connectedRSS = idleRSS
        var serverCPU = 0.0
        var startCPU = 0.0
        for try await line in lines {
            if line.hasPrefix("CONNECTED ") {
                // Idle connections settle, then the memory they hold is read.
                try await Task.sleep(for: .seconds(3))
                connectedRSS = LoadClock.residentBytes()
                startCPU = LoadClock.cpuSeconds()
                input.fileHandleForWriting.write(Data("GO\n".utf8))
            } else if line.hasPrefix("REPORT ") {
                serverCPU = LoadClock.cpuSeconds() - startCPU
                report = try JSONDecoder().decode(LoadReport.self, from: Data(line.dropFirst(7).utf8))
            }
        }
        client.waitUntilExit()
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        guard let report else { throw ValidationError("the load client stopped without a report") }
        let perViewer = Double(connectedRSS - idleRSS) / Double(max(1, report.connected))
        let dropped = report.viewers - report.openAtEnd
        let figures: [(String, String)] = [
            ("server", server),
            ("viewers connected / held at the end", "\(report.connected) / \(report.openAtEnd)"),
            (
                "dropped connections",
                "\(dropped) \(report.closedByServer.isEmpty ? "" : "closes \(report.closedByServer)")"
            ),
            ("event deliveries per second", String(format: "%.0f", report.deliveriesPerSecond)),
            (
                "publish-to-receive latency p50 / p99 / max",
                String(
                    format: "%.0f / %.0f / %.0f ms (%d samples)", report.latencyP50Ms, report.latencyP99Ms,
                    report.latencyMaxMs, report.latencySamples)
            ),
            ("server memory per idle viewer", String(format: "%.1f KB", perViewer / 1024)),
            ("server RSS idle / with viewers", "\(idleRSS / 1_048_576) MiB / \(connectedRSS / 1_048_576) MiB"),
            ("server CPU during the scenario", String(format: "%.0f %% of one core", serverCPU / (seconds + 1) * 100)),
            ("load client CPU", String(format: "%.0f %% of one core", report.clientCPUPercent)),
            ("sent chat / hearts / pins", "\(report.sentChat) / \(report.sentHearts) / \(report.sentPins)"),
            ("frames read, MB", String(format: "%d, %.0f MB", report.frames, report.megabytes)),
            ("connect time", String(format: "%.1f s", report.connectSeconds)),
        ]
        guard report.connected == report.viewers, report.deliveries > 0 else {
            print(figures.map { "  \($0.0): \($0.1)" }.joined(separator: "\n"))
            print("Not every viewer connected, or no event was read: these figures are not a measurement.")
            throw ExitCode.failure
        }
        if json {
            var object: [String: String] = [:]
            for (key, value) in figures { object[key] = value }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                "vitrine bench live --viewers \(viewers) --seconds \(Int(seconds)) --chatters \(chatters) "
                    + "--chat-rate \(Int(chatRate)) --heart-rate \(Int(heartRate)) --pin-every \(Int(pinEvery)) --server \(server)"
            )
            for (key, value) in figures {
                print("  \(key.padding(toLength: 44, withPad: " ", startingAt: 0)) \(value)")
            }
        }
    }
}

extension LiveBench {
    /// The lines a pipe delivers, read on a thread of their own.
    static func lines(of handle: FileHandle) -> AsyncStream<String> {
        AsyncStream { continuation in
            Thread.detachNewThread {
                var pending = Data()
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    pending.append(data)
                    while let newline = pending.firstIndex(of: 10) {
                        continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                }
                continuation.finish()
            }
        }
    }
}

/// `vitrine bench load`: the load client of `bench live` (run by it; not meant to be run alone).
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "The load client of `bench live`, in its own process.")
    @Option var port: Int
    @Option var show: String
    @Option var viewers: Int
    @Option var chatters: Int
    @Option var chatRate: Double
    @Option var heartRate: Double
    @Option var pinEvery: Double
    @Option var seconds: Double
    @Option var probes: Int
    @Option var products: String
    @Option var staffCookie: String?
    @Flag(help: "Start at once instead of waiting for GO on standard input.") var noWait = false

    func run() async throws {
        raiseOpenFileLimit()
        let report = try await LoadRun.run(
            LoadPlan(
                port: port, show: show, viewers: viewers, chatters: min(chatters, viewers), probes: probes,
                chatRate: chatRate, heartRate: heartRate, pinEvery: pinEvery, seconds: seconds,
                staffCookie: staffCookie, products: products.split(separator: ",").map(String.init)),
            wait: !noWait)
        let data = try JSONEncoder().encode(report)
        print("REPORT " + String(decoding: data, as: UTF8.self))
    }
}

/// The show of the benchmark: a brand, two products, a live show and a session for its host.
struct BenchSetup {
    var show: String
    var cookie: String?
    var products: [String]

    static func make(_ config: AppConfig) async throws -> BenchSetup {
        try await Admin.withStore(config) { store in
            let (user, _) = try await Admin.createUser(
                store: store, config: config, email: "bench@vitrine.test", name: "Bench host", password: nil)
            let brand = try await store.createBrand(name: "Bench", slug: "bench", ownerID: user.id)
            let scope = store.brand(brand.id)
            var products: [UUID] = []
            for title in ["Pull en cachemire", "Écharpe en soie"] {
                var input = ProductInput(title: title)
                input.status = .active
                input.variants = [VariantInput(sku: title, price: Money(minorUnits: 7900, currency: "EUR"))]
                products.append(try await scope.createProduct(input).id)
            }
            var show = ShowInput(title: "Bench live")
            show.scheduledStart = Date().addingTimeInterval(3600)
            show.lineup = products.map { LineupInput(productId: $0) }
            let created = try await scope.createShow(show)
            _ = try await scope.transition(created.id, .live, memberID: nil)
            let (token, _) = try await store.createSession(userID: user.id)
            return BenchSetup(
                show: created.id.uuidString.lowercased(), cookie: token, products: products.map(\.uuidString))
        }
    }
}

func raiseOpenFileLimit() {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw ValidationError("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

func waitForPort(_ port: Int) async throws {
    for _ in 0..<300 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        close(fd)
        if connected { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw ValidationError("the server did not start on port \(port)")
}
