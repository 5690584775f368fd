import FluentKit

/// A registration may name the live viewer id of the browser it came from: the brand can tie
/// that viewer's chat to the e-mail address.
struct M015_AddRegistrationViewer: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("viewer_id", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registrations").deleteField("viewer_id").update()
    }
}
