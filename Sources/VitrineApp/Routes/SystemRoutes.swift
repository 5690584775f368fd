import Foundation
import Hummingbird
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
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }

    @Sendable func openAPI(request: Request, context: AppRequestContext) async throws -> Response {
        try WebAssets.file("openapi.yaml", contentType: "application/yaml; charset=utf-8")
    }
}

/// Files shipped in the package's resources (`Sources/VitrineApp/Resources`).
enum WebAssets {
    static let root: String = {
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
