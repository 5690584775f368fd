import FluentKit
import Foundation
import VitrineDomain

/// A stored user with the hash needed to check a password.
public struct UserCredentials: Sendable {
    public var user: User
    public var passwordHash: String
}

/// What a valid session cookie stands for.
public struct SessionInfo: Sendable {
    public var id: UUID
    public var user: User
    public var csrfToken: String
}

/// What a valid API token stands for.
public struct TokenInfo: Sendable {
    public var id: UUID
    public var brandID: UUID
    public var scopes: Set<TokenScope>
}

extension Store {
    public static let sessionLifetime: TimeInterval = 14 * 24 * 3600

    /// Creates a user; the e-mail is stored lower-cased and must be new.
    public func createUser(email: String, name: String, passwordHash: String) async throws -> User {
        let normalised = email.lowercased()
        if try await UserModel.query(on: db).filter(\.$email == normalised).first() != nil {
            throw DomainError(
                .conflict, code: "email_taken", message: "A user with this e-mail exists.", field: "email")
        }
        let model = UserModel()
        model.email = normalised
        model.name = name
        model.passwordHash = passwordHash
        try await model.create(on: db)
        return model.user
    }

    public func credentials(email: String) async throws -> UserCredentials? {
        guard let model = try await UserModel.query(on: db).filter(\.$email == email.lowercased()).first() else {
            return nil
        }
        return UserCredentials(user: model.user, passwordHash: model.passwordHash)
    }

    public func credentials(userID: UUID) async throws -> UserCredentials? {
        guard let model = try await UserModel.find(userID, on: db) else { return nil }
        return UserCredentials(user: model.user, passwordHash: model.passwordHash)
    }

    /// Replaces a password and ends every other session of that user.
    public func setPassword(userID: UUID, passwordHash: String, keepingSession: UUID?) async throws {
        try await db.transaction { db in
            guard let model = try await UserModel.find(userID, on: db) else { throw DomainError.notFound }
            model.passwordHash = passwordHash
            try await model.save(on: db)
            var query = SessionModel.query(on: db).filter(\.$userID == userID)
            if let keep = keepingSession { query = query.filter(\.$id != keep) }
            try await query.delete()
        }
    }

    /// Starts a session; returns the cookie value (shown once, stored hashed) and the session.
    public func createSession(userID: UUID) async throws -> (token: String, session: SessionInfo) {
        guard let user = try await UserModel.find(userID, on: db) else { throw DomainError.notFound }
        let token = Secrets.generate()
        let model = SessionModel()
        model.tokenHash = Secrets.hash(token)
        model.userID = userID
        model.csrfToken = Secrets.generate()
        model.expiresAt = now.addingTimeInterval(Self.sessionLifetime)
        try await model.create(on: db)
        return (token, SessionInfo(id: model.id!, user: user.user, csrfToken: model.csrfToken))
    }

    public func session(token: String) async throws -> SessionInfo? {
        guard
            let model = try await SessionModel.query(on: db).filter(\.$tokenHash == Secrets.hash(token)).first(),
            model.expiresAt > now, let user = try await UserModel.find(model.userID, on: db)
        else { return nil }
        return SessionInfo(id: model.id!, user: user.user, csrfToken: model.csrfToken)
    }

    public func deleteSession(id: UUID) async throws {
        try await SessionModel.query(on: db).filter(\.$id == id).delete()
    }

    /// Checks an API token; revoked or unknown tokens give nil. Records when it was last used.
    public func token(secret: String) async throws -> TokenInfo? {
        guard
            let model = try await APITokenModel.query(on: db).filter(\.$tokenHash == Secrets.hash(secret)).first(),
            model.revokedAt == nil
        else { return nil }
        if (model.lastUsedAt.map { now.timeIntervalSince($0) > 60 }) ?? true {
            model.lastUsedAt = now
            try await model.save(on: db)
        }
        return TokenInfo(id: model.id!, brandID: model.brandID, scopes: model.scopeSet)
    }

    /// Every brand this user belongs to, with the role held in each.
    public func memberships(userID: UUID) async throws -> [Membership] {
        let members = try await MemberModel.query(on: db).filter(\.$userID == userID).all()
        let brands = try await BrandModel.query(on: db).filter(\.$id ~~ members.map(\.brandID)).sort(\.$name).all()
        let roles = Dictionary(uniqueKeysWithValues: members.map { ($0.brandID, $0.role) })
        return brands.compactMap { brand in
            guard let role = roles[brand.id!].flatMap(Role.init(rawValue:)) else { return nil }
            return Membership(brand: brand.summary, role: role)
        }
    }

    /// The role of a user in a brand, nil when not a member (the brand then does not exist for them).
    public func role(userID: UUID, brandID: UUID) async throws -> Role? {
        try await MemberModel.query(on: db).filter(\.$userID == userID).filter(\.$brandID == brandID).first()
            .flatMap { Role(rawValue: $0.role) }
    }

    /// Creates a brand with default settings and makes `ownerID` its owner.
    public func createBrand(name: String, slug: String?, ownerID: UUID) async throws -> Brand {
        let name = try BrandRules.validName(name)
        let slug = try BrandRules.validSlug(slug ?? String(Handle.from(title: name).prefix(60)))
        return try await db.transaction { db in
            if try await BrandModel.query(on: db).filter(\.$slug == slug).first() != nil {
                throw DomainError(.conflict, code: "slug_taken", message: "The slug '\(slug)' is taken.", field: "slug")
            }
            let brand = BrandModel()
            brand.name = name
            brand.slug = slug
            brand.accentColor = "#1F2937"
            brand.timeZone = "Europe/Paris"
            brand.currency = "EUR"
            brand.languages = "fr,en"
            brand.embedOrigins = ""
            brand.defaultVatRate = 2000
            brand.renditions = false
            brand.chatBlockedWords = ""
            brand.chatHideLinks = true
            brand.cartMode = CartMode.handoff.rawValue
            brand.homeDeliveryPrice = 0
            try await brand.create(on: db)
            let member = MemberModel()
            member.brandID = brand.id!
            member.userID = ownerID
            member.role = Role.owner.rawValue
            try await member.create(on: db)
            return brand.brand
        }
    }

    public func brandID(slug: String) async throws -> UUID? {
        try await BrandModel.query(on: db).filter(\.$slug == slug).first()?.id
    }
}

extension UserModel {
    var user: User { User(id: id!, email: email, name: name) }
}

extension BrandModel {
    var summary: BrandSummary { BrandSummary(id: id!, name: name, slug: slug) }
    var brand: Brand {
        Brand(
            id: id!, name: name, slug: slug, logoUrl: logoURL, accentColor: accentColor, timeZone: timeZone,
            currency: currency, languages: languages.split(separator: ",").map(String.init),
            embedOrigins: embedOrigins.split(separator: "\n").map(String.init), defaultVatRate: defaultVatRate,
            createdAt: createdAt ?? Date(timeIntervalSince1970: 0), renditions: renditions,
            chatBlockedWords: chatBlockedWords.split(separator: "\n").map(String.init), chatHideLinks: chatHideLinks,
            cartMode: CartMode(rawValue: cartMode) ?? .handoff,
            homeDeliveryPrice: Money(minorUnits: homeDeliveryPrice, currency: currency), termsUrl: termsURL)
    }
}

extension APITokenModel {
    var scopeSet: Set<TokenScope> { Set(scopes.split(separator: " ").compactMap { TokenScope(rawValue: String($0)) }) }
}

extension Store {
    public static let passwordResetLifetime: TimeInterval = 3600

    /// A one-time reset token for the user (shown once, in the e-mailed link; stored hashed).
    /// Earlier links of that user stop working.
    public func createPasswordReset(userID: UUID) async throws -> String {
        let token = Secrets.generate()
        try await db.transaction { db in
            try await PasswordResetModel.query(on: db).filter(\.$userID == userID).delete()
            let model = PasswordResetModel()
            model.userID = userID
            model.tokenHash = Secrets.hash(token)
            model.expiresAt = self.now.addingTimeInterval(Self.passwordResetLifetime)
            try await model.create(on: db)
        }
        return token
    }

    /// Sets a new password through a reset token, once; every session of that user ends.
    public func resetPassword(token: String, passwordHash: String) async throws -> User? {
        try await db.transaction { db in
            guard
                let reset = try await PasswordResetModel.query(on: db).filter(\.$tokenHash == Secrets.hash(token))
                    .first(), reset.expiresAt > self.now,
                let user = try await UserModel.find(reset.userID, on: db)
            else { return nil }
            user.passwordHash = passwordHash
            try await user.save(on: db)
            try await PasswordResetModel.query(on: db).filter(\.$userID == user.id!).delete()
            try await SessionModel.query(on: db).filter(\.$userID == user.id!).delete()
            return user.user
        }
    }
}
