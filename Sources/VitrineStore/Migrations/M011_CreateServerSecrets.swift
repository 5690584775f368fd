import FluentKit
import Foundation

/// Secrets the server itself uses, shared by every node (the key that signs viewers' HLS tokens).
struct M011_CreateServerSecrets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("server_secrets")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("server_secrets").delete()
    }
}
