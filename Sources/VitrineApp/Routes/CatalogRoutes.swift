import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Products, variants, bulk stock and CSV imports of a brand.
struct CatalogRoutes {
    let services: AppServices

    struct StockInput: Decodable {
        struct Item: Decodable {
            var sku: String
            var quantity: Int
        }
        var items: [Item]
    }
    struct StockResult: ResponseEncodable { var updated: Int }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/products", use: list)
        router.post("/api/brands/{brandId}/products", use: create)
        router.get("/api/brands/{brandId}/products/{productId}", use: get)
        router.patch("/api/brands/{brandId}/products/{productId}", use: update)
        router.post("/api/brands/{brandId}/products/{productId}/archive", use: archive)
        router.post("/api/brands/{brandId}/products/{productId}/variants", use: addVariant)
        router.patch("/api/brands/{brandId}/products/{productId}/variants/{variantId}", use: updateVariant)
        router.delete("/api/brands/{brandId}/products/{productId}/variants/{variantId}", use: deleteVariant)
        router.post("/api/brands/{brandId}/stock", use: stock)
        router.get("/api/brands/{brandId}/variants/{variantId}/stock", use: variantStock)
        router.post("/api/brands/{brandId}/imports", use: importCSV)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> ProductPage {
        let scope = try await services.access.brand(context, .viewCatalog)
        let query = request.uri.queryParameters
        let page = try Self.int(query["page"], field: "page", default: 1, range: 1...100_000)
        let perPage = try Self.int(query["perPage"], field: "perPage", default: 25, range: 1...100)
        var status: ProductStatus?
        if let text = query["status"], !text.isEmpty {
            guard let parsed = ProductStatus(rawValue: String(text)) else {
                throw APIError(
                    .badRequest, code: "invalid_query", message: "status must be active, draft or archived.",
                    field: "status")
            }
            status = parsed
        }
        let q = query["q"].map(String.init)
        guard (q?.count ?? 0) <= 200 else {
            throw APIError(.badRequest, code: "invalid_query", message: "q is at most 200 characters.", field: "q")
        }
        return try await scope.products(query: q, status: status, page: page, perPage: perPage)
    }

    static func int(_ text: Substring?, field: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(
                .badRequest, code: "invalid_query",
                message: "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound).",
                field: field)
        }
        return number
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .editCatalog)
        let input = try await request.decode(as: ProductInput.self, context: context)
        return try .created(try await scope.createProduct(input), context: context, request: request)
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> Product {
        let scope = try await services.access.brand(context, .viewCatalog)
        return try await scope.product(try context.parameters.id("productId"))
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> Product {
        let scope = try await services.access.brand(context, .editCatalog)
        let id = try context.parameters.id("productId")
        _ = try await scope.product(id)
        let input = try await request.decode(as: ProductInput.self, context: context)
        if input.variants != nil {
            throw APIError(
                .unprocessableContent, code: "invalid_field",
                message: "Variants are changed through /variants, not in the product.", field: "variants")
        }
        return try await scope.updateProduct(id, input)
    }

    @Sendable func archive(request: Request, context: AppRequestContext) async throws -> Product {
        let scope = try await services.access.brand(context, .editCatalog)
        return try await scope.archiveProduct(try context.parameters.id("productId"))
    }

    @Sendable func addVariant(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .editCatalog)
        let productID = try context.parameters.id("productId")
        _ = try await scope.product(productID)
        let input = try await request.decode(as: VariantInput.self, context: context)
        return try .created(try await scope.addVariant(productID: productID, input), context: context, request: request)
    }

    @Sendable func updateVariant(request: Request, context: AppRequestContext) async throws -> Variant {
        let scope = try await services.access.brand(context, .editCatalog)
        let productID = try context.parameters.id("productId")
        let variantID = try context.parameters.id("variantId")
        guard try await scope.product(productID).variants.contains(where: { $0.id == variantID }) else {
            throw APIError.notFound
        }
        let input = try await request.decode(as: VariantInput.self, context: context)
        return try await scope.updateVariant(productID: productID, variantID: variantID, input)
    }

    @Sendable func deleteVariant(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let scope = try await services.access.brand(context, .editCatalog)
        try await scope.deleteVariant(
            productID: try context.parameters.id("productId"), variantID: try context.parameters.id("variantId"))
        return .noContent
    }

    @Sendable func stock(request: Request, context: AppRequestContext) async throws -> StockResult {
        let scope = try await services.access.brand(context, .pushStock)
        let input = try await request.decode(as: StockInput.self, context: context)
        guard (1...10_000).contains(input.items.count) else {
            throw APIError(
                .unprocessableContent, code: "invalid_field", message: "Send 1 to 10000 items.", field: "items")
        }
        let updated = try await scope.setStock(input.items.map { ($0.sku, $0.quantity) })
        await services.live.stockChanged(brandID: scope.brandID)
        return StockResult(updated: updated)
    }

    /// A variant's stock as Vitrine counts it: on hand (as last pushed), held by checkouts and
    /// card orders waiting for their payment, sold and not yet acknowledged, and what is left.
    struct VariantStock: ResponseEncodable {
        var onHand: Int
        var reserved: Int
        var soldUnacknowledged: Int
        var available: Int
    }

    @Sendable func variantStock(request: Request, context: AppRequestContext) async throws -> VariantStock {
        let scope = try await services.access.brand(context, .viewCatalog)
        let level = try await scope.stockLevel(variantID: try context.parameters.id("variantId"))
        return VariantStock(
            onHand: level.onHand, reserved: level.reserved, soldUnacknowledged: level.soldUnacknowledged,
            available: level.available)
    }

    @Sendable func importCSV(request: Request, context: AppRequestContext) async throws -> ImportReport {
        let scope = try await services.access.brand(context, .importCatalog)
        let strictText = request.uri.queryParameters["strict"].map(String.init) ?? "false"
        guard strictText == "true" || strictText == "false" else {
            throw APIError(
                .badRequest, code: "invalid_query", message: "strict must be true or false.", field: "strict")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        // An upload from a browser carries no folder: relative image paths cannot be resolved.
        return try await services.importer.importCSV(
            Array(buffer: body), into: scope, strict: strictText == "true", baseDirectory: nil)
    }
}

extension ImportReport: ResponseEncodable {}
