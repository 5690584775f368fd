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
        // A rendition's files: `/hls/{showId}/r360/live.m3u8` (the router needs the same name at each level).
        router.get("/hls/{showId}/{file}/{part}", use: file)
        router.head("/hls/{showId}/{file}/{part}", use: file)
        router.get("/api/brands/{brandId}/shows/{showId}/replay.mp4", use: download)
    }

    /// The replay as one MP4 file for the brand (to edit, to archive, to post elsewhere): the
    /// segments from "Go live" to the end, remuxed by ffmpeg without re-encoding, made once.
    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .viewShows)
        let id = try context.parameters.id("showId")
        let show = try await scope.show(id)
        guard show.status == .ended else {
            throw APIError(
                .conflict, code: "replay_not_ready",
                message: "The show is \(show.status.rawValue): its replay exists once it has ended.")
        }
        let folder = "\(services.config.hlsDirectory)/\(id.uuidString.lowercased())"
        let event = folder + "/event.m3u8"
        let mp4 = folder + "/replay.mp4"
        guard let playlist = try? String(contentsOfFile: event, encoding: .utf8), playlist.contains("#EXT-X-ENDLIST")
        else {
            throw APIError(.notFound, code: "no_video", message: "No video was streamed live for this show.")
        }
        if !FileManager.default.fileExists(atPath: mp4) {
            try await Self.remux(folder: folder, into: mp4)
        }
        let safeTitle = show.title.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" }
        let name = String(String(safeTitle).prefix(80)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return Response(
            status: .ok,
            headers: [
                .contentType: "video/mp4", .cacheControl: "private, no-cache",
                .contentDisposition: "attachment; filename=\"\(name.isEmpty ? "replay" : name).mp4\"",
            ],
            body: try await FileIO().loadFile(path: mp4, context: context))
    }

    /// `event.m3u8` → `replay.mp4` (written aside, then renamed: a reader never sees half a file).
    static func remux(folder: String, into mp4: String) async throws {
        let temporary = "\(folder)/replay-\(UUID().uuidString).tmp.mp4"
        let status: Int32 = try await NIOThreadPool.singleton.runIfActive {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", "event.m3u8", "-map", "0",
                "-c", "copy", "-movflags", "+faststart", temporary,
            ]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw APIError(
                .internalServerError, code: "remux_failed", message: "The replay could not be made into an MP4 file.")
        }
        _ = try? FileManager.default.removeItem(atPath: mp4)
        try FileManager.default.moveItem(atPath: temporary, toPath: mp4)
    }

    enum Kind: Equatable {
        case livePlaylist, eventPlaylist, previewPlaylist, initSegment, mediaSegment
    }

    static func kind(_ name: String) -> Kind? {
        switch name {
        case "live.m3u8", "master.m3u8": return .livePlaylist
        case "event.m3u8", "master-replay.m3u8": return .eventPlaylist
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
        var name = try context.parameters.require("file")
        // A rendition's files live in its folder (`r720/`, `r360/`).
        if let part = context.parameters.get("part") {
            let rendition = name
            guard rendition.count <= 5, rendition.hasPrefix("r"), rendition.dropFirst().allSatisfy(\.isNumber),
                !rendition.dropFirst().isEmpty, !part.hasPrefix("master")
            else { throw APIError.notFound }
            name = "\(rendition)/\(part)"
        }
        guard let kind = Self.kind((name as NSString).lastPathComponent),
            let show = try await services.store.mediaAccess(showID: showID)
        else { throw APIError.notFound }
        let team = await isTeam(context, brandID: show.brandID)
        // A private show's viewers carry the signed token its public resource gave them.
        var token: String?
        if !team && show.format == .private {
            guard let given = request.uri.queryParameters["token"].map(String.init),
                await services.mediaTokens.isValid(given, showID: showID, now: services.clock())
            else {
                throw APIError(
                    .forbidden, code: "token_required",
                    message: "This show is private: its video needs the signed token its viewers are given.")
            }
            token = given
        }
        if !team {
            let viewable: Bool =
                switch kind {
                case .previewPlaylist: false
                case .livePlaylist: show.status == .live
                case .eventPlaylist, .initSegment, .mediaSegment: show.isWatchable
                }
            guard viewable else { throw APIError.notFound }
        }
        let path = "\(services.config.hlsDirectory)/\(showID.uuidString.lowercased())/\(name)"
        let playlist = kind == .livePlaylist || kind == .eventPlaylist || kind == .previewPlaylist
        var data: Data
        do {
            data = try await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: URL(fileURLWithPath: path)) }
        } catch {
            throw APIError.notFound
        }
        if playlist, let token {
            data = Data(MediaTokens.sign(playlist: String(decoding: data, as: UTF8.self), token: token).utf8)
        }
        let shared = show.format == .public && show.isWatchable
        var headers: HTTPFields = [
            .contentType: playlist
                ? "application/vnd.apple.mpegurl" : kind == .initSegment ? "video/mp4" : "video/iso.segment",
            .accessControlAllowOrigin: "*",
            .cacheControl: playlist
                ? "no-cache"
                : (shared ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable"),
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
