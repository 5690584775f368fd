import FluentKit
import SQLKit

/// Brands may have their live shows transcoded to lower renditions (off for existing brands).
struct M013_AddBrandRenditions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("brands")
            .field("renditions", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("brands").deleteField("renditions").update()
    }
}
