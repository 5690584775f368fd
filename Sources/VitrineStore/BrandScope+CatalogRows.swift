import FluentKit
import Foundation
import VitrineDomain

/// Reading and writing catalog rows; always filtered on the brand.
extension BrandScope {
    func productModel(_ id: UUID, on db: any Database) async throws -> ProductModel? {
        try await ProductModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id == id).first()
    }

    func variantModel(_ id: UUID, productID: UUID, on db: any Database) async throws -> VariantModel? {
        try await VariantModel.query(on: db).filter(\.$brandID == brandID).filter(\.$productID == productID)
            .filter(\.$id == id).first()
    }

    /// Builds API products from rows with two queries for all their variants and images.
    func assemble(_ models: [ProductModel], on db: (any Database)? = nil) async throws -> [Product] {
        let db = db ?? self.db
        let ids = models.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let variants = try await VariantModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$productID ~~ ids).sort(\.$position).all()
        let images = try await ProductImageModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$productID ~~ ids).sort(\.$position).all()
        let variantsByProduct = Dictionary(grouping: variants, by: \.productID)
        let imagesByProduct = Dictionary(grouping: images, by: \.productID)
        return models.map { model in
            Product(
                id: model.id!, handle: model.handle, title: model.title, descriptionHtml: model.descriptionHTML,
                vendor: model.vendor, productType: model.productType,
                tags: model.tags.split(separator: ",").map(String.init),
                status: ProductStatus(rawValue: model.status) ?? .draft, vatRate: model.vatRate,
                optionNames: JSONList.decode(model.optionNames),
                images: (imagesByProduct[model.id!] ?? []).map(\.image),
                variants: (variantsByProduct[model.id!] ?? []).map(\.variant),
                createdAt: model.createdAt ?? Date(), updatedAt: model.updatedAt ?? model.createdAt ?? Date())
        }
    }

    func write(_ product: Product, into model: ProductModel, on db: any Database) async throws {
        model.handle = product.handle
        model.title = product.title
        model.descriptionHTML = product.descriptionHtml
        model.vendor = product.vendor
        model.productType = product.productType
        model.tags = product.tags.joined(separator: ",")
        model.status = product.status.rawValue
        model.vatRate = product.vatRate
        model.optionNames = JSONList.encode(product.optionNames)
        if model.id == nil { model.searchText = "" }
        try await model.save(on: db)
    }

    func write(_ variant: Variant, into model: VariantModel, productID: UUID) {
        model.brandID = brandID
        model.productID = productID
        model.sku = variant.sku
        model.options = JSONList.encode(variant.options)
        model.price = variant.price.minorUnits
        model.compareAtPrice = variant.compareAtPrice?.minorUnits
        model.currency = variant.price.currency
        model.barcode = variant.barcode
        model.inventoryPolicy = variant.inventoryPolicy.rawValue
        model.inventoryQuantity = variant.inventoryQuantity
        model.position = variant.position
    }

    func replaceImages(_ images: [ProductImage], productID: UUID, on db: any Database) async throws {
        try await ProductImageModel.query(on: db).filter(\.$brandID == brandID).filter(\.$productID == productID)
            .delete()
        for image in images {
            let model = ProductImageModel()
            model.brandID = brandID
            model.productID = productID
            model.url = image.url
            model.thumbnailURL = image.thumbnailUrl
            model.alt = image.alt
            model.position = image.position
            try await model.create(on: db)
        }
    }

    /// Search is a lower-cased LIKE over one column, the same on SQLite and PostgreSQL.
    func refreshSearchText(_ model: ProductModel, on db: any Database) async throws {
        let skus = try await VariantModel.query(on: db).filter(\.$productID == model.id!).all().compactMap(\.sku)
        let text = ([model.title, model.handle, model.vendor, model.productType, model.tags] + skus)
            .joined(separator: " ").lowercased()
        if text != model.searchText {
            model.searchText = text
            try await model.save(on: db)
        }
    }

    func ensureHandleFree(_ handle: String, except id: UUID?, on db: any Database) async throws {
        var query = ProductModel.query(on: db).filter(\.$brandID == brandID).filter(\.$handle == handle)
        if let id { query = query.filter(\.$id != id) }
        if try await query.first() != nil {
            throw DomainError(
                .conflict, code: "handle_taken", message: "Another product has the handle '\(handle)'.", field: "handle"
            )
        }
    }

    func ensureSKUFree(_ sku: String?, except id: UUID?, field: String, on db: any Database) async throws {
        guard let sku else { return }
        var query = VariantModel.query(on: db).filter(\.$brandID == brandID).filter(\.$sku == sku)
        if let id { query = query.filter(\.$id != id) }
        if try await query.first() != nil {
            throw DomainError(
                .conflict, code: "sku_taken", message: "Another variant has the SKU '\(sku)'.", field: field)
        }
    }
}

extension VariantModel {
    var variant: Variant {
        Variant(
            id: id!, sku: sku, options: JSONList.decode(options), price: Money(minorUnits: price, currency: currency),
            compareAtPrice: compareAtPrice.map { Money(minorUnits: $0, currency: currency) }, barcode: barcode,
            inventoryPolicy: InventoryPolicy(rawValue: inventoryPolicy) ?? .deny,
            inventoryQuantity: inventoryQuantity, position: position)
    }
}

extension ProductImageModel {
    var image: ProductImage {
        ProductImage(id: id!, url: url, thumbnailUrl: thumbnailURL, alt: alt, position: position)
    }
}

/// Short string lists stored as JSON text, portable across both databases.
enum JSONList {
    static func encode(_ list: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
