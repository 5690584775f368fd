import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import VitrineDomain
import VitrineStore

/// The HLS files of shows: `/hls/{showId}/live.m3u8` (live edge), `event.m3u8` (the whole show,
/// then the replay), `preview.m3u8` (the team's preview before "Go live"), init and media
/// segments. Playlists are never cached; segments are immutable (a CDN keeps them for ever).
/// Viewers get a public show's playlists while it is live, and its replay once published; the
/// brand's team gets everything, preview included.
struct MediaRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.get("/hls/{showId}/{file}", use: file)
        router.head("/hls/{showId}/{file}", use: file)
    }

    enum Kind: Equatable {
        case livePlaylist, eventPlaylist, previewPlaylist, initSegment, mediaSegment
    }

    static func kind(_ name: String) -> Kind? {
        switch name {
        case "live.m3u8": return .livePlaylist
        case "event.m3u8": return .eventPlaylist
        case "preview.m3u8": return .previewPlaylist
        default: break
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let stem = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let digits = { (text: Substring) in
            !text.isEmpty && text.count <= 9 && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber)
        }
        if parts[1] == "mp4", stem.count == 2, stem[0] == "init", digits(stem[1]) { return .initSegment }
        if parts[1] == "m4s", stem.count == 3, stem[0] == "seg", digits(stem[1]), digits(stem[2]) {
            return .mediaSegment
        }
        return nil
    }

    @Sendable func file(request: Request, context: AppRequestContext) async throws -> Response {
        let showID = try context.parameters.id("showId")
        let name = try context.parameters.require("file")
        guard let kind = Self.kind(name), let (show, brand) = try await services.store.showForJob(showID) else {
            throw APIError.notFound
        }
        let team = await isTeam(context, brandID: brand.id)
        if !team {
            let viewable: Bool =
                switch kind {
                case .previewPlaylist: false
                case .livePlaylist: show.format == .public && show.status == .live
                case .eventPlaylist, .initSegment, .mediaSegment:
                    show.format == .public && (show.status == .live || (show.status == .ended && show.replayPublished))
                }
            guard viewable else { throw APIError.notFound }
        }
        let path = "\(services.config.hlsDirectory)/\(showID.uuidString.lowercased())/\(name)"
        let playlist = kind == .livePlaylist || kind == .eventPlaylist || kind == .previewPlaylist
        let data: Data
        do {
            data = try await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: URL(fileURLWithPath: path)) }
        } catch {
            throw APIError.notFound
        }
        var headers: HTTPFields = [
            .contentType: playlist
                ? "application/vnd.apple.mpegurl" : kind == .initSegment ? "video/mp4" : "video/iso.segment",
            .accessControlAllowOrigin: "*",
            .cacheControl: playlist
                ? "no-cache"
                : (team && !(show.status == .ended && show.replayPublished) && show.status != .live
                    ? "private, max-age=31536000, immutable" : "public, max-age=31536000, immutable"),
            .acceptRanges: "bytes",
        ]
        if !playlist, let range = request.headers[.range], let (start, end) = Self.range(range, size: data.count) {
            headers[.contentRange] = "bytes \(start)-\(end)/\(data.count)"
            return Response(
                status: .partialContent, headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: data[start...end])))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX`, within `size`; nil otherwise (whole file).
    static func range(_ header: String, size: Int) -> (Int, Int)? {
        guard header.hasPrefix("bytes="), !header.contains(","), size > 0 else { return nil }
        let parts = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return nil }
            return (max(0, size - suffix), size - 1)
        }
        guard let start = Int(parts[0]), start < size else { return nil }
        let end = parts[1].isEmpty ? size - 1 : min(Int(parts[1]) ?? -1, size - 1)
        guard end >= start else { return nil }
        return (start, end)
    }

    /// A member of the brand logged in (the studio, the admin app): may see everything of its shows.
    func isTeam(_ context: AppRequestContext, brandID: UUID) async -> Bool {
        guard case .session = context.identity else { return false }
        return (try? await services.access.brand(brandID, context, .viewShows)) != nil
    }
}
