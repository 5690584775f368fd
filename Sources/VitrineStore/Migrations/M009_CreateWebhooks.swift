import FluentKit
import SQLKit

/// Brands' webhook endpoints and the log of what was sent to them.
struct M009_CreateWebhooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("webhook_endpoints")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("description", .string, .required)
            .field("events", .string, .required)
            .field("enabled", .bool, .required)
            // The signing secret: HMAC needs it readable, so it is masked in the API instead.
            .field("secret", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("webhook_deliveries")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field(
                "endpoint_id", .uuid, .required, .references("webhook_endpoints", "id", onDelete: .cascade)
            )
            .field("event_id", .uuid, .required)
            .field("event", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("response_status", .int)
            .field("error", .string)
            .field("last_attempt_at", .datetime)
            .field("delivered_at", .datetime)
            .field("created_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at)")
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("webhook_deliveries").delete()
        try await database.schema("webhook_endpoints").delete()
    }
}
