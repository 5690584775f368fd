import FluentKit
import SQLKit

/// Products, variants and images, each carrying its brand for tenancy checks in every query.
struct M002_CreateCatalog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("products")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("handle", .string, .required)
            .field("title", .string, .required)
            .field("description_html", .string, .required)
            .field("vendor", .string, .required)
            .field("product_type", .string, .required)
            .field("tags", .string, .required)
            .field("status", .string, .required)
            .field("vat_rate", .int, .required)
            .field("option_names", .string, .required)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "brand_id", "handle")
            .create()
        try await database.schema("variants")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("product_id", .uuid, .required, .references("products", "id", onDelete: .cascade))
            .field("sku", .string)
            .field("options", .string, .required)
            .field("price", .int, .required)
            .field("compare_at_price", .int)
            .field("currency", .string, .required)
            .field("barcode", .string)
            .field("inventory_policy", .string, .required)
            .field("inventory_quantity", .int, .required)
            .field("position", .int, .required)
            .unique(on: "brand_id", "sku")
            .create()
        try await database.schema("product_images")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("product_id", .uuid, .required, .references("products", "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("thumbnail_url", .string)
            .field("alt", .string)
            .field("position", .int, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX variants_product ON variants (product_id)").run()
            try await sql.raw("CREATE INDEX product_images_product ON product_images (product_id)").run()
            try await sql.raw("CREATE INDEX products_brand_updated ON products (brand_id, updated_at)").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["product_images", "variants", "products"] {
            try await database.schema(table).delete()
        }
    }
}
