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
        // The socket itself runs on SwiftNIO (`LiveSocketHandler`, through `AppServerChannel`).
        router.webSocket("/api/live/shows/{showId}") { request, context in
            .live(try await admission(request, context))
        }
        router.get("/api/brands/{brandId}/shows/{showId}/chat.csv", use: chatCSV)
        router.get("/api/brands/{brandId}/shows/{showId}/giveaways", use: giveaways)
        router.get("/api/brands/{brandId}/shows/{showId}/reports", use: reports)
        router.get("/api/brands/{brandId}/bans", use: bans)
        router.delete("/api/brands/{brandId}/bans/{banId}", use: liftBan)
    }

    /// Who may open a show's room: anyone for a public show; for a private one, the signed token
    /// its viewers got with the video. Members of the brand logged in on this server's own pages
    /// (Origin checked) join as team, with their role's powers.
    func admission(_ request: Request, _ context: AppRequestContext) async throws -> LiveAdmission {
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
        let ip = services.clientAddress(request, context)
        if staff == nil, let wait = await services.live.admit(address: ip) {
            var error = APIError(
                .tooManyRequests, code: "rate_limited",
                message: "Too many connections from your network; try again in a few seconds.")
            error.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            throw error
        }
        let requested = query["viewer"].map(String.init) ?? ""
        let viewerID = LiveConnection.isValidViewerID(requested) ? requested : LiveConnection.newViewerID()
        let name = query["name"].flatMap { try? ChatText.name(String($0)) }
        return LiveAdmission(
            brandID: show.brandID, showID: showID, viewerID: viewerID, ip: ip,
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

    @Sendable func reports(request: Request, context: AppRequestContext) async throws -> Items<ReportedMessage> {
        let scope = try await services.access.brand(context, .moderateLive)
        return Items(items: try await scope.reports(showID: try context.parameters.id("showId")))
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
extension ReportedMessage: ResponseEncodable {}
