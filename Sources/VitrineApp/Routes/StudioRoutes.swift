import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import VitrineDomain
import VitrineMedia
import VitrineStore

/// Going live from the browser: the studio's go-live page captures camera and microphone and
/// sends MediaRecorder's WebM chunks over an authenticated WebSocket to the show's packager.
struct StudioRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.get("/studio/{showId}", use: { _, _ in try WebAssets.page("studio/studio.html") })
        router.get("/studio/{showId}/go-live", use: { _, _ in try WebAssets.page("studio/go-live.html") })
        router.webSocket("/api/brands/{brandId}/shows/{showId}/ingest") { request, context in
            try await authorize(request, context)
            return .stream { inbound, outbound in
                try await stream(inbound: inbound, outbound: outbound, context: context)
            }
        }
    }

    /// Only the show's presenters, logged in, from a page of this server (Origin checked), while
    /// the show is scheduled or live.
    func authorize(_ request: Request, _ context: AppRequestContext) async throws {
        // Another brand's show is 404 first, whoever asks; then people only, from our own pages.
        let showID = try context.parameters.id("showId")
        let scope = try await ShowRoutes(services: services).presenter(context, showID: showID)
        guard case .session = context.identity else {
            throw APIError(.forbidden, code: "forbidden", message: "The studio streams for a logged-in person only.")
        }
        guard Self.isOwnOrigin(request, services: services) else {
            throw APIError(.forbidden, code: "bad_origin", message: "The studio connects from this server's own pages.")
        }
        let show = try await scope.show(showID)
        guard show.status == .scheduled || show.status == .live else {
            throw APIError(
                .conflict, code: "invalid_transition",
                message: "This show is \(show.status.rawValue): it cannot be streamed.")
        }
    }

    /// Whether a WebSocket comes from a page of this server (the `Origin` header browsers send):
    /// another site cannot open a team member's socket with their cookie.
    static func isOwnOrigin(_ request: Request, services: AppServices) -> Bool {
        let origin = request.headers[.origin] ?? ""
        let host = request.head.authority ?? ""
        let publicOrigin = URLComponents(string: services.config.publicURL).map {
            "\($0.scheme ?? "http")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")"
        }
        return !origin.isEmpty && (origin == publicOrigin || origin == "http://\(host)" || origin == "https://\(host)")
    }

    struct Hello: Decodable { var mimeType: String }

    func stream(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: AppRequestContext
    ) async throws {
        let showID = try context.parameters.id("showId")
        var attached: (publisher: UUID, stream: LiveStream)?
        defer {
            if let attached {
                let hub = services.media
                Task { await hub.publisherLeft(showID: showID, publisher: attached.publisher) }
            }
        }
        for try await message in inbound.messages(maxSize: 8 << 20) {
            switch message {
            case .text(let text):
                guard attached == nil else { continue }
                guard let hello = try? JSONDecoder().decode(Hello.self, from: Data(text.utf8)) else {
                    try await outbound.close(.unacceptableData, reason: "first send {\"mimeType\": …}")
                    return
                }
                let type = hello.mimeType.lowercased()
                let copyVideo = type.contains("h264") || type.contains("avc1")
                let show = try await services.store.showForJob(showID)?.0
                let outcome = await services.media.publishBrowser(
                    showID: showID, liveSince: show?.status == .live ? show?.wentLiveAt : nil, copyVideo: copyVideo,
                    cut: { Task { try? await outbound.close(.goingAway, reason: "stopped by the server") } })
                switch outcome {
                case .accepted(_, let publisher, let stream):
                    attached = (publisher, stream)
                    try await outbound.write(.text("{\"status\":\"publishing\",\"transcoding\":\(!copyVideo)}"))
                case .refused(_, let description):
                    try await outbound.write(
                        .text(String(decoding: try JSONEncoder().encode(["error": description]), as: UTF8.self)))
                    try await outbound.close(.policyViolation, reason: "refused")
                    return
                }
            case .binary(let chunk):
                guard let attached else { continue }
                guard await attached.stream.writeBrowserChunk(chunk) else {
                    try await outbound.close(.unexpectedServerError, reason: "the packager stopped: reconnect")
                    return
                }
            }
        }
    }
}
