import FluentKit
import SQLKit

/// Promotions: codes and shows' automatic offers, each use counted (in all and per buyer), and the
/// code a cart carries.
struct M019_CreatePromotions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("promotions")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("code", .string)
            .field("title", .string, .required)
            .field("percent_off", .int)
            .field("amount_off", .int)
            .field("currency", .string, .required)
            .field("minimum_order", .int)
            .field("starts_at", .datetime)
            .field("ends_at", .datetime)
            .field("show_id", .uuid)
            .field("usage_limit", .int)
            .field("per_customer_limit", .int)
            .field("active", .bool, .required)
            .field("uses", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "brand_id", "code")
            .create()
        try await database.schema("promotion_uses")
            .id()
            .field("promotion_id", .uuid, .required, .references("promotions", "id", onDelete: .cascade))
            .field("brand_id", .uuid, .required)
            .field("order_id", .uuid, .required)
            .field("email", .string, .required)
            .field("at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "promotion_uses_buyer").on("promotion_uses").column("promotion_id").column("email")
            .run()
        try await sql.create(index: "promotions_show").on("promotions").column("show_id").run()
        try await database.schema("carts")
            .field("promotion_code", .string)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("carts").deleteField("promotion_code").update()
        try await database.schema("promotion_uses").delete()
        try await database.schema("promotions").delete()
    }
}
