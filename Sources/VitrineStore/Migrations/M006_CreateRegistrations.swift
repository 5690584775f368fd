import FluentKit

/// Viewers who asked to be reminded of a show (double opt-in).
struct M006_CreateRegistrations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("registrations")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("show_id", .uuid, .required, .references("shows", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("language", .string, .required)
            .field("marketing_consent", .bool, .required)
            .field("status", .string, .required)
            .field("confirm_token_hash", .string, .required)
            .field("unsubscribe_token", .string, .required)
            .field("confirmed_at", .datetime)
            .field("unsubscribed_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "show_id", "email")
            .unique(on: "confirm_token_hash")
            .unique(on: "unsubscribe_token")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registrations").delete()
    }
}
