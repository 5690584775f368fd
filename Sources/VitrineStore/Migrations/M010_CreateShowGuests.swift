import FluentKit

/// The invited guests of private shows: one personal link each, stored hashed, revocable.
struct M010_CreateShowGuests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("show_guests")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("show_id", .uuid, .required, .references("shows", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime)
            .field("last_opened_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "show_id", "email")
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("show_guests").delete()
    }
}
