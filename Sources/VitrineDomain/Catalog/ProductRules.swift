import Foundation

/// A product as a client sends it; absent fields keep their value (patch) or take defaults (create).
public struct ProductInput: Sendable, Codable, Equatable {
    public var title: String?
    public var handle: String?
    public var descriptionHtml: String?
    public var vendor: String?
    public var productType: String?
    public var tags: [String]?
    public var status: ProductStatus?
    public var vatRate: Int?
    public var optionNames: [String]?
    public var images: [ImageInput]?
    public var variants: [VariantInput]?

    public init(title: String? = nil) { self.title = title }
}

/// An image reference sent by a client.
public struct ImageInput: Sendable, Codable, Equatable {
    public var url: String
    public var alt: String?

    public init(url: String, alt: String? = nil) {
        self.url = url
        self.alt = alt
    }
}

/// A variant as a client sends it.
public struct VariantInput: Sendable, Codable, Equatable {
    public var sku: String?
    public var options: [String]?
    public var price: Money?
    public var compareAtPrice: Money?
    public var barcode: String?
    public var inventoryPolicy: InventoryPolicy?
    public var inventoryQuantity: Int?

    public init(sku: String? = nil, price: Money? = nil, inventoryQuantity: Int? = nil) {
        self.sku = sku
        self.price = price
        self.inventoryQuantity = inventoryQuantity
    }
}

/// Validation of products and variants, shared by the API and the CSV import.
public enum ProductRules {
    public static let maxQuantity = 100_000_000
    public static let maxPrice = 100_000_000

    /// Validates the product fields of `input` over `base` (a new product's defaults, or the stored one).
    public static func apply(_ input: ProductInput, to base: Product, field prefix: String = "") throws(DomainError)
        -> Product
    {
        var product = base
        if let title = input.title {
            product.title = try text(title, field: prefix + "title", max: 255, required: true)
            if base.handle.isEmpty && input.handle == nil { product.handle = Handle.from(title: product.title) }
        }
        if let handle = input.handle {
            guard Handle.isValid(handle) else {
                throw .invalid(prefix + "handle", "The handle must be lower-case letters, digits and dashes.")
            }
            product.handle = handle
        }
        if let html = input.descriptionHtml {
            guard html.utf8.count <= 65_536 else {
                throw .invalid(prefix + "descriptionHtml", "The description must be at most 64 KiB.")
            }
            product.descriptionHtml = HTMLSanitizer.sanitize(html)
        }
        if let vendor = input.vendor { product.vendor = try text(vendor, field: prefix + "vendor", max: 255) }
        if let type = input.productType {
            product.productType = try text(type, field: prefix + "productType", max: 255)
        }
        if let tags = input.tags {
            guard tags.count <= 250 else { throw .invalid(prefix + "tags", "At most 250 tags.") }
            product.tags = try tags.enumerated().map { index, tag throws(DomainError) in
                let cleaned = try text(tag, field: "\(prefix)tags[\(index)]", max: 255, required: true)
                guard !cleaned.contains(",") else {
                    throw .invalid("\(prefix)tags[\(index)]", "A tag cannot contain a comma.")
                }
                return cleaned
            }
        }
        if let status = input.status { product.status = status }
        if let rate = input.vatRate {
            guard (0...10_000).contains(rate) else {
                throw .invalid(prefix + "vatRate", "The VAT rate is in basis points, from 0 to 10000 (550 = 5.5 %).")
            }
            product.vatRate = rate
        }
        if let names = input.optionNames {
            guard names.count <= 3 else { throw .invalid(prefix + "optionNames", "A product has at most 3 options.") }
            product.optionNames = try names.enumerated().map { index, name throws(DomainError) in
                try text(name, field: "\(prefix)optionNames[\(index)]", max: 255, required: true)
            }
        }
        if let images = input.images {
            guard images.count <= 250 else { throw .invalid(prefix + "images", "At most 250 images.") }
            product.images = try images.enumerated().map { index, image throws(DomainError) in
                guard URLRules.isWebURL(image.url) || image.url.hasPrefix("/media/") else {
                    throw .invalid("\(prefix)images[\(index)].url", "An image URL must be http(s).")
                }
                let alt = try image.alt.map { alt throws(DomainError) in
                    try text(alt, field: "\(prefix)images[\(index)].alt", max: 512)
                }
                // An image kept from before keeps its id and the thumbnail the import made.
                let old = base.images.first { $0.url == image.url }
                return ProductImage(
                    id: old?.id ?? UUID(), url: image.url, thumbnailUrl: old?.thumbnailUrl, alt: alt,
                    position: index + 1)
            }
        }
        return product
    }

    /// Validates a variant over `base` for a product with `optionCount` options in `currency`.
    public static func apply(
        _ input: VariantInput, to base: Variant, optionCount: Int, currency: String, field prefix: String = ""
    ) throws(DomainError) -> Variant {
        var variant = base
        if let sku = input.sku {
            let cleaned = try text(sku, field: prefix + "sku", max: 255)
            variant.sku = cleaned.isEmpty ? nil : cleaned
        }
        if let options = input.options { variant.options = options }
        guard variant.options.count == optionCount else {
            throw .invalid(prefix + "options", "This product has \(optionCount) option(s); give one value for each.")
        }
        for (index, value) in variant.options.enumerated() {
            _ = try text(value, field: "\(prefix)options[\(index)]", max: 255, required: true)
        }
        if let price = input.price { variant.price = try money(price, field: prefix + "price", currency: currency) }
        if let compare = input.compareAtPrice {
            // An amount of 0 removes the compare-at price: JSON null cannot be told from "absent".
            let checked = try money(compare, field: prefix + "compareAtPrice", currency: currency)
            variant.compareAtPrice = checked.minorUnits == 0 ? nil : checked
        }
        if let barcode = input.barcode {
            let cleaned = try text(barcode, field: prefix + "barcode", max: 64)
            variant.barcode = cleaned.isEmpty ? nil : cleaned
        }
        if let policy = input.inventoryPolicy { variant.inventoryPolicy = policy }
        if let quantity = input.inventoryQuantity {
            guard (-maxQuantity...maxQuantity).contains(quantity) else {
                throw .invalid(prefix + "inventoryQuantity", "The quantity must be within ±\(maxQuantity).")
            }
            variant.inventoryQuantity = quantity
        }
        return variant
    }

    public static func money(_ money: Money, field: String, currency: String) throws(DomainError) -> Money {
        guard money.currency == currency else {
            throw .invalid(field + ".currency", "Prices of this brand are in \(currency), not '\(money.currency)'.")
        }
        guard (0...maxPrice).contains(money.minorUnits) else {
            throw .invalid(field + ".amount", "The amount is in minor units (2490 = 24.90) and cannot be negative.")
        }
        return money
    }

    /// Trims text and rejects control characters and over-long values.
    public static func text(_ value: String, field: String, max: Int, required: Bool = false) throws(DomainError)
        -> String
    {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw .invalid(field, "This field is required.") }
        guard trimmed.count <= max else { throw .invalid(field, "At most \(max) characters.") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field, "Control characters are not allowed.")
        }
        return trimmed
    }
}

extension ProductRules {
    /// Two variants of one product cannot share a SKU.
    public static func checkDistinctSKUs(_ variants: [Variant]) throws(DomainError) {
        var seen = Set<String>()
        for (index, variant) in variants.enumerated() {
            guard let sku = variant.sku else { continue }
            guard seen.insert(sku).inserted else {
                throw DomainError(
                    .invalid, code: "duplicate_sku", message: "The SKU '\(sku)' is given twice.",
                    field: "variants[\(index)].sku")
            }
        }
    }
}
