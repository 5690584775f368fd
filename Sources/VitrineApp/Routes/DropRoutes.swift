import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Flash drops of a show: the team makes them (producers), the host starts one live (its
/// countdown goes to every viewer at once) or closes it.
struct DropRoutes {
    let services: AppServices
    let showRoutes: ShowRoutes

    func register(on router: Router<AppRequestContext>) {
        let base = "/api/brands/{brandId}/shows/{showId}/drops"
        router.get(RouterPath(base), use: list)
        router.post(RouterPath(base), use: create)
        router.patch(RouterPath(base + "/{dropId}"), use: update)
        router.post(RouterPath(base + "/{dropId}/start"), use: start)
        router.post(RouterPath(base + "/{dropId}/close"), use: close)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<FlashDropView> {
        let scope = try await services.access.brand(context, .viewShows)
        let now = services.clock()
        return Items(
            items: try await scope.drops(showID: try context.parameters.id("showId")).map {
                FlashDropView($0, now: now)
            })
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .manageShows)
        let showID = try context.parameters.id("showId")
        let input = try await request.decode(as: FlashDropInput.self, context: context)
        let drop = try await scope.createDrop(showID: showID, input)
        await services.live.dropChanged(showID: showID)
        return try Response.created(FlashDropView(drop, now: services.clock()), context: context, request: request)
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> FlashDropView {
        let scope = try await services.access.brand(context, .manageShows)
        let showID = try context.parameters.id("showId")
        let input = try await request.decode(as: FlashDropInput.self, context: context)
        let drop = try await scope.updateDrop(try context.parameters.id("dropId"), showID: showID, input)
        await services.live.dropChanged(showID: showID)
        return FlashDropView(drop, now: services.clock())
    }

    struct StartInput: Decodable { var countdownSeconds: Int? }

    /// The host starts the countdown (10 s at least): every viewer sees it at once, and the drop's
    /// product is pinned at the media time now.
    @Sendable func start(request: Request, context: AppRequestContext) async throws -> FlashDropView {
        let showID = try context.parameters.id("showId")
        let scope = try await showRoutes.presenter(context, showID: showID)
        let input: StartInput =
            if let length = request.headers[.contentLength], length == "0" {
                StartInput(countdownSeconds: nil)
            } else {
                try await request.decode(as: StartInput.self, context: context)
            }
        let drop = try await scope.startDrop(
            try context.parameters.id("dropId"), showID: showID, countdownSeconds: input.countdownSeconds)
        await services.live.dropChanged(showID: showID, started: drop.productId)
        return FlashDropView(drop, now: services.clock())
    }

    @Sendable func close(request: Request, context: AppRequestContext) async throws -> FlashDropView {
        let showID = try context.parameters.id("showId")
        let scope = try await showRoutes.presenter(context, showID: showID)
        let drop = try await scope.closeDrop(try context.parameters.id("dropId"), showID: showID)
        await services.live.dropChanged(showID: showID)
        return FlashDropView(drop, now: services.clock())
    }
}

extension FlashDropView: ResponseEncodable {}
