import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// The data of one brand. Every query here filters on `brandID`, so an id of another brand is
/// simply not found: tenancy lives in this type, not in the routes.
public struct BrandScope: Sendable {
    let store: Store
    public let brandID: UUID

    var db: any Database { store.db }
    var sql: any SQLDatabase { store.sql }

    public func settings() async throws -> Brand {
        guard let model = try await BrandModel.find(brandID, on: db) else { throw DomainError.notFound }
        return model.brand
    }

    public func updateSettings(_ change: BrandSettingsChange) async throws -> Brand {
        guard let model = try await BrandModel.find(brandID, on: db) else { throw DomainError.notFound }
        let updated = try BrandRules.apply(change, to: model.brand)
        model.name = updated.name
        model.logoURL = updated.logoUrl
        model.accentColor = updated.accentColor
        model.timeZone = updated.timeZone
        model.currency = updated.currency
        model.languages = updated.languages.joined(separator: ",")
        model.embedOrigins = updated.embedOrigins.joined(separator: "\n")
        model.defaultVatRate = updated.defaultVatRate
        model.renditions = updated.renditions
        model.chatBlockedWords = updated.chatBlockedWords.joined(separator: "\n")
        model.chatHideLinks = updated.chatHideLinks
        model.cartMode = updated.cartMode.rawValue
        model.homeDeliveryPrice = updated.homeDeliveryPrice.minorUnits
        model.termsURL = updated.termsUrl
        try await model.save(on: db)
        return model.brand
    }

    // MARK: Members

    public func members() async throws -> [Member] {
        let members = try await MemberModel.query(on: db).filter(\.$brandID == brandID).sort(\.$createdAt).all()
        let users = try await UserModel.query(on: db).filter(\.$id ~~ members.map(\.userID)).all()
        let byID = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0.user) })
        return members.compactMap { member in
            guard let user = byID[member.userID], let role = Role(rawValue: member.role) else { return nil }
            return Member(id: member.id!, user: user, role: role, createdAt: member.createdAt ?? Date())
        }
    }

    public func member(_ id: UUID) async throws -> Member {
        guard let member = try await members().first(where: { $0.id == id }) else { throw DomainError.notFound }
        return member
    }

    /// Changes a role; the last owner keeps the owner role.
    public func setRole(memberID: UUID, role: Role) async throws -> Member {
        try await db.transaction { db in
            // Two owners demoting each other at once must not leave the brand without one.
            try await store.lock("members", where: "brand_id", equals: brandID, on: db)
            guard
                let model = try await MemberModel.query(on: db).filter(\.$brandID == brandID)
                    .filter(\.$id == memberID).first()
            else { throw DomainError.notFound }
            if model.role == Role.owner.rawValue && role != .owner {
                try await Self.ensureAnotherOwner(brandID: brandID, excluding: memberID, on: db)
            }
            model.role = role.rawValue
            try await model.save(on: db)
        }
        return try await member(memberID)
    }

    public func removeMember(_ memberID: UUID) async throws {
        try await db.transaction { db in
            // Two owners demoting each other at once must not leave the brand without one.
            try await store.lock("members", where: "brand_id", equals: brandID, on: db)
            guard
                let model = try await MemberModel.query(on: db).filter(\.$brandID == brandID)
                    .filter(\.$id == memberID).first()
            else { throw DomainError.notFound }
            if model.role == Role.owner.rawValue {
                try await Self.ensureAnotherOwner(brandID: brandID, excluding: memberID, on: db)
            }
            try await model.delete(on: db)
        }
    }

    static func ensureAnotherOwner(brandID: UUID, excluding memberID: UUID, on db: any Database) async throws {
        let owners = try await MemberModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$role == Role.owner.rawValue).filter(\.$id != memberID).count()
        guard owners > 0 else {
            throw DomainError(.conflict, code: "last_owner", message: "A brand keeps at least one owner.")
        }
    }

    /// Adds an existing user with a role (used by invitations and `vitrine user create`).
    public func addMember(userID: UUID, role: Role) async throws -> Member {
        try await member(Self.upsertMember(brandID: brandID, userID: userID, role: role, on: db))
    }

    /// Makes the user a member with at least `role`: an existing member keeps a higher role.
    static func upsertMember(brandID: UUID, userID: UUID, role: Role, on db: any Database) async throws -> UUID {
        if let existing = try await MemberModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$userID == userID).first()
        {
            if Role(rawValue: existing.role).map({ $0 < role }) ?? true {
                existing.role = role.rawValue
                try await existing.save(on: db)
            }
            return existing.id!
        }
        let model = MemberModel()
        model.brandID = brandID
        model.userID = userID
        model.role = role.rawValue
        try await model.create(on: db)
        return model.id!
    }
}
