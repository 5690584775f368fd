import Foundation
import Hummingbird
import NIOCore
import VitrineDomain
import VitrineStore

/// What viewers may know of a brand's public shows, and calendar files to add them.
struct PublicShowRoutes {
    let services: AppServices
    let publicRoutes: PublicRoutes

    /// A show as its public page shows it: no hosts, stream key, access code or history.
    struct PublicShow: ResponseEncodable {
        var id: UUID
        var title: String
        var description: String
        var coverUrl: String?
        var language: String
        var scheduledStart: Date?
        var durationMinutes: Int
        var orientation: Orientation
        var status: ShowStatus
        var replayAvailable: Bool
        /// When the show went live (null before).
        var wentLiveAt: Date?
        var calendarUrl: String
        /// The HLS playlist to play: the live edge while live, the whole show once its replay is published.
        var playlistUrl: String?
        /// The show's realtime WebSocket (chat, pins, polls: `docs/realtime.md`).
        var realtimeUrl: String

        init(_ show: Show, slug: String) {
            id = show.id
            title = show.title
            description = show.description
            coverUrl = show.coverUrl
            language = show.language
            scheduledStart = show.scheduledStart
            durationMinutes = show.durationMinutes
            orientation = show.orientation
            status = show.status
            replayAvailable = show.status == .ended && show.replayPublished
            wentLiveAt = show.wentLiveAt
            calendarUrl = "/api/public/brands/\(slug)/shows/\(show.id.uuidString.lowercased())/calendar.ics"
            let hls = "/hls/\(show.id.uuidString.lowercased())"
            realtimeUrl = "/api/live/shows/\(show.id.uuidString.lowercased())"
            playlistUrl =
                show.format == .public
                ? (show.status == .live ? "\(hls)/live.m3u8" : replayAvailable ? "\(hls)/event.m3u8" : nil) : nil
        }
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/public/brands/{slug}/shows", use: list)
        router.get("/api/public/brands/{slug}/shows/{showId}", use: get)
        router.get("/api/public/brands/{slug}/shows/{showId}/calendar.ics", use: showCalendar)
        router.get("/api/public/brands/{slug}/calendar.ics", use: feed)
        router.get("/api/public/brands/{slug}/shows/{showId}/timeline", use: timeline)
    }

    /// What happened in the show's room, in order, as the events viewers received (chat, pins,
    /// announcements, polls…), each with its `at`: a replay shows them as its video reaches them.
    @Sendable func timeline(request: Request, context: AppRequestContext) async throws -> Response {
        let (show, _) = try await show(request, context)
        guard show.status == .live || show.status == .ended else { throw APIError.notFound }
        let items = try await services.store.brand(try await publicRoutes.brandID(context)).timeline(showID: show.id)
        var body = ByteBuffer(string: "{\"items\":[")
        for (index, item) in items.enumerated() {
            if index > 0 { body.writeString(",") }
            body.writeString(item.json)
        }
        body.writeString("]}")
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<PublicShow> {
        let slug = try context.parameters.require("slug")
        let scope = services.store.brand(try await publicRoutes.brandID(context))
        // Upcoming and live shows; a live show may have started up to a day ago. With
        // `?replays=true`, also the published replays of the last 90 days, newest first, after them.
        let replays = request.uri.queryParameters["replays"] == "true"
        let shows = try await scope.publicShows(pastDays: replays ? 90 : 1)
        let dayAgo = services.clock().addingTimeInterval(-86400)
        let upcoming = shows.filter {
            ($0.status == .scheduled || $0.status == .live) && ($0.scheduledStart ?? dayAgo) >= dayAgo
        }
        let published = replays ? shows.filter { $0.status == .ended && $0.replayPublished }.reversed() : []
        return Items(items: (upcoming + published).map { PublicShow($0, slug: slug) })
    }

    /// A public show, or a private one opened with `?guest=` (a guest's link) or `?code=` (its access code).
    func show(_ request: Request, _ context: AppRequestContext) async throws -> (Show, Brand) {
        let scope = services.store.brand(try await publicRoutes.brandID(context))
        let query = request.uri.queryParameters
        guard
            let show = try await viewable(
                scope, id: try context.parameters.id("showId"), guest: query["guest"].map(String.init),
                code: query["code"].map(String.init), context: context)
        else { throw APIError.notFound }
        return (show, try await scope.settings())
    }

    /// `scope.viewableShow`, with wrong guest links and access codes counted per address: after too
    /// many, 429, so that a short access code cannot be guessed.
    func viewable(_ scope: BrandScope, id: UUID, guest: String?, code: String?, context: AppRequestContext)
        async throws -> Show?
    {
        let tried = !(guest ?? "").isEmpty || !(code ?? "").isEmpty
        let keys = ["show-access-ip:" + (context.remoteAddress?.ipAddress ?? "unknown")]
        if tried { try await services.limiter.refuseIfLimited(keys: keys, what: "attempts") }
        let show = try await scope.viewableShow(id, guestToken: guest, accessCode: code)
        if show == nil && tried { await services.limiter.recordFailure(keys: keys) }
        return show
    }

    /// The master playlist (source and lower renditions) instead of the source's, when the show has one.
    func withRenditions(_ playlist: String, show: Show) -> String {
        let master = playlist.hasSuffix("/live.m3u8") ? "master.m3u8" : "master-replay.m3u8"
        let path = "\(services.config.hlsDirectory)/\(show.id.uuidString.lowercased())/\(master)"
        guard FileManager.default.fileExists(atPath: path) else { return playlist }
        return (playlist as NSString).deletingLastPathComponent + "/" + master
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> PublicShow {
        let (show, _) = try await show(request, context)
        return try await view(show, slug: try context.parameters.require("slug"))
    }

    /// The show as viewers get it: the master playlist when there are renditions, and for a private
    /// show (opened with its guest link or code) the room and video with a signed token.
    func view(_ show: Show, slug: String) async throws -> PublicShow {
        var view = PublicShow(show, slug: slug)
        view.playlistUrl = view.playlistUrl.map { withRenditions($0, show: show) }
        if show.format == .private {
            // The guest link or the access code opened it: its room, and its video once there is
            // one, come with a signed token.
            let token = try await services.mediaTokens.token(showID: show.id, now: services.clock())
            view.realtimeUrl += "?token=\(token)"
            if show.status == .live || view.replayAvailable {
                let hls = "/hls/\(show.id.uuidString.lowercased())"
                view.playlistUrl =
                    withRenditions("\(hls)/\(show.status == .live ? "live" : "event").m3u8", show: show)
                    + "?token=\(token)"
            }
        }
        return view
    }

    @Sendable func showCalendar(request: Request, context: AppRequestContext) async throws -> Response {
        let (show, brand) = try await show(request, context)
        return calendar(brand: brand, shows: [show], filename: "show.ics")
    }

    @Sendable func feed(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = services.store.brand(try await publicRoutes.brandID(context))
        return calendar(brand: try await scope.settings(), shows: try await scope.publicShows(), filename: "shows.ics")
    }

    func calendar(brand: Brand, shows: [Show], filename: String) -> Response {
        let text = Self.calendarText(brand: brand, shows: shows)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/calendar; charset=utf-8",
                .contentDisposition: "inline; filename=\"\(filename)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The iCalendar text of shows (also attached to e-mails about a moved or cancelled show).
    static func calendarText(brand: Brand, shows: [Show]) -> String {
        let events = shows.compactMap { show -> ICalendar.Event? in
            guard let start = show.scheduledStart else { return nil }
            return ICalendar.Event(
                uid: "\(show.id.uuidString.lowercased())@vitrine", start: start,
                end: start.addingTimeInterval(Double(show.durationMinutes) * 60), summary: show.title,
                description: show.description, url: nil, sequence: show.sequence,
                cancelled: show.status == .cancelled || show.status == .missed, stamp: show.updatedAt)
        }
        return ICalendar.calendar(name: brand.name, events: events)
    }
}
