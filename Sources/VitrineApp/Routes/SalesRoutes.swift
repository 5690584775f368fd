import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// What shows sell: the studio's and the admin's sales panel, and the add-to-cart events the
/// player records for hand-off brands (their own shop keeps the cart; Vitrine keeps attribution).
struct SalesRoutes {
    let services: AppServices
    let orders: OrderRoutes

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/shows/{showId}/sales", use: sales)
        router.post("/api/public/brands/{slug}/cart-events", use: cartEvent)
    }

    @Sendable func sales(request: Request, context: AppRequestContext) async throws -> ShowSales {
        try await services.access.brand(context, .viewShows).showSales(try context.parameters.id("showId"))
    }

    /// One add-to-cart of the player in hand-off mode (202; nothing to answer).
    @Sendable func cartEvent(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await orders.cartScope(context)
        let input = try await request.decode(as: CartEventInput.self, context: context)
        try await scope.recordCartEvent(input)
        return Response(status: .accepted)
    }
}

extension ShowSales: ResponseEncodable {}
