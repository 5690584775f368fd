import FluentKit
import Foundation
import VitrineDomain

/// One page of a product listing.
public struct ProductPage: Sendable, Codable {
    public var items: [Product]
    public var page: Int
    public var perPage: Int
    public var total: Int
}

extension BrandScope {
    /// Products of this brand, newest first, optionally searched (title, handle, SKU, vendor, tags).
    public func products(query: String?, status: ProductStatus?, page: Int, perPage: Int) async throws -> ProductPage {
        var builder = ProductModel.query(on: db).filter(\.$brandID == brandID)
        if let status { builder = builder.filter(\.$status == status.rawValue) }
        let needle = (query ?? "").lowercased().filter { $0 != "%" && $0 != "_" && $0 != "\\" }
            .trimmingCharacters(in: .whitespaces)
        if !needle.isEmpty { builder = builder.filter(\.$searchText ~~ needle) }
        let total = try await builder.count()
        let models = try await builder.sort(\.$updatedAt, .descending).sort(\.$handle)
            .range(((page - 1) * perPage)..<(page * perPage)).all()
        return ProductPage(items: try await assemble(models), page: page, perPage: perPage, total: total)
    }

    public func product(_ id: UUID) async throws -> Product {
        guard let model = try await productModel(id, on: db) else { throw DomainError.notFound }
        return try await assemble([model])[0]
    }

    /// The product with this handle, if it exists and `status` (when given) matches.
    public func product(handle: String, status: ProductStatus? = nil) async throws -> Product? {
        var builder = ProductModel.query(on: db).filter(\.$brandID == brandID).filter(\.$handle == handle)
        if let status { builder = builder.filter(\.$status == status.rawValue) }
        guard let model = try await builder.first() else { return nil }
        return try await assemble([model])[0]
    }

    /// Creates a product with its variants (one default variant when none is given).
    public func createProduct(_ input: ProductInput) async throws -> Product {
        let brand = try await settings()
        let now = store.now
        let blank = Product(
            id: UUID(), handle: "", title: "", descriptionHtml: "", vendor: "", productType: "", tags: [],
            status: .draft, vatRate: brand.defaultVatRate, optionNames: [], images: [], variants: [],
            createdAt: now, updatedAt: now)
        guard input.title != nil else { throw DomainError.invalid("title", "This field is required.") }
        var product = try ProductRules.apply(input, to: blank)
        let inputs = input.variants ?? [VariantInput(price: Money(minorUnits: 0, currency: brand.currency))]
        guard (1...100).contains(inputs.count) else { throw DomainError.invalid("variants", "Give 1 to 100 variants.") }
        product.variants = try inputs.enumerated().map { index, variantInput throws(DomainError) in
            let base = Variant.blank(currency: brand.currency, position: index + 1)
            guard variantInput.price != nil else {
                throw DomainError.invalid("variants[\(index)].price", "This field is required.")
            }
            return try ProductRules.apply(
                variantInput, to: base, optionCount: product.optionNames.count, currency: brand.currency,
                field: "variants[\(index)].")
        }
        try ProductRules.checkDistinctSKUs(product.variants)
        let saved = product
        return try await db.transaction { db in
            try await self.ensureHandleFree(saved.handle, except: nil, on: db)
            for (index, variant) in saved.variants.enumerated() {
                try await self.ensureSKUFree(variant.sku, except: nil, field: "variants[\(index)].sku", on: db)
            }
            let model = ProductModel()
            model.brandID = self.brandID
            try await self.write(saved, into: model, on: db)
            try await self.replaceImages(saved.images, productID: model.id!, on: db)
            for variant in saved.variants {
                let variantModel = VariantModel()
                self.write(variant, into: variantModel, productID: model.id!)
                try await variantModel.create(on: db)
            }
            try await self.refreshSearchText(model, on: db)
            return try await self.assemble([model], on: db)[0]
        }
    }

    /// Changes product fields (not variants); images, when given, replace the list.
    public func updateProduct(_ id: UUID, _ input: ProductInput) async throws -> Product {
        try await db.transaction { db in
            guard let model = try await self.productModel(id, on: db) else { throw DomainError.notFound }
            let current = try await self.assemble([model], on: db)[0]
            let updated = try ProductRules.apply(input, to: current)
            if updated.optionNames.count != current.optionNames.count {
                throw DomainError.invalid(
                    "optionNames",
                    "Changing the number of options would leave variants without values; edit variants first.")
            }
            try await self.ensureHandleFree(updated.handle, except: id, on: db)
            try await self.write(updated, into: model, on: db)
            if input.images != nil { try await self.replaceImages(updated.images, productID: id, on: db) }
            try await self.refreshSearchText(model, on: db)
            return try await self.assemble([model], on: db)[0]
        }
    }

    public func archiveProduct(_ id: UUID) async throws -> Product {
        var input = ProductInput()
        input.status = .archived
        return try await updateProduct(id, input)
    }

    // MARK: Variants

    public func addVariant(productID: UUID, _ input: VariantInput) async throws -> Variant {
        try await db.transaction { db in
            guard let model = try await self.productModel(productID, on: db) else { throw DomainError.notFound }
            let product = try await self.assemble([model], on: db)[0]
            guard product.variants.count < 100 else {
                throw DomainError(.conflict, code: "too_many_variants", message: "A product has at most 100 variants.")
            }
            guard input.price != nil else { throw DomainError.invalid("price", "This field is required.") }
            let currency = try await BrandModel.find(self.brandID, on: db)?.currency ?? "EUR"
            let variant = try ProductRules.apply(
                input, to: .blank(currency: currency, position: (product.variants.map(\.position).max() ?? 0) + 1),
                optionCount: product.optionNames.count, currency: currency)
            try await self.ensureSKUFree(variant.sku, except: nil, field: "sku", on: db)
            let variantModel = VariantModel()
            self.write(variant, into: variantModel, productID: productID)
            try await variantModel.create(on: db)
            try await self.refreshSearchText(model, on: db)
            return variantModel.variant
        }
    }

    public func updateVariant(productID: UUID, variantID: UUID, _ input: VariantInput) async throws -> Variant {
        try await db.transaction { db in
            guard let product = try await self.productModel(productID, on: db),
                let model = try await self.variantModel(variantID, productID: productID, on: db)
            else { throw DomainError.notFound }
            let currency = try await BrandModel.find(self.brandID, on: db)?.currency ?? model.currency
            let variant = try ProductRules.apply(
                input, to: model.variant, optionCount: JSONList.decode(product.optionNames).count, currency: currency)
            try await self.ensureSKUFree(variant.sku, except: variantID, field: "sku", on: db)
            self.write(variant, into: model, productID: productID)
            try await model.save(on: db)
            try await self.refreshSearchText(product, on: db)
            return model.variant
        }
    }

    public func deleteVariant(productID: UUID, variantID: UUID) async throws {
        try await db.transaction { db in
            guard let product = try await self.productModel(productID, on: db),
                let model = try await self.variantModel(variantID, productID: productID, on: db)
            else { throw DomainError.notFound }
            let count = try await VariantModel.query(on: db).filter(\.$productID == productID).count()
            guard count > 1 else {
                throw DomainError(.conflict, code: "last_variant", message: "A product keeps at least one variant.")
            }
            try await model.delete(on: db)
            try await self.refreshSearchText(product, on: db)
        }
    }

    /// Sets quantities on hand by SKU, all or nothing: an unknown SKU writes nothing.
    public func setStock(_ items: [(sku: String, quantity: Int)]) async throws -> Int {
        try await db.transaction { db in
            for (index, item) in items.enumerated() {
                guard (-ProductRules.maxQuantity...ProductRules.maxQuantity).contains(item.quantity) else {
                    throw DomainError.invalid(
                        "items[\(index)].quantity", "The quantity must be within ±\(ProductRules.maxQuantity).")
                }
                guard
                    let model = try await VariantModel.query(on: db).filter(\.$brandID == self.brandID)
                        .filter(\.$sku == item.sku).first()
                else {
                    throw DomainError(
                        .invalid, code: "unknown_sku", message: "No variant has the SKU '\(item.sku)'.",
                        field: "items[\(index)].sku")
                }
                model.inventoryQuantity = item.quantity
                try await model.save(on: db)
            }
            return items.count
        }
    }
}

extension Variant {
    static func blank(currency: String, position: Int) -> Variant {
        Variant(
            id: UUID(), sku: nil, options: [], price: Money(minorUnits: 0, currency: currency), compareAtPrice: nil,
            barcode: nil, inventoryPolicy: .deny, inventoryQuantity: 0, position: position)
    }
}
