import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Recurring shows: the rule, the shared details, and the series' stream key.
struct SeriesRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/series", use: list)
        router.post("/api/brands/{brandId}/series", use: create)
        router.get("/api/brands/{brandId}/series/{seriesId}", use: get)
        router.patch("/api/brands/{brandId}/series/{seriesId}", use: update)
        router.post("/api/brands/{brandId}/series/{seriesId}/stream-key", use: revealKey)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<Series> {
        Items(items: try await services.access.brand(context, .viewShows).allSeries())
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .manageShows)
        let input = try await request.decode(as: SeriesInput.self, context: context)
        return try .created(try await scope.createSeries(input), context: context, request: request)
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> Series {
        try await services.access.brand(context, .viewShows).series(try context.parameters.id("seriesId"))
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> Series {
        let scope = try await services.access.brand(context, .manageShows)
        let id = try context.parameters.id("seriesId")
        _ = try await scope.series(id)
        let input = try await request.decode(as: SeriesInput.self, context: context)
        return try await scope.updateSeries(id, input)
    }

    /// The key OBS keeps for every show of the series: producers, or hosts of the series.
    @Sendable func revealKey(request: Request, context: AppRequestContext) async throws -> ShowRoutes.StreamKey {
        let scope = try await services.access.brand(context, .presentShow)
        let id = try context.parameters.id("seriesId")
        let series = try await scope.series(id)
        if try await services.access.role(context, brandID: scope.brandID) == .host {
            guard case .session(let session) = context.identity,
                let member = try await scope.memberID(userID: session.user.id), series.hosts.contains(member)
            else {
                throw APIError(.forbidden, code: "forbidden", message: "Only the hosts of this series may do this.")
            }
        }
        return ShowRoutes.StreamKey(
            server: ShowRoutes(services: services).rtmpServer, streamKey: try await scope.seriesStreamKey(id))
    }
}

extension Series: ResponseEncodable {}
