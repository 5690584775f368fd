import FluentKit

/// Other platforms a show is streamed to while live; the stream key is a secret, masked in the API.
struct M012_CreateSimulcastDestinations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("simulcast_destinations")
            .id()
            .field("brand_id", .uuid, .required, .references("brands", "id", onDelete: .cascade))
            .field("show_id", .uuid, .required, .references("shows", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("url", .string, .required)
            .field("stream_key", .string, .required)
            .field("enabled", .bool, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("simulcast_destinations").delete()
    }
}
