import Foundation
import Logging
import ServiceLifecycle
import VitrineDomain
import VitrineMedia
import VitrineStore

/// The application's side of live video: stream keys and shows come from the database, and a show
/// whose encoder does not come back within the grace period is ended (its replay then published
/// if the show says so).
struct AppLiveShows: LiveShows {
    let store: Store
    let audience: Audience
    let logger: Logger

    func authorize(streamKey: String) async -> PublishDecision {
        do {
            switch try await store.showForStreamKey(streamKey) {
            case .unknown:
                return .refuse(code: "NetStream.Publish.BadName", description: "Unknown or revoked stream key.")
            case .notStreamable(let reason):
                return .refuse(code: "NetStream.Publish.BadName", description: reason)
            case .show(_, let showID, let liveSince):
                return .accept(showID: showID, liveSince: liveSince)
            }
        } catch {
            logger.error("stream key lookup failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return .refuse(code: "NetStream.Publish.Failed", description: "The server cannot check the key now.")
        }
    }

    func simulcastTargets(showID: UUID) async -> [SimulcastTarget] {
        (try? await store.simulcastTargets(showID: showID).map {
            SimulcastTarget(id: $0.id, name: $0.name, url: $0.url)
        })
            ?? []
    }

    /// 720p and 360p beside the source when the brand asked for renditions.
    func renditions(showID: UUID) async -> [Int] {
        guard let (_, brand) = try? await store.showForJob(showID), brand.renditions else { return [] }
        return [720, 360]
    }

    func publisherGone(showID: UUID) async {
        do {
            guard let (show, brand) = try await store.showForJob(showID), show.status == .live else { return }
            let ended = try await store.brand(brand.id).transition(showID, .ended, memberID: nil)
            try await audience.announceEnded(ended)
        } catch {
            logger.error("ending a show whose encoder left failed", metadata: ["show": "\(showID)"])
        }
    }
}

/// Runs the RTMP ingest with the server, and stops every encoder and ffmpeg on shutdown.
struct IngestService: Service {
    let server: RTMPServer
    let hub: LiveHub
    let store: Store

    func run() async throws {
        // Shows left live by a stopped or crashed server: their encoders get the grace period to
        // come back, else the shows end.
        if let live = try? await store.liveShows() { await hub.adoptLiveShows(live) }
        try? await cancelWhenGracefulShutdown {
            try await server.run()
        }
        await hub.shutdown()
    }
}
