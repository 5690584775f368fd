import Foundation
import Logging
import ServiceLifecycle
import VitrineDomain
import VitrineMedia
import VitrineStore

extension Admin {
    public static let demoShowTitle = "Live démo : les essentiels de l’hiver"

    /// The demo brand's live show: the one already scheduled or live, or a new one starting in a
    /// minute with the first products of the catalog in its lineup. Returns its id.
    public static func demoShow(store: Store, brandID: UUID) async throws -> UUID {
        let scope = store.brand(brandID)
        for status in [ShowStatus.live, .scheduled] {
            let page = try await scope.shows(status: status, from: nil, to: nil, page: 1, perPage: 100)
            if let show = page.items.first(where: { $0.title == demoShowTitle }) { return show.id }
        }
        let products = try await scope.products(query: nil, status: .active, page: 1, perPage: 4).items
        var input = ShowInput(title: demoShowTitle)
        input.description =
            "Une émission de démonstration : une mire de test en direct, avec la sélection de la semaine."
        input.scheduledStart = Date().addingTimeInterval(60)
        input.durationMinutes = 240
        input.orientation = .vertical
        input.lineup = products.map { LineupInput(productId: $0.id) }
        return try await scope.createShow(input, by: nil).id
    }
}

/// `vitrine demo`'s live show: an ffmpeg test source (a moving test pattern and a tone, 9:16)
/// published over RTMP to this very server with the show's key, as OBS would; once it streams,
/// the show goes live. The feed is restarted if it stops, and stopped with the server.
struct DemoFeed: Service {
    let showID: UUID
    let store: Store
    let hub: LiveHub
    let rtmpPort: Int
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await feedOnce()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("demo feed failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(2))
            }
        }
    }

    func feedOnce() async throws {
        guard let (show, brand) = try await store.showForJob(showID), show.status == .scheduled || show.status == .live
        else {
            try await Task.sleep(for: .seconds(3600))
            return
        }
        let key = try await store.brand(brand.id).streamKey(showID)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ffmpeg", "-hide_banner", "-nostats", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=540x960:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:beep_factor=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-keyint_min", "25",
            "-sc_threshold", "0", "-b:v", "1200k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
            "-f", "flv", "rtmp://127.0.0.1:\(rtmpPort)/live/\(key)",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        logger.notice("demo feed started: a test pattern streams to the demo show", metadata: ["show": "\(showID)"])
        defer { if process.isRunning { process.terminate() } }
        var live = show.status == .live
        while process.isRunning {
            try await Task.sleep(for: .milliseconds(500))
            if !live, await hub.isPublishing(showID) {
                let scope = store.brand(brand.id)
                let updated = try await scope.transition(showID, .live, memberID: nil)
                await hub.goLive(showID: showID, at: updated.wentLiveAt ?? Date())
                live = true
                logger.notice("the demo show is live", metadata: ["show": "\(showID)"])
            }
        }
    }
}
