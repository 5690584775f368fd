import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// The brand's pick-up stores: its team keeps them (brand settings); buyers choose one at
/// checkout (the player's boot data lists those turned on).
struct PickupStoreRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/pickup-stores", use: list)
        router.post("/api/brands/{brandId}/pickup-stores", use: create)
        router.get("/api/brands/{brandId}/pickup-stores/{storeId}", use: get)
        router.patch("/api/brands/{brandId}/pickup-stores/{storeId}", use: update)
        router.delete("/api/brands/{brandId}/pickup-stores/{storeId}", use: delete)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<PickupStore> {
        Items(items: try await services.access.brand(context, .viewBrand).pickupStores())
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> PickupStore {
        try await services.access.brand(context, .viewBrand).pickupStore(try context.parameters.id("storeId"))
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .editBrandSettings)
        let input = try await request.decode(as: PickupStoreInput.self, context: context)
        return try Response.created(try await scope.createPickupStore(input), context: context, request: request)
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> PickupStore {
        let scope = try await services.access.brand(context, .editBrandSettings)
        let input = try await request.decode(as: PickupStoreInput.self, context: context)
        return try await scope.updatePickupStore(try context.parameters.id("storeId"), input)
    }

    /// A store no order names is deleted (204); one an order names is turned off (200).
    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .editBrandSettings)
        guard let kept = try await scope.deletePickupStore(try context.parameters.id("storeId")) else {
            return Response(status: .noContent)
        }
        return try context.responseEncoder.encode(kept, from: request, context: context)
    }
}

extension PickupStore: ResponseEncodable {}
