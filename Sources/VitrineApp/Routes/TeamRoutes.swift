import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Members, invitations and API tokens of a brand: owner and admin only, never API tokens.
struct TeamRoutes {
    let services: AppServices

    struct RoleInput: Decodable { var role: Role }
    struct InviteInput: Decodable {
        var email: String
        var role: Role
    }
    struct InviteCreated: ResponseEncodable {
        var invitation: Invitation
        var link: String
        /// Whether the link was also sent by e-mail (when an SMTP server is configured).
        var emailed: Bool
    }
    struct TokenInput: Decodable {
        var name: String
        var scopes: [TokenScope]
    }
    struct TokenCreated: ResponseEncodable {
        var token: APIToken
        var secret: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/members", use: members)
        router.patch("/api/brands/{brandId}/members/{memberId}", use: setRole)
        router.delete("/api/brands/{brandId}/members/{memberId}", use: removeMember)
        router.get("/api/brands/{brandId}/invitations", use: invitations)
        router.post("/api/brands/{brandId}/invitations", use: invite)
        router.delete("/api/brands/{brandId}/invitations/{invitationId}", use: deleteInvitation)
        router.get("/api/brands/{brandId}/tokens", use: tokens)
        router.post("/api/brands/{brandId}/tokens", use: createToken)
        router.delete("/api/brands/{brandId}/tokens/{tokenId}", use: revokeToken)
    }

    /// The brand, for a person allowed to manage its members; and that person's role.
    func team(_ context: AppRequestContext) async throws -> (BrandScope, Role) {
        // The brand check comes first: another brand's ids answer 404 whoever asks.
        let scope = try await services.access.brand(context, .manageMembers)
        _ = try services.access.session(context)
        guard let role = try await services.access.role(context, brandID: scope.brandID) else {
            throw APIError.notFound
        }
        return (scope, role)
    }

    @Sendable func members(request: Request, context: AppRequestContext) async throws -> Items<Member> {
        let scope = try await services.access.brand(context, .viewMembers)
        return Items(items: try await scope.members())
    }

    @Sendable func setRole(request: Request, context: AppRequestContext) async throws -> Member {
        let (scope, role) = try await team(context)
        let memberID = try context.parameters.id("memberId")
        let target = try await scope.member(memberID)
        let input = try await request.decode(as: RoleInput.self, context: context)
        // Only owners may make or unmake owners.
        if (target.role == .owner || input.role == .owner) && !role.allows(.manageOwners) { throw APIError.forbidden }
        return try await scope.setRole(memberID: memberID, role: input.role)
    }

    @Sendable func removeMember(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let (scope, role) = try await team(context)
        let memberID = try context.parameters.id("memberId")
        let target = try await scope.member(memberID)
        if target.role == .owner && !role.allows(.manageOwners) { throw APIError.forbidden }
        try await scope.removeMember(memberID)
        return .noContent
    }

    @Sendable func invitations(request: Request, context: AppRequestContext) async throws -> Items<Invitation> {
        let (scope, _) = try await team(context)
        return Items(items: try await scope.invitations())
    }

    @Sendable func invite(request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, role) = try await team(context)
        let input = try await request.decode(as: InviteInput.self, context: context)
        if input.role == .owner && !role.allows(.manageOwners) { throw APIError.forbidden }
        let (invitation, token) = try await scope.invite(email: input.email, role: input.role)
        let link = "\(services.config.publicURL)/invite/\(token)"
        let mail = TeamMail.invitation(
            to: invitation.email, brand: try await scope.settings(), role: input.role, link: link)
        let emailed = try await services.mail.send(mail, brandID: scope.brandID)
        return try .created(
            InviteCreated(invitation: invitation, link: link, emailed: emailed), context: context, request: request)
    }

    @Sendable func deleteInvitation(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let (scope, _) = try await team(context)
        try await scope.deleteInvitation(try context.parameters.id("invitationId"))
        return .noContent
    }

    @Sendable func tokens(request: Request, context: AppRequestContext) async throws -> Items<APIToken> {
        let scope = try await services.access.brand(context, .manageTokens)
        _ = try services.access.session(context)
        return Items(items: try await scope.tokens())
    }

    @Sendable func createToken(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .manageTokens)
        _ = try services.access.session(context)
        let input = try await request.decode(as: TokenInput.self, context: context)
        let (token, secret) = try await scope.createToken(name: input.name, scopes: input.scopes)
        return try .created(TokenCreated(token: token, secret: secret), context: context, request: request)
    }

    @Sendable func revokeToken(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let scope = try await services.access.brand(context, .manageTokens)
        _ = try services.access.session(context)
        try await scope.revokeToken(try context.parameters.id("tokenId"))
        return .noContent
    }
}

extension Invitation: ResponseEncodable {}
extension APIToken: ResponseEncodable {}
