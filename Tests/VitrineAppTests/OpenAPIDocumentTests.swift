import Foundation
import Hummingbird
import Logging
import Prometheus
import Testing
import VitrineLive
import VitrineMedia
import VitrineStore

@testable import VitrineApp

/// The API document and the server agree: every route is documented and every documented route exists.
@Suite struct OpenAPIDocumentTests {
    /// (METHOD, path) pairs read from `paths:` of the document (2-space layout, see the file's header).
    static func documented() throws -> Set<String> {
        let text = try String(contentsOfFile: WebAssets.root + "/openapi.yaml", encoding: .utf8)
        var pairs = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "),
                let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" })
            {
                pairs.insert("\(method.uppercased()) \(path)")
            }
        }
        return pairs
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        // setup
        let env = try await TestEnvironment.make()
        let services = AppServices(
            config: env.config, store: env.store, access: Access(store: env.store), passwords: Passwords(cost: 4),
            limiter: LoginLimiter(limit: 5, window: 60, clock: { Date() }),
            importer: CatalogImporter(mediaDirectory: env.config.mediaDirectory, logger: Logger(label: "t")),
            clock: { Date() }, mail: MailQueue(store: env.store, from: nil),
            media: LiveHub(
                settings: IngestSettings(hlsDirectory: env.config.hlsDirectory), shows: NoShows(),
                logger: Logger(label: "t")),
            live: LiveRooms(
                store: env.store, limits: LiveLimits(), mediaTime: { _ in nil }, logger: Logger(label: "t")),
            orders: OrderDesk(store: env.store), payments: Payments(config: env.config, box: .random()))
        let router = buildRouter(
            services: services, metrics: HTTPMetrics(registry: PrometheusCollectorRegistry()),
            logger: Logger(label: "t"))
        // MUT
        let served = Set(
            router.routes.map { "\($0.method.rawValue) \($0.path.description.hasPrefix("/") ? "" : "/")\($0.path)" }
                .filter {
                    !$0.hasSuffix(" /") && !$0.contains("/invite/") && !$0.contains("/reset/") && !$0.contains(" /b/")
                        && !$0.contains(" /hls/") && !$0.contains(" /studio/") && !$0.contains(" /watch/")
                        && !$0.contains(" /demo/")
                })
        let documented = try Self.documented()
        await env.cleanup()
        // validate
        #expect(served.count >= 30)
        #expect(served.subtracting(documented).sorted() == [], "served but not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
    }

    @Test func documentIsServed() async throws {
        let env = try await TestEnvironment.make()
        try await env.test { client in
            let response = try await client.call(.get, "/api/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.text.hasPrefix("openapi: 3.1"))
            #expect(response.headers[.contentType]?.contains("yaml") == true)
        }
    }
}

/// No stream is ever accepted: this test only lists routes.
struct NoShows: LiveShows {
    func authorize(streamKey: String) async -> PublishDecision {
        .refuse(code: "NetStream.Publish.BadName", description: "")
    }
    func publisherGone(showID: UUID) async {}
    func simulcastTargets(showID: UUID) async -> [SimulcastTarget] { [] }
    func renditions(showID: UUID) async -> [Int] { [] }
}
