import FluentKit

/// The after-show survey: one row per registrant asked, filled when they answer.
struct M007_CreateFeedback: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("feedback")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("show_id", .uuid, .required, .references("shows", "id", onDelete: .cascade))
            .field("registration_id", .uuid, .required, .references("registrations", "id", onDelete: .cascade))
            .field("token", .string, .required)
            .field("rating", .int)
            .field("comment", .string)
            .field("answered_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "registration_id")
            .unique(on: "token")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("feedback").delete()
    }
}
