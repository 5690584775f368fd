import FluentKit
import Foundation

final class ProductModel: Model, @unchecked Sendable {
    static let schema = "products"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "handle") var handle: String
    @Field(key: "title") var title: String
    @Field(key: "description_html") var descriptionHTML: String
    @Field(key: "vendor") var vendor: String
    @Field(key: "product_type") var productType: String
    /// Comma-separated (tags cannot contain commas, as in Shopify).
    @Field(key: "tags") var tags: String
    @Field(key: "status") var status: String
    @Field(key: "vat_rate") var vatRate: Int
    /// JSON array of up to three names.
    @Field(key: "option_names") var optionNames: String
    /// Lower-cased title, handle, vendor, tags and SKUs, for search on both databases alike.
    @Field(key: "search_text") var searchText: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

final class VariantModel: Model, @unchecked Sendable {
    static let schema = "variants"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "product_id") var productID: UUID
    @OptionalField(key: "sku") var sku: String?
    /// JSON array of option values.
    @Field(key: "options") var options: String
    @Field(key: "price") var price: Int
    @OptionalField(key: "compare_at_price") var compareAtPrice: Int?
    @Field(key: "currency") var currency: String
    @OptionalField(key: "barcode") var barcode: String?
    @Field(key: "inventory_policy") var inventoryPolicy: String
    @Field(key: "inventory_quantity") var inventoryQuantity: Int
    @Field(key: "position") var position: Int
    init() {}
}

final class ProductImageModel: Model, @unchecked Sendable {
    static let schema = "product_images"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "product_id") var productID: UUID
    @Field(key: "url") var url: String
    @OptionalField(key: "thumbnail_url") var thumbnailURL: String?
    @OptionalField(key: "alt") var alt: String?
    @Field(key: "position") var position: Int
    init() {}
}
