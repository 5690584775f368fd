import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Promotions: the brand's codes and shows' automatic offers (catalog rights), and the code a
/// viewer puts on their cart.
struct PromotionRoutes {
    let services: AppServices
    let orders: OrderRoutes

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/promotions", use: list)
        router.post("/api/brands/{brandId}/promotions", use: create)
        router.get("/api/brands/{brandId}/promotions/{promotionId}", use: get)
        router.patch("/api/brands/{brandId}/promotions/{promotionId}", use: update)
        router.delete("/api/brands/{brandId}/promotions/{promotionId}", use: delete)
        router.put("/api/public/brands/{slug}/cart/promotion", use: setCartCode)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<PromotionView> {
        Items(items: try await services.access.brand(context, .viewCatalog).promotions())
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> PromotionView {
        try await services.access.brand(context, .viewCatalog).promotion(try context.parameters.id("promotionId"))
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .editCatalog)
        let input = try await request.decode(as: PromotionInput.self, context: context)
        return try Response.created(try await scope.createPromotion(input), context: context, request: request)
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> PromotionView {
        let scope = try await services.access.brand(context, .editCatalog)
        let input = try await request.decode(as: PromotionInput.self, context: context)
        return try await scope.updatePromotion(try context.parameters.id("promotionId"), input)
    }

    /// A promotion never used is deleted (204); one that was is turned off (200, as it is now).
    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .editCatalog)
        guard let kept = try await scope.deletePromotion(try context.parameters.id("promotionId")) else {
            return Response(status: .noContent)
        }
        return try context.responseEncoder.encode(kept, from: request, context: context)
    }

    struct CodeInput: Decodable { var code: String? }

    @Sendable func setCartCode(request: Request, context: AppRequestContext) async throws -> Cart {
        let scope = try await orders.cartScope(context)
        guard let token = request.headers[OrderRoutes.cartHeader] else { throw APIError.notFound }
        let input = try await request.decode(as: CodeInput.self, context: context)
        return try await scope.setCartPromotion(token: token, code: input.code.map { String($0.prefix(64)) })
    }
}

extension PromotionView: ResponseEncodable {}
