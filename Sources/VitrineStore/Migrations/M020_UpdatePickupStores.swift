import FluentKit
import SQLKit

/// Pick-up stores the brand turns off (orders that named them keep them).
struct M020_UpdatePickupStores: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pickup_stores")
            .field("active", .bool, .required, .sql(.default(true)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pickup_stores").deleteField("active").update()
    }
}
