import FluentKit
import Foundation
import VitrineDomain

extension BrandScope {
    public static let invitationLifetime: TimeInterval = 7 * 24 * 3600

    // MARK: API tokens

    public func tokens() async throws -> [APIToken] {
        try await APITokenModel.query(on: db).filter(\.$brandID == brandID).sort(\.$createdAt).all().map(\.apiToken)
    }

    /// Creates a token; the secret is returned once and only its hash is kept.
    public func createToken(name: String, scopes: [TokenScope]) async throws -> (token: APIToken, secret: String) {
        let name = try ProductRules.text(name, field: "name", max: 120, required: true)
        guard !scopes.isEmpty else { throw DomainError.invalid("scopes", "Give the token at least one scope.") }
        let secret = Secrets.generate(prefix: "vit_")
        let model = APITokenModel()
        model.brandID = brandID
        model.name = name
        model.scopes = TokenScope.allCases.filter(scopes.contains).map(\.rawValue).joined(separator: " ")
        model.prefix = String(secret.prefix(8))
        model.tokenHash = Secrets.hash(secret)
        try await model.create(on: db)
        return (model.apiToken, secret)
    }

    public func revokeToken(_ id: UUID) async throws {
        guard
            let model = try await APITokenModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id == id).first()
        else { throw DomainError.notFound }
        if model.revokedAt == nil {
            model.revokedAt = store.now
            try await model.save(on: db)
        }
    }

    // MARK: Invitations

    public func invitations() async throws -> [Invitation] {
        try await InvitationModel.query(on: db).filter(\.$brandID == brandID).sort(\.$createdAt).all().map(\.invitation)
    }

    /// Creates an invitation; the token for the link is returned once and only its hash is kept.
    public func invite(email: String, role: Role) async throws -> (invitation: Invitation, token: String) {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard EmailRules.isValid(email) else {
            throw DomainError.invalid("email", "'\(email)' is not an e-mail address.")
        }
        let token = Secrets.generate()
        let model = InvitationModel()
        model.brandID = brandID
        model.email = email
        model.role = role.rawValue
        model.tokenHash = Secrets.hash(token)
        model.expiresAt = store.now.addingTimeInterval(Self.invitationLifetime)
        try await model.create(on: db)
        return (model.invitation, token)
    }

    public func deleteInvitation(_ id: UUID) async throws {
        guard
            let model = try await InvitationModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id == id)
                .first()
        else { throw DomainError.notFound }
        try await model.delete(on: db)
    }
}

/// An invitation found by the token of its link.
public struct PendingInvitation: Sendable {
    public var invitation: Invitation
    public var brand: BrandSummary
    public var userExists: Bool
}

extension Store {
    /// The open invitation behind a link token; nil when unknown, used or expired.
    public func invitation(token: String) async throws -> PendingInvitation? {
        guard
            let model = try await InvitationModel.query(on: db).filter(\.$tokenHash == Secrets.hash(token)).first(),
            model.acceptedAt == nil, model.expiresAt > now,
            let brand = try await BrandModel.find(model.brandID, on: db)
        else { return nil }
        let exists = try await UserModel.query(on: db).filter(\.$email == model.email).first() != nil
        return PendingInvitation(invitation: model.invitation, brand: brand.summary, userExists: exists)
    }

    /// Marks the invitation used and adds the user to its brand, once.
    public func acceptInvitation(token: String, userID: UUID) async throws {
        try await db.transaction { db in
            guard
                let model = try await InvitationModel.query(on: db).filter(\.$tokenHash == Secrets.hash(token))
                    .first(), model.acceptedAt == nil, model.expiresAt > self.now
            else { throw DomainError.notFound }
            model.acceptedAt = self.now
            try await model.save(on: db)
            _ = try await BrandScope.upsertMember(
                brandID: model.brandID, userID: userID, role: Role(rawValue: model.role) ?? .moderator, on: db)
        }
    }
}

extension APITokenModel {
    var apiToken: APIToken {
        APIToken(
            id: id!, name: name, scopes: TokenScope.allCases.filter(scopeSet.contains), prefix: prefix,
            createdAt: createdAt ?? Date(), lastUsedAt: lastUsedAt, revokedAt: revokedAt)
    }
}

extension InvitationModel {
    var invitation: Invitation {
        Invitation(
            id: id!, email: email, role: Role(rawValue: role) ?? .moderator, expiresAt: expiresAt,
            createdAt: createdAt ?? Date(), acceptedAt: acceptedAt)
    }
}
