import FluentKit
import Foundation
import SQLKit

final class ServerSecretModel: Model, @unchecked Sendable {
    static let schema = "server_secrets"
    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    init() {}
}

extension Store {
    /// A random secret of the server's, made the first time it is asked for and kept in the
    /// database, so that every node of a cluster uses the same. Never logged, never sent.
    public func serverSecret(_ name: String) async throws -> String {
        if let found = try await ServerSecretModel.find(name, on: db) { return found.value }
        let model = ServerSecretModel()
        model.id = name
        model.value = Secrets.generate()
        do {
            try await model.create(on: db)
            return model.value
        } catch {
            // Another node made it at the same moment: use theirs.
            guard let found = try await ServerSecretModel.find(name, on: db) else { throw error }
            return found.value
        }
    }
}
