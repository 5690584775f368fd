import FluentKit
import Foundation

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class BrandModel: Model, @unchecked Sendable {
    static let schema = "brands"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    @OptionalField(key: "logo_url") var logoURL: String?
    @Field(key: "accent_color") var accentColor: String
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "currency") var currency: String
    /// Comma-separated: language codes never contain commas.
    @Field(key: "languages") var languages: String
    /// Newline-separated origins.
    @Field(key: "embed_origins") var embedOrigins: String
    @Field(key: "default_vat_rate") var defaultVatRate: Int
    @Field(key: "renditions") var renditions: Bool
    /// One blocked word or phrase per line.
    @Field(key: "chat_blocked_words") var chatBlockedWords: String
    @Field(key: "chat_hide_links") var chatHideLinks: Bool
    @Field(key: "cart_mode") var cartMode: String
    @Field(key: "home_delivery_price") var homeDeliveryPrice: Int
    @OptionalField(key: "terms_url") var termsURL: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class MemberModel: Model, @unchecked Sendable {
    static let schema = "members"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "name") var name: String
    /// Space-separated scope names.
    @Field(key: "scopes") var scopes: String
    @Field(key: "prefix") var prefix: String
    @Field(key: "token_hash") var tokenHash: String
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class InvitationModel: Model, @unchecked Sendable {
    static let schema = "invitations"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class PasswordResetModel: Model, @unchecked Sendable {
    static let schema = "password_resets"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
