import FluentKit
import SQLKit

/// Card payments: a brand's keys for its payment provider (the secret ones sealed), and the
/// stock an order paid by card holds until its payment is confirmed (`stock_reservations.order_id`).
struct M018_CreatePayments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("stock_reservations")
            .field("order_id", .uuid)
            .update()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "stock_reservations_order").on("stock_reservations").column("order_id").run()
        try await sql.create(index: "orders_payment_ref").on("orders").column("payment_ref").run()
        try await database.schema("payment_settings")
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("provider", .string, .required)
            .field("publishable_key", .string, .required)
            .field("secret_key", .string, .required)
            .field("webhook_secret", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "brand_id", "provider")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("payment_settings").delete()
        try await database.schema("stock_reservations").deleteField("order_id").update()
    }
}
