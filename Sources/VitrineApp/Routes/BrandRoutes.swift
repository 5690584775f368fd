import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Brands a person belongs to, creating a brand, and its settings.
struct BrandRoutes {
    let services: AppServices

    struct CreateInput: Decodable {
        var name: String
        var slug: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands", use: list)
        router.post("/api/brands", use: create)
        router.get("/api/brands/{brandId}", use: get)
        router.patch("/api/brands/{brandId}", use: update)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<Membership> {
        let session = try services.access.session(context)
        return Items(items: try await services.store.memberships(userID: session.user.id))
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let session = try services.access.session(context)
        let input = try await request.decode(as: CreateInput.self, context: context)
        let brand = try await services.store.createBrand(name: input.name, slug: input.slug, ownerID: session.user.id)
        return try .created(brand, context: context, request: request)
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> Brand {
        try await services.access.brand(context, .viewBrand).settings()
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> Brand {
        let scope = try await services.access.brand(context, .editBrandSettings)
        let change = try await request.decode(as: BrandSettingsChange.self, context: context)
        return try await scope.updateSettings(change)
    }
}

extension Brand: ResponseEncodable {}
extension Member: ResponseEncodable {}
extension Product: ResponseEncodable {}
extension Variant: ResponseEncodable {}
extension ProductPage: ResponseEncodable {}
