import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// What the caller of a request may reach. A brand the caller does not belong to answers 404,
/// exactly as a brand that does not exist.
struct Access: Sendable {
    let store: Store

    /// The brand's data, when the caller may do `action` in it.
    func brand(_ context: AppRequestContext, _ action: Action) async throws -> BrandScope {
        let brandID = try context.parameters.id("brandId")
        return try await brand(brandID, context, action)
    }

    func brand(_ brandID: UUID, _ context: AppRequestContext, _ action: Action) async throws -> BrandScope {
        switch context.identity {
        case .none:
            throw APIError.unauthenticated
        case .session(let session):
            guard let role = try await store.role(userID: session.user.id, brandID: brandID) else {
                throw APIError.notFound
            }
            guard role.allows(action) else { throw APIError.forbidden }
        case .token(let token):
            guard token.brandID == brandID else { throw APIError.notFound }
            guard let scope = TokenScope.required(for: action), token.scopes.contains(scope) else {
                throw APIError.forbidden
            }
        }
        return store.brand(brandID)
    }

    /// The brand, for any member or any token of it, whatever they may do there: used to answer 404
    /// for an unknown id before the request's body is read and its action known.
    func member(_ context: AppRequestContext) async throws -> BrandScope {
        let brandID = try context.parameters.id("brandId")
        switch context.identity {
        case .none: throw APIError.unauthenticated
        case .session(let session):
            guard try await store.role(userID: session.user.id, brandID: brandID) != nil else {
                throw APIError.notFound
            }
        case .token(let token):
            guard token.brandID == brandID else { throw APIError.notFound }
        }
        return store.brand(brandID)
    }

    /// The caller's role in the brand (nil for tokens).
    func role(_ context: AppRequestContext, brandID: UUID) async throws -> Role? {
        guard case .session(let session) = context.identity else { return nil }
        return try await store.role(userID: session.user.id, brandID: brandID)
    }

    /// The logged-in person; API tokens are refused for personal routes.
    func session(_ context: AppRequestContext) throws -> SessionInfo {
        switch context.identity {
        case .none: throw APIError.unauthenticated
        case .token: throw APIError(.forbidden, code: "forbidden", message: "This route is for people, not API tokens.")
        case .session(let session): return session
        }
    }
}

extension Parameters {
    /// A path id; a malformed id is simply not found.
    func id(_ name: String) throws -> UUID {
        guard let text = self.get(name), let id = UUID(uuidString: text) else { throw APIError.notFound }
        return id
    }
}
