import FluentKit
import SQLKit

/// Add-to-cart events of hand-off brands (their own shop keeps the cart): what each show put in
/// carts, for attribution.
struct M021_CreateCartEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cart_events")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("show_id", .uuid, .required, .references("shows", "id", onDelete: .cascade))
            .field("product_id", .uuid, .required)
            .field("variant_id", .uuid)
            .field("quantity", .int, .required)
            .field("added", .bool, .required)
            .field("origin", .string, .required)
            .field("pinned_product_id", .uuid)
            .field("viewer_id", .string)
            .field("media_time", .double)
            .field("at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "cart_events_show").on("cart_events").column("show_id").column("product_id").run()
        try await sql.create(index: "orders_show").on("orders").column("show_id").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "orders_show").run()
        try await database.schema("cart_events").delete()
    }
}
