import FluentKit

/// A viewer's request to export or erase what Vitrine holds about their e-mail, until confirmed.
struct M008_CreatePrivacyRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("privacy_requests")
            .id()
            .field("email", .string, .required)
            .field("kind", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("privacy_requests").delete()
    }
}
