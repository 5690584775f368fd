import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VitrineApp
import VitrineDomain
import VitrineStore

/// `vitrine bench orders`: a flash sale. One lineup item with N units in a live show; N distinct
/// buyers each place one order through the public order endpoint the player uses (buyer, address,
/// variant, quantity, idempotency key; pay later; the e-mail and webhook jobs enqueued with it),
/// then M more buyers after it sold out. Run with group commit and with the naive design (one
/// transaction per order, one conditional UPDATE per line), one after the other.
struct OrdersBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Flash sale: acknowledged orders/s, latency of sales and of sold-out answers, oversell, memory.")

    @Option(help: "Units of the drop, and buyers who get one.") var orders = 150_000
    @Option(help: "Buyers who come after it sold out.") var soldOut = 50_000
    @Option(help: "Connections of the load client.") var connections = 64
    @Option(
        help:
            "Units and sold-out buyers of the naive run, when smaller than the group run's (it sells about 90 orders/s here)."
    )
    var naiveOrders: Int?
    @Option(help: "group, single (the naive design) or both.") var commit = "both"
    @Option(help: "A PostgreSQL server (postgres://…); a database is created on it for each run. SQLite if absent.")
    var postgresURL: String?
    @Flag(help: "Print the figures as JSON, one object per run.") var json = false

    func run() async throws {
        raiseOpenFileLimit()
        let modes: [OrderCommit] =
            switch commit {
            case "both": [.group, .single]
            case "group": [.group]
            case "single": [.single]
            default: throw ValidationError("--commit is group, single or both")
            }
        var failed = false
        for mode in modes {
            var units = orders
            var after = soldOut
            if mode == .single, let naiveOrders, naiveOrders < orders {
                units = naiveOrders
                after = soldOut * naiveOrders / max(1, orders)
            }
            let figures = try await measure(mode, orders: units, soldOut: after)
            if json {
                var object: [String: String] = [:]
                for (key, value) in figures.lines { object[key] = value }
                print(
                    String(
                        decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                        as: UTF8.self))
            } else {
                print(
                    "vitrine bench orders --orders \(units) --sold-out \(after) --connections \(connections) --commit \(mode.rawValue)"
                        + (postgresURL == nil ? "" : " --postgres-url …"))
                for (key, value) in figures.lines {
                    print("  \(key.padding(toLength: 44, withPad: " ", startingAt: 0)) \(value)")
                }
            }
            failed = failed || !figures.ok
        }
        if failed {
            print(
                "Oversold, lost an acknowledged order, or answered something else than 201 / 409 sold_out: see above.")
            throw ExitCode.failure
        }
    }

    struct Figures {
        var lines: [(String, String)]
        var ok: Bool
    }

    func measure(_ mode: OrderCommit, orders: Int, soldOut: Int) async throws -> Figures {
        let port = try freePort()
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vitrine-bench-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var arguments = [
            "--data-dir", dataDirectory, "--http-port", "\(port)", "--rtmp-port", "off", "--log-level", "warning",
            "--orders-commit", mode.rawValue, "--jobs-run", "false",
        ]
        var database: (admin: Store, name: String)?
        if let postgresURL {
            var logger = Logger(label: "bench")
            logger.logLevel = .warning
            let admin = try await Store(location: .postgres(url: postgresURL), logger: logger)
            let name = "vitrine_bench_\(UUID().uuidString.prefix(8).lowercased())"
            try await admin.execute("CREATE DATABASE \(name)")
            database = (admin, name)
            var url = URLComponents(string: postgresURL)!
            url.path = "/" + name
            arguments += ["--database-url", url.string!]
        }
        defer {
            if let database {
                let done = DispatchSemaphore(value: 0)
                Task {
                    try? await database.admin.execute("DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)")
                    await database.admin.shutdown()
                    done.signal()
                }
                done.wait()
            }
        }
        let reader = try await AppConfig.reader(arguments: arguments, environment: [:], dotEnvPath: "/nonexistent")
        let config = try AppConfig(reader: reader)
        let setup = try await OrdersBenchSetup.make(config, units: orders)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let service = try await buildApplication(config: config, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [], logger: logger))
        let running = Task { try await group.run() }
        try await waitForPort(port)
        let idleRSS = LoadClock.residentBytes()
        let startCPU = LoadClock.cpuSeconds()

        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        client.arguments = [
            "bench", "order-load", "--port", "\(port)", "--slug", setup.slug, "--variant", setup.variant, "--show",
            setup.show, "--buyers", "\(orders + soldOut)", "--connections", "\(connections)",
        ]
        let output = Pipe()
        client.standardOutput = output
        try client.run()
        var report: OrderLoadReport?
        for try await line in LiveBench.lines(of: output.fileHandleForReading) where line.hasPrefix("REPORT ") {
            report = try JSONDecoder().decode(OrderLoadReport.self, from: Data(line.dropFirst(7).utf8))
        }
        client.waitUntilExit()
        let serverCPU = LoadClock.cpuSeconds() - startCPU
        let peakRSS = Self.peakResidentBytes()
        let endRSS = LoadClock.residentBytes()
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        guard let report else { throw ValidationError("the load client stopped without a report") }

        // What the database holds, read after the server stopped.
        let check = try await Admin.withStore(config) { store in
            let scope = store.brand(setup.brandID)
            let level = try await scope.stockLevel(variantID: UUID(uuidString: setup.variant)!)
            let orders = try await scope.orders(OrderFilter(), page: 1, perPage: 1).total
            let jobs = try await store.countJobs(brandID: setup.brandID, status: .pending)
            return (level, orders, jobs, try await store.durability())
        }
        let (level, storedOrders, pendingJobs, durability) = check
        let oversell = max(0, level.soldUnacknowledged - orders)
        let seconds = max(report.sellingSeconds, 0.001)
        let unexpected = report.other.values.reduce(0, +) + report.failedConnections
        let ok =
            oversell == 0 && storedOrders == report.created && level.soldUnacknowledged == report.created
            && report.created == orders && unexpected == 0
        var lines: [(String, String)] = [
            (
                "commit",
                mode == .group ? "group (many orders per transaction)" : "single (naive: one transaction per order)"
            ),
            ("database", durability),
            ("buyers / units", "\(orders + soldOut) / \(orders)"),
            ("acknowledged orders (201)", "\(report.created)"),
            (
                "acknowledged orders per second",
                String(format: "%.0f (%.2f s to sell out)", Double(report.created) / seconds, report.sellingSeconds)
            ),
            ("sale latency p50 / p99", String(format: "%.1f / %.1f ms", report.createdP50Ms, report.createdP99Ms)),
            ("sold-out answers (409)", "\(report.soldOut)"),
            ("sold-out latency p50 / p99", String(format: "%.1f / %.1f ms", report.soldOutP50Ms, report.soldOutP99Ms)),
            ("oversell", "\(oversell)"),
            ("orders in the database / units sold", "\(storedOrders) / \(level.soldUnacknowledged)"),
            ("jobs enqueued (e-mail + webhook)", "\(pendingJobs)"),
            ("other answers", report.other.isEmpty ? "none" : "\(report.other) \(report.samples)"),
            ("server RSS idle / peak / end", "\(idleRSS >> 20) / \(peakRSS >> 20) / \(endRSS >> 20) MiB"),
            ("server CPU", String(format: "%.0f %% of one core", serverCPU / max(report.totalSeconds, 0.001) * 100)),
            (
                "load client CPU",
                String(format: "%.0f %% of one core (%d connections)", report.clientCPUPercent, connections)
            ),
            ("whole run", String(format: "%.2f s", report.totalSeconds)),
        ]
        if report.failedConnections > 0 { lines.append(("failed connections", "\(report.failedConnections)")) }
        return Figures(lines: lines, ok: ok)
    }

    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
}

/// The sale of the benchmark: a perfume house, one perfume with N units at a show price in a live
/// show, and a webhook endpoint that listens to `order.created`.
struct OrdersBenchSetup {
    var brandID: UUID
    var slug: String
    var variant: String
    var show: String

    static func make(_ config: AppConfig, units: Int) async throws -> OrdersBenchSetup {
        try await Admin.withStore(config) { store in
            let (user, _) = try await Admin.createUser(
                store: store, config: config, email: "bench@vitrine.test", name: "Bench host", password: nil)
            let brand = try await store.createBrand(name: "Parfums de Grasse", slug: "grasse", ownerID: user.id)
            let scope = store.brand(brand.id)
            var input = ProductInput(title: "Eau de parfum Jasmin")
            input.status = .active
            var variant = VariantInput(sku: "JASMIN-50", price: Money(minorUnits: 8900, currency: "EUR"))
            variant.options = ["50 ml"]
            variant.inventoryQuantity = units
            variant.inventoryPolicy = .deny
            input.optionNames = ["Contenance"]
            input.variants = [variant]
            let product = try await scope.createProduct(input)
            var show = ShowInput(title: "Vente flash Jasmin")
            show.scheduledStart = Date().addingTimeInterval(3600)
            show.lineup = [LineupInput(productId: product.id, showPrice: Money(minorUnits: 6900, currency: "EUR"))]
            let created = try await scope.createShow(show)
            _ = try await scope.transition(created.id, .live, memberID: nil)
            _ = try await scope.createWebhook(
                WebhookEndpointInput(url: "https://shop.example.com/vitrine/orders", events: [.orderCreated]))
            return OrdersBenchSetup(
                brandID: brand.id, slug: "grasse", variant: product.variants[0].id.uuidString,
                show: created.id.uuidString)
        }
    }
}
