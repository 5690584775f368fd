import Foundation
import Hummingbird
import VitrineMedia
import Prometheus
import VitrineStore

/// Health, metrics, the API document and the static web pages.
struct SystemRoutes {
    let services: AppServices
    let metrics: HTTPMetrics

    struct Health: ResponseEncodable {
        var status: String
        var database: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/metrics", use: prometheus)
        router.get("/api/openapi.yaml", use: openAPI)
        router.get("/", use: { _, _ in Response(status: .seeOther, headers: [.location: "/admin/"]) })
        router.get("/invite/{token}", use: { _, _ in try WebAssets.page("invite/index.html") })
        router.get("/reset/{token}", use: { _, _ in try WebAssets.page("reset/index.html") })
    }

    @Sendable func health(request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await services.store.ping()
            return try Health(status: "ok", database: "ok").response(from: request, context: context)
        } catch {
            context.logger.error("health check failed: database unreachable")
            var response = try Health(status: "unavailable", database: "unreachable").response(
                from: request, context: context)
            response.status = .serviceUnavailable
            return response
        }
    }

    @Sendable func prometheus(request: Request, context: AppRequestContext) async throws -> Response {
        var buffer = ByteBuffer(bytes: metrics.registry.emitToBuffer())
        buffer.writeString(Self.streamMetrics(await services.media.publishingHealth()))
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: buffer))
    }

    /// The live streams' health in Prometheus' text format, one series per show being streamed.
    static func streamMetrics(_ streams: [(UUID, StreamHealth)]) -> String {
        var text = "# HELP vitrine_live_publishers Encoders streaming to this node.\n"
        text += "# TYPE vitrine_live_publishers gauge\nvitrine_live_publishers \(streams.count)\n"
        let series: [(String, String, (StreamHealth) -> Double?)] = [
            ("vitrine_stream_input_bitrate_kbps", "Audio and video received, last 5 s.", { $0.bitrateKbps }),
            ("vitrine_stream_frame_rate", "Video frames per second received, last 5 s.", { $0.frameRate }),
            ("vitrine_stream_keyframe_interval_seconds", "Seconds between keyframes.", { $0.keyframeInterval }),
            ("vitrine_stream_audio", "1 when audio arrived in the last 5 s.", { $0.audio ? 1 : 0 }),
            ("vitrine_stream_segments", "Segments written for the show.", { Double($0.segments) }),
            (
                "vitrine_stream_late_segments", "Segments more than 2 s later than expected.",
                { Double($0.lateSegments) }
            ),
            (
                "vitrine_stream_packager_restarts", "Times the show's ffmpeg died and was restarted.",
                {
                    Double($0.packagerRestarts)
                }
            ),
        ]
        for (name, help, value) in series {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for (show, health) in streams {
                if let number = value(health) {
                    text += "\(name){show=\"\(show.uuidString.lowercased())\"} \(number)\n"
                }
            }
        }
        return text
    }

    @Sendable func openAPI(request: Request, context: AppRequestContext) async throws -> Response {
        try WebAssets.file("openapi.yaml", contentType: "application/yaml; charset=utf-8")
    }
}

/// Files shipped in the package's resources (`Sources/VitrineApp/Resources`).
/// `VITRINE_WEB_RESOURCES=Sources/VitrineApp/Resources` serves them from a checkout instead, so that
/// work on the pages' HTML, CSS and JavaScript needs no rebuild.
enum WebAssets {
    static let root: String = {
        if let folder = ProcessInfo.processInfo.environment["VITRINE_WEB_RESOURCES"], !folder.isEmpty {
            return URL(fileURLWithPath: folder).standardizedFileURL.path
        }
        let url =
            Bundle.module.url(forResource: "Resources", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Resources")
        return url.path
    }()
    static var webRoot: String { root + "/Web" }

    static func file(_ name: String, contentType: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: root + "/" + name) else { throw APIError.notFound }
        return Response(
            status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func page(_ name: String) throws -> Response {
        try file("Web/" + name, contentType: "text/html; charset=utf-8")
    }
}
