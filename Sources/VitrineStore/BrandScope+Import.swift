import FluentKit
import Foundation
import VitrineDomain

/// What an import did, line by line; `imported` is false when nothing was written.
public struct ImportReport: Sendable, Codable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected: [ImportRowError] = []
    public var warnings: [ImportRowError] = []
    public var strict = false
    public var imported = false

    public init() {}
}

/// Where an image of the file ends up: its public URL and thumbnail.
public struct ResolvedImage: Sendable {
    public var url: String
    public var thumbnailUrl: String?

    public init(url: String, thumbnailUrl: String?) {
        self.url = url
        self.thumbnailUrl = thumbnailUrl
    }
}

extension BrandScope {
    /// Creates or updates products by handle and variants by SKU, all in one transaction.
    /// Rows that break a rule are reported; with `strict`, any problem means nothing is written.
    public func importProducts(
        _ drafts: [ProductDraft], images: [String: ResolvedImage], report initial: ImportReport,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> ImportReport {
        struct Abort: Error { var report: ImportReport }
        let brand = try await settings()
        do {
            return try await db.transaction { db in
                var report = initial
                for (index, draft) in drafts.enumerated() {
                    progress?(index, drafts.count)
                    do {
                        try await self.importOne(draft, brand: brand, images: images, report: &report, on: db)
                    } catch let error as DomainError {
                        report.rejected.append(
                            ImportRowError(
                                line: draft.line, field: error.field, message: "\(draft.handle): \(error.message)"))
                    }
                }
                progress?(drafts.count, drafts.count)
                report.rejected.sort { $0.line < $1.line }
                if report.strict && !report.rejected.isEmpty {
                    report.created = 0
                    report.updated = 0
                    report.unchanged = 0
                    throw Abort(report: report)
                }
                report.imported = true
                return report
            }
        } catch let abort as Abort {
            return abort.report
        }
    }

    private func importOne(
        _ draft: ProductDraft, brand: Brand, images: [String: ResolvedImage], report: inout ImportReport,
        on db: any Database
    ) async throws {
        let existingModel = try await ProductModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$handle == draft.handle).first()
        var existing: Product?
        if let existingModel { existing = try await assemble([existingModel], on: db)[0] }
        var input = ProductInput(title: draft.title)
        input.handle = draft.handle
        input.descriptionHtml = draft.descriptionHTML
        input.vendor = draft.vendor
        input.productType = draft.productType
        input.tags = draft.tags
        input.status = draft.status
        input.optionNames = draft.optionNames
        let now = store.now
        let base =
            existing
            ?? Product(
                id: UUID(), handle: draft.handle, title: "", descriptionHtml: "", vendor: "", productType: "", tags: [],
                status: .draft, vatRate: brand.defaultVatRate, optionNames: [], images: [], variants: [],
                createdAt: now, updatedAt: now)
        var product = try ProductRules.apply(input, to: base)
        product.images = draft.images.enumerated().compactMap { index, image -> ProductImage? in
            guard let resolved = images[image.src] else { return nil }
            let old = existing?.images.first { $0.url == resolved.url }
            return ProductImage(
                id: old?.id ?? UUID(), url: resolved.url, thumbnailUrl: resolved.thumbnailUrl, alt: image.alt,
                position: index + 1)
        }
        var variants = existing?.variants ?? []
        for (index, variantDraft) in draft.variants.enumerated() {
            if let sku = variantDraft.sku,
                let owner = try await VariantModel.query(on: db).filter(\.$brandID == brandID).filter(\.$sku == sku)
                    .first(), owner.productID != existing?.id
            {
                throw DomainError(
                    .conflict, code: "sku_taken", message: "the SKU '\(sku)' belongs to another product.",
                    field: "Variant SKU")
            }
            let match = variants.firstIndex {
                variantDraft.sku != nil ? $0.sku == variantDraft.sku : $0.options == variantDraft.options
            }
            var variantInput = VariantInput(
                sku: variantDraft.sku ?? "",
                price: Money(minorUnits: variantDraft.priceMinorUnits, currency: brand.currency),
                inventoryQuantity: variantDraft.inventoryQuantity)
            variantInput.options = variantDraft.options
            variantInput.barcode = variantDraft.barcode ?? ""
            variantInput.inventoryPolicy = variantDraft.inventoryPolicy
            var variantBase = match.map { variants[$0] } ?? .blank(currency: brand.currency, position: index + 1)
            variantBase.compareAtPrice = nil
            variantInput.compareAtPrice = variantDraft.compareAtMinorUnits.map {
                Money(minorUnits: $0, currency: brand.currency)
            }
            let variant = try ProductRules.apply(
                variantInput, to: variantBase, optionCount: product.optionNames.count, currency: brand.currency,
                field: "")
            if let match { variants[match] = variant } else { variants.append(variant) }
        }
        product.variants = variants
        try ProductRules.checkDistinctSKUs(product.variants)
        if let existing, existing.sameContent(as: product) {
            report.unchanged += 1
            return
        }
        let model = existingModel ?? ProductModel()
        model.brandID = brandID
        try await write(product, into: model, on: db)
        try await replaceImages(product.images, productID: model.id!, on: db)
        let stored = try await VariantModel.query(on: db).filter(\.$productID == model.id!).all()
        for variant in product.variants {
            let variantModel = stored.first { $0.id == variant.id } ?? VariantModel()
            if variantModel.id == nil { variantModel.id = variant.id }
            write(variant, into: variantModel, productID: model.id!)
            try await variantModel.save(on: db)
        }
        try await refreshSearchText(model, on: db)
        if existing == nil { report.created += 1 } else { report.updated += 1 }
    }
}

extension Product {
    /// Equal but for ids and timestamps: a re-import of the same file changes nothing.
    func sameContent(as other: Product) -> Bool {
        withoutIdentity == other.withoutIdentity
    }

    private var withoutIdentity: Product {
        let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        var copy = self
        copy.id = zero
        copy.createdAt = .distantPast
        copy.updatedAt = .distantPast
        for index in copy.images.indices { copy.images[index].id = zero }
        for index in copy.variants.indices { copy.variants[index].id = zero }
        return copy
    }
}
