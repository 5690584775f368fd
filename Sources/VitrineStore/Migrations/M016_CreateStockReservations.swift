import FluentKit
import SQLKit

/// Stock that checkouts hold and sales the shop has not yet counted: `available = on hand −
/// reserved − sold_unacknowledged`, decided by one conditional UPDATE per reservation.
struct M016_CreateStockReservations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("variants")
            .field("reserved", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema("variants")
            .field("sold_unacknowledged", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema("stock_reservations")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("variant_id", .uuid, .required, .references("variants", "id", onDelete: .cascade))
            .field("quantity", .int, .required)
            .field("state", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("settled_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "stock_reservations_active").on("stock_reservations")
            .column("state").column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("stock_reservations").delete()
        try await database.schema("variants").deleteField("sold_unacknowledged").update()
        try await database.schema("variants").deleteField("reserved").update()
    }
}
