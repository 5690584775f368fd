import Foundation

/// A catalog product as the API shows it to members of its brand.
public struct Product: Sendable, Codable, Equatable {
    public var id: UUID
    public var handle: String
    public var title: String
    public var descriptionHtml: String
    public var vendor: String
    public var productType: String
    public var tags: [String]
    public var status: ProductStatus
    /// VAT rate in basis points: 2000 is 20 %.
    public var vatRate: Int
    public var optionNames: [String]
    public var images: [ProductImage]
    public var variants: [Variant]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, handle: String, title: String, descriptionHtml: String, vendor: String, productType: String,
        tags: [String], status: ProductStatus, vatRate: Int, optionNames: [String], images: [ProductImage],
        variants: [Variant], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.handle = handle
        self.title = title
        self.descriptionHtml = descriptionHtml
        self.vendor = vendor
        self.productType = productType
        self.tags = tags
        self.status = status
        self.vatRate = vatRate
        self.optionNames = optionNames
        self.images = images
        self.variants = variants
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An image of a product: an outside URL, or a `/media/…` file copied in by an import.
public struct ProductImage: Sendable, Codable, Equatable {
    public var id: UUID
    public var url: String
    public var thumbnailUrl: String?
    public var alt: String?
    public var position: Int

    public init(id: UUID, url: String, thumbnailUrl: String?, alt: String?, position: Int) {
        self.id = id
        self.url = url
        self.thumbnailUrl = thumbnailUrl
        self.alt = alt
        self.position = position
    }
}

/// A sellable variant of a product (a shade, a size × colour).
public struct Variant: Sendable, Codable, Equatable {
    public var id: UUID
    public var sku: String?
    public var options: [String]
    public var price: Money
    public var compareAtPrice: Money?
    public var barcode: String?
    public var inventoryPolicy: InventoryPolicy
    public var inventoryQuantity: Int
    public var position: Int

    public init(
        id: UUID, sku: String?, options: [String], price: Money, compareAtPrice: Money?, barcode: String?,
        inventoryPolicy: InventoryPolicy, inventoryQuantity: Int, position: Int
    ) {
        self.id = id
        self.sku = sku
        self.options = options
        self.price = price
        self.compareAtPrice = compareAtPrice
        self.barcode = barcode
        self.inventoryPolicy = inventoryPolicy
        self.inventoryQuantity = inventoryQuantity
        self.position = position
    }
}
