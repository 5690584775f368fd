import Foundation
import Hummingbird
import VitrineMedia
import VitrineDomain
import VitrineStore

/// Shows of a brand: details, lineup, lifecycle, history and stream key.
struct ShowRoutes {
    let services: AppServices

    struct TransitionInput: Decodable { var event: ShowEvent }
    struct StreamKey: ResponseEncodable {
        /// OBS "Server" (custom service) and "Stream key".
        var server: String
        var streamKey: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/shows", use: list)
        router.post("/api/brands/{brandId}/shows", use: create)
        router.get("/api/brands/{brandId}/shows/{showId}", use: get)
        router.patch("/api/brands/{brandId}/shows/{showId}", use: update)
        router.post("/api/brands/{brandId}/shows/{showId}/transitions", use: transition)
        router.get("/api/brands/{brandId}/shows/{showId}/history", use: history)
        router.post("/api/brands/{brandId}/shows/{showId}/stream-key", use: revealKey)
        router.post("/api/brands/{brandId}/shows/{showId}/stream-key/rotate", use: rotateKey)
        router.get("/api/brands/{brandId}/shows/{showId}/feedback", use: feedback)
        router.get("/api/brands/{brandId}/shows/{showId}/registrations", use: registrations)
        router.get("/api/brands/{brandId}/shows/{showId}/stream", use: stream)
        router.get("/api/brands/{brandId}/shows/{showId}/destinations", use: destinations)
        router.post("/api/brands/{brandId}/shows/{showId}/destinations", use: addDestination)
        router.patch("/api/brands/{brandId}/shows/{showId}/destinations/{destinationId}", use: updateDestination)
        router.delete("/api/brands/{brandId}/shows/{showId}/destinations/{destinationId}", use: deleteDestination)
        router.get("/api/brands/{brandId}/shows/{showId}/guests", use: guests)
        router.post("/api/brands/{brandId}/shows/{showId}/guests", use: inviteGuest)
        router.delete("/api/brands/{brandId}/shows/{showId}/guests/{guestId}", use: revokeGuest)
    }

    struct StreamView: ResponseEncodable {
        var health: StreamHealth
        /// The team's preview (from the first frame received), the viewers' live edge, the whole show.
        var previewUrl: String
        var livePlaylistUrl: String
        var eventPlaylistUrl: String
        /// OBS "Server" (custom service).
        var server: String
    }

    /// The stream's health for the studio: connected or not, bitrate, frame rate, keyframe
    /// interval, audio, and what the host should fix.
    @Sendable func stream(request: Request, context: AppRequestContext) async throws -> StreamView {
        let scope = try await services.access.brand(context, .viewShows)
        let id = try context.parameters.id("showId")
        _ = try await scope.show(id)
        let health =
            await services.media.health(id)
            ?? StreamHealth(
                publishing: false, mediaTime: nil, bitrateKbps: 0, frameRate: 0, keyframeInterval: nil, audio: false,
                segments: 0, longestSegment: nil, packagerRestarts: 0, live: false, ended: false, warnings: [])
        let hls = "/hls/\(id.uuidString.lowercased())"
        return StreamView(
            health: health, previewUrl: "\(hls)/preview.m3u8", livePlaylistUrl: "\(hls)/live.m3u8",
            eventPlaylistUrl: "\(hls)/event.m3u8", server: rtmpServer)
    }

    // MARK: Simulcast destinations

    @Sendable func destinations(request: Request, context: AppRequestContext) async throws
        -> Items<SimulcastDestination>
    {
        let scope = try await services.access.brand(context, .manageShows)
        return Items(items: try await scope.destinations(showID: try context.parameters.id("showId")))
    }

    /// Adds a platform to stream to; its server must be on a public address. Takes effect at the
    /// encoder's next connection.
    @Sendable func addDestination(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .manageShows)
        let showID = try context.parameters.id("showId")
        _ = try await scope.show(showID)
        let input = try await request.decode(as: SimulcastDestinationInput.self, context: context)
        if let url = input.url { try await checkDestination(url) }
        let destination = try await scope.addDestination(showID: showID, input)
        return try .created(destination, context: context, request: request)
    }

    @Sendable func updateDestination(request: Request, context: AppRequestContext) async throws
        -> SimulcastDestination
    {
        let scope = try await services.access.brand(context, .manageShows)
        let showID = try context.parameters.id("showId")
        let id = try context.parameters.id("destinationId")
        try await scope.requireDestination(showID: showID, id: id)
        let input = try await request.decode(as: SimulcastDestinationInput.self, context: context)
        if let url = input.url { try await checkDestination(url) }
        return try await scope.updateDestination(showID: showID, id: id, input)
    }

    @Sendable func deleteDestination(request: Request, context: AppRequestContext) async throws
        -> HTTPResponse.Status
    {
        let scope = try await services.access.brand(context, .manageShows)
        try await scope.deleteDestination(
            showID: try context.parameters.id("showId"), id: try context.parameters.id("destinationId"))
        return .noContent
    }

    func checkDestination(_ url: String) async throws {
        // The form first (rtmp or rtmps, no credentials), then where it points.
        guard let parts = URLComponents(string: try BrandScope.destinationURL(url)), let host = parts.host else {
            return
        }
        let port = parts.port ?? (parts.scheme?.lowercased() == "rtmps" ? 443 : 1935)
        _ = try await OutboundAddress.publicAddress(
            host: host, port: port, allowPrivate: services.config.simulcastAllowPrivate)
    }

    struct GuestInput: Decodable {
        var email: String
        var name: String?
    }
    struct GuestInvited: ResponseEncodable {
        var guest: ShowGuest
        /// The guest's personal link: shown here once, and e-mailed when e-mail is configured.
        var link: String
        var emailed: Bool
    }

    @Sendable func guests(request: Request, context: AppRequestContext) async throws -> Items<ShowGuest> {
        let scope = try await services.access.brand(context, .viewAudience)
        return Items(items: try await scope.guests(showID: try context.parameters.id("showId")))
    }

    /// Invites a guest to a private show (or sends a guest a new link).
    @Sendable func inviteGuest(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .manageShows)
        let showID = try context.parameters.id("showId")
        _ = try await scope.show(showID)  // Another brand's show is 404 whatever the body.
        let input = try await request.decode(as: GuestInput.self, context: context)
        let (guest, token) = try await scope.inviteGuest(showID: showID, email: input.email, name: input.name)
        let show = try await scope.show(showID)
        let brand = try await scope.settings()
        let link =
            "\(services.config.publicURL)/b/\(brand.slug)/shows/\(show.id.uuidString.lowercased())?guest=\(token)"
        let emailed = try await services.mail.send(
            AudienceMail.guestInvitation(
                to: guest.email, name: guest.name, show: show, brand: brand, link: link,
                calendar: PublicShowRoutes.calendarText(brand: brand, shows: [show])),
            brandID: brand.id)
        return try .created(
            GuestInvited(guest: guest, link: link, emailed: emailed), context: context, request: request)
    }

    @Sendable func revokeGuest(request: Request, context: AppRequestContext) async throws -> ShowGuest {
        let scope = try await services.access.brand(context, .manageShows)
        return try await scope.revokeGuest(
            showID: try context.parameters.id("showId"), guestID: try context.parameters.id("guestId"))
    }

    @Sendable func registrations(request: Request, context: AppRequestContext) async throws -> RegistrantList {
        let scope = try await services.access.brand(context, .viewAudience)
        return try await scope.registrations(showID: try context.parameters.id("showId"))
    }

    @Sendable func feedback(request: Request, context: AppRequestContext) async throws -> FeedbackSummary {
        let scope = try await services.access.brand(context, .viewAudience)
        return try await scope.feedback(showID: try context.parameters.id("showId"))
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> ShowPage {
        let scope = try await services.access.brand(context, .viewShows)
        let query = request.uri.queryParameters
        let page = try CatalogRoutes.int(query["page"], field: "page", default: 1, range: 1...100_000)
        let perPage = try CatalogRoutes.int(query["perPage"], field: "perPage", default: 25, range: 1...100)
        let status = try request.enumQuery("status", as: ShowStatus.self)
        let from = try Self.date(query["from"], field: "from")
        let to = try Self.date(query["to"], field: "to")
        if let from, let to, from >= to {
            throw APIError(.badRequest, code: "invalid_query", message: "from must be before to.", field: "to")
        }
        return try await scope.shows(status: status, from: from, to: to, page: page, perPage: perPage)
    }

    static func date(_ text: Substring?, field: String) throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = try? Date(String(text), strategy: .iso8601) else {
            throw APIError(
                .badRequest, code: "invalid_query",
                message: "\(field) must be an ISO 8601 time such as 2026-12-03T18:00:00Z.",
                field: field)
        }
        return date
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .manageShows)
        let input = try await request.decode(as: ShowInput.self, context: context)
        let show = try await scope.createShow(input, by: try await memberID(context, scope: scope))
        return try .created(show, context: context, request: request)
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> Show {
        let scope = try await services.access.brand(context, .viewShows)
        return try await scope.show(try context.parameters.id("showId"))
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> Show {
        let scope = try await services.access.brand(context, .manageShows)
        let id = try context.parameters.id("showId")
        _ = try await scope.show(id)
        let input = try await request.decode(as: ShowInput.self, context: context)
        let before = try await scope.show(id)
        let show = try await scope.updateShow(id, input)
        if show.scheduledStart != before.scheduledStart {
            try await services.audience.rescheduleReminders(show)
            try await services.audience.notify(.rescheduled, show)
        }
        return show
    }

    @Sendable func transition(request: Request, context: AppRequestContext) async throws -> Show {
        let id = try context.parameters.id("showId")
        _ = try await services.access.member(context).show(id)
        let input = try await request.decode(as: TransitionInput.self, context: context)
        let scope: BrandScope
        switch input.event {
        case .live, .ended:
            scope = try await presenter(context, showID: id)
        case .scheduled, .cancelled, .replayPublished, .replayUnpublished:
            scope = try await services.access.brand(context, .manageShows)
        case .missed:
            throw APIError(
                .unprocessableContent, code: "invalid_field",
                message: "A show is marked missed by Vitrine itself, 30 minutes after its start.", field: "event")
        }
        let show = try await scope.transition(id, input.event, memberID: try await memberID(context, scope: scope))
        if show.status == .live {
            try await services.audience.announceLive(show)
            await services.media.goLive(showID: show.id, at: show.wentLiveAt ?? services.clock())
        }
        if show.status == .cancelled { try await services.audience.notify(.cancelled, show) }
        if show.status == .ended && input.event == .ended {
            // The encoder is cut off and the playlist closed: the replay plays within seconds.
            await services.media.end(showID: show.id)
            try await services.audience.announceEnded(show)
        }
        return show
    }

    @Sendable func history(request: Request, context: AppRequestContext) async throws -> Items<ShowHistoryEntry> {
        let scope = try await services.access.brand(context, .viewShows)
        return Items(items: try await scope.history(try context.parameters.id("showId")))
    }

    @Sendable func revealKey(request: Request, context: AppRequestContext) async throws -> StreamKey {
        let id = try context.parameters.id("showId")
        let scope = try await presenter(context, showID: id)
        return StreamKey(server: rtmpServer, streamKey: try await scope.streamKey(id))
    }

    @Sendable func rotateKey(request: Request, context: AppRequestContext) async throws -> StreamKey {
        let id = try context.parameters.id("showId")
        let scope = try await presenter(context, showID: id)
        let key = try await scope.rotateStreamKey(id)
        // Whoever streams with the old key is cut off at once.
        await services.media.cutPublisher(showID: id)
        return StreamKey(server: rtmpServer, streamKey: key)
    }

    /// The RTMP address OBS connects to (the ingest arrives with the live video issue).
    var rtmpServer: String {
        let host = URLComponents(string: services.config.publicURL)?.host ?? "localhost"
        let port = services.config.rtmpPort.map { $0 == 1935 ? "" : ":\($0)" } ?? ""
        return "rtmp://\(host)\(port)/live"
    }

    /// The brand, for someone who may present this show: producers and above, or one of its hosts.
    func presenter(_ context: AppRequestContext, showID: UUID) async throws -> BrandScope {
        let scope = try await services.access.brand(context, .presentShow)
        let show = try await scope.show(showID)
        if try await services.access.role(context, brandID: scope.brandID) == .host,
            try await !hosts(context, scope: scope, show: show)
        {
            throw APIError(.forbidden, code: "forbidden", message: "Only the hosts of this show may do this.")
        }
        return scope
    }

    /// Whether the caller is one of the show's hosts (and of its series': a show of a series shares
    /// the series' key, so its host must host the series too).
    func hosts(_ context: AppRequestContext, scope: BrandScope, show: Show) async throws -> Bool {
        guard let member = try await memberID(context, scope: scope), show.hosts.contains(member) else { return false }
        guard let seriesID = show.seriesId else { return true }
        return try await scope.series(seriesID).hosts.contains(member)
    }

    func memberID(_ context: AppRequestContext, scope: BrandScope) async throws -> UUID? {
        guard case .session(let session) = context.identity else { return nil }
        return try await scope.memberID(userID: session.user.id)
    }
}

extension Show: ResponseEncodable {}
extension FeedbackSummary: ResponseEncodable {}
extension RegistrantList: ResponseEncodable {}
extension ShowGuest: ResponseEncodable {}
extension SimulcastDestination: ResponseEncodable {}
extension ShowPage: ResponseEncodable {}
