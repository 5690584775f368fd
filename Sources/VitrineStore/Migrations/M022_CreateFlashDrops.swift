import FluentKit
import SQLKit

/// Flash drops: a show's variant at a drop price, from a quantity of its own; order lines and
/// holds say which drop they come from.
struct M022_CreateFlashDrops: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("flash_drops")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("show_id", .uuid, .required, .references("shows", "id", onDelete: .cascade))
            .field("product_id", .uuid, .required)
            .field("variant_id", .uuid, .required)
            .field("quantity", .int, .required)
            .field("price", .int, .required)
            .field("currency", .string, .required)
            .field("per_customer", .int)
            .field("countdown_seconds", .int, .required)
            .field("opens_at", .datetime)
            .field("closed_at", .datetime)
            .field("sold", .int, .required)
            .field("reserved", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "flash_drops_show").on("flash_drops").column("show_id").column("variant_id").run()
        try await database.schema("order_lines").field("drop_id", .uuid).update()
        try await database.schema("stock_reservations").field("drop_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("stock_reservations").deleteField("drop_id").update()
        try await database.schema("order_lines").deleteField("drop_id").update()
        try await database.schema("flash_drops").delete()
    }
}
