import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import VitrineDomain
import VitrineLive
import VitrineStore

/// Realtime: the WebSocket of a show's room (viewers and team, `docs/realtime.md`), the timeline
/// a replay plays, and the team's exports and bans.
struct LiveRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.ws(
            "/api/live/shows/{showId}",
            shouldUpgrade: { request, context in
                guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                    throw APIError(
                        .badRequest, code: "not_websocket",
                        message: "Open this address as a WebSocket (docs/realtime.md).")
                }
                _ = try await admission(request, context)
                return .upgrade([:])
            },
            onUpgrade: { inbound, outbound, context in
                let admission = try await admission(context.request, context.requestContext)
                let outbox = try await Outbox(
                    channel: context.requestContext.channel, limit: services.config.live.outboxBytes)
                let connection = LiveConnection(
                    viewerID: admission.viewerID, ip: admission.ip, staff: admission.staff, outbox: outbox)
                try await serve(admission, connection: connection, inbound: inbound, outbound: outbound)
            })
        router.get("/api/brands/{brandId}/shows/{showId}/chat.csv", use: chatCSV)
        router.get("/api/brands/{brandId}/shows/{showId}/giveaways", use: giveaways)
        router.get("/api/brands/{brandId}/bans", use: bans)
        router.delete("/api/brands/{brandId}/bans/{banId}", use: liftBan)
    }

    struct Admission {
        var brandID: UUID
        var showID: UUID
        var viewerID: String
        var ip: String?
        var staff: StaffAccess?
        var name: String?
    }

    /// Who may open a show's room: anyone for a public show; for a private one, the signed token
    /// its viewers got with the video. Members of the brand logged in on this server's own pages
    /// (Origin checked) join as team, with their role's powers.
    func admission(_ request: Request, _ context: AppRequestContext) async throws -> Admission {
        let showID = try context.parameters.id("showId")
        guard let show = try await services.store.showAdmission(showID), BrandScope.isOpenToViewers(show.status)
        else { throw APIError.notFound }
        let query = request.uri.queryParameters
        let staff = try await staffAccess(request, context, brandID: show.brandID, showID: showID)
        if show.isPrivate && staff == nil {
            guard let token = query["token"].map(String.init),
                await services.mediaTokens.isValid(token, showID: showID, now: services.clock())
            else { throw APIError.notFound }
        }
        let requested = query["viewer"].map(String.init) ?? ""
        let viewerID = LiveConnection.isValidViewerID(requested) ? requested : LiveConnection.newViewerID()
        let name = query["name"].flatMap { try? ChatText.name(String($0)) }
        return Admission(
            brandID: show.brandID, showID: showID, viewerID: viewerID, ip: services.clientAddress(request, context),
            staff: staff, name: name)
    }

    func staffAccess(_ request: Request, _ context: AppRequestContext, brandID: UUID, showID: UUID) async throws
        -> StaffAccess?
    {
        guard case .session(let session) = context.identity, StudioRoutes.isOwnOrigin(request, services: services),
            let role = try await services.access.role(context, brandID: brandID)
        else { return nil }
        // Pins, polls and giveaways: whoever may present the show (`ShowRoutes.presenter`).
        let scope = services.store.brand(brandID)
        var canRun = role >= .producer
        if role == .host {
            canRun = try await ShowRoutes(services: services).hosts(context, scope: scope, show: scope.show(showID))
        }
        return StaffAccess(
            name: session.user.name, role: role, canModerate: role.allows(.moderateLive), canRun: canRun)
    }

    /// Reads the client's messages until the connection ends; the room writes to it directly.
    func serve(
        _ admission: Admission, connection: LiveConnection, inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter
    ) async throws {
        var room = try await services.live.room(brandID: admission.brandID, showID: admission.showID)
        // A room that went idle as this viewer arrived has stopped: the show gets a new one.
        while await !room.join(connection, name: admission.name) {
            room = try await services.live.room(brandID: admission.brandID, showID: admission.showID)
        }
        defer { Task { [room] in await room.leave(connection) } }
        // On graceful shutdown, viewers are told to reconnect (to another node, or to this one
        // once it is back) before the server closes their sockets.
        try await withGracefulShutdownHandler {
            try await read(inbound: inbound, outbound: outbound, connection: connection, room: room)
        } onGracefulShutdown: {
            connection.outbox.close(code: LiveProtocol.closeResync, reason: "server restarting: reconnect")
        }
    }

    func read(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, connection: LiveConnection, room: LiveRoom
    ) async throws {
        // Beyond the rate limits (which answer with an error), a viewer that keeps sending is closed.
        var flood = TokenBucket(perSecond: 20, burst: 40, now: Date().timeIntervalSince1970)
        let decoder = JSONDecoder()
        for try await message in inbound.messages(maxSize: LiveProtocol.maxClientFrame) {
            guard connection.staff != nil || flood.take(now: Date().timeIntervalSince1970) == nil else {
                return try await outbound.close(.policyViolation, reason: "too many messages")
            }
            guard case .text(let text) = message else {
                return try await outbound.close(.unacceptableData, reason: "binary frames are not part of the protocol")
            }
            // Frames up to the server's limit (the studio's video chunks) get here: a client message is small.
            guard text.utf8.count <= LiveProtocol.maxClientFrame else {
                return try await outbound.close(
                    .messageTooLarge, reason: "a message has at most \(LiveProtocol.maxClientFrame) bytes")
            }
            let request: LiveRequest
            do {
                request = try decoder.decode(LiveRequest.self, from: Data(text.utf8))
            } catch {
                connection.outbox.push(
                    Self.errorFrame(
                        code: "bad_json", message: "Each message is a JSON object with a \"type\" (docs/realtime.md)."))
                continue
            }
            await room.handle(request, from: connection)
        }
    }

    static func errorFrame(code: String, message: String) -> ByteBuffer {
        Outbox.frame(events: [
            (try? JSONEncoder().encode(["type": "error", "code": code, "message": message])) ?? Data()
        ])
    }

    // MARK: The team's routes

    @Sendable func chatCSV(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .viewAudience)
        let showID = try context.parameters.id("showId")
        let csv = try await scope.chatCSV(showID: showID)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"chat-\(showID.uuidString.lowercased()).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    @Sendable func giveaways(request: Request, context: AppRequestContext) async throws -> Items<GiveawayAudit> {
        let scope = try await services.access.brand(context, .viewAudience)
        return Items(items: try await scope.giveaways(showID: try context.parameters.id("showId")))
    }

    @Sendable func bans(request: Request, context: AppRequestContext) async throws -> Items<LiveBan> {
        let scope = try await services.access.brand(context, .moderateLive)
        return Items(items: try await scope.bans())
    }

    @Sendable func liftBan(request: Request, context: AppRequestContext) async throws -> LiveBan {
        let scope = try await services.access.brand(context, .moderateLive)
        let ban = try await scope.liftBan(try context.parameters.id("banId"))
        await services.live.banLifted(brandID: scope.brandID, id: ban.id)
        return ban
    }
}

extension GiveawayAudit: ResponseEncodable {}
extension LiveBan: ResponseEncodable {}
