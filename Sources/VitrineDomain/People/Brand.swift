import Foundation

/// A brand (tenant) and its settings. Everything else belongs to one brand.
public struct Brand: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var slug: String
    public var logoUrl: String?
    public var accentColor: String
    public var timeZone: String
    public var currency: String
    public var languages: [String]
    public var embedOrigins: [String]
    /// Standard VAT rate in basis points, the default for new products (2000 = 20 %).
    public var defaultVatRate: Int
    /// Live shows are also transcoded to 720p and 360p, with a master playlist, for viewers on
    /// weaker connections (costs CPU: off by default).
    public var renditions: Bool
    /// Words and phrases refused in viewers' chat messages (compared without case or accents).
    public var chatBlockedWords: [String]
    /// Web addresses in messages from viewers are replaced by `[link]` (on by default).
    public var chatHideLinks: Bool
    /// Who takes the order: the brand's own shop through the embed (`handoff`, the default), or
    /// Vitrine's cart and checkout in the player (`vitrine`).
    public var cartMode: CartMode
    /// What home delivery costs (VAT included), in the brand's currency.
    public var homeDeliveryPrice: Money
    /// The brand's terms of sale, linked from the checkout.
    public var termsUrl: String?
    public var createdAt: Date

    public init(
        id: UUID, name: String, slug: String, logoUrl: String?, accentColor: String, timeZone: String,
        currency: String, languages: [String], embedOrigins: [String], defaultVatRate: Int, createdAt: Date,
        renditions: Bool = false, chatBlockedWords: [String] = [], chatHideLinks: Bool = true,
        cartMode: CartMode = .handoff, homeDeliveryPrice: Money? = nil, termsUrl: String? = nil
    ) {
        self.cartMode = cartMode
        self.homeDeliveryPrice = homeDeliveryPrice ?? Money(minorUnits: 0, currency: currency)
        self.termsUrl = termsUrl
        self.renditions = renditions
        self.chatBlockedWords = chatBlockedWords
        self.chatHideLinks = chatHideLinks
        self.id = id
        self.name = name
        self.slug = slug
        self.logoUrl = logoUrl
        self.accentColor = accentColor
        self.timeZone = timeZone
        self.currency = currency
        self.languages = languages
        self.embedOrigins = embedOrigins
        self.defaultVatRate = defaultVatRate
        self.createdAt = createdAt
    }
}

/// Who takes a viewer's order.
public enum CartMode: String, Sendable, Codable, CaseIterable {
    /// The brand's own shop: the embed hands the cart over (docs/embed.md).
    case handoff
    /// Vitrine's cart and checkout, inside the player.
    case vitrine
}

/// A brand as listed in someone's memberships.
public struct BrandSummary: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var slug: String

    public init(id: UUID, name: String, slug: String) {
        self.id = id
        self.name = name
        self.slug = slug
    }
}

/// A person who can log in.
public struct User: Sendable, Codable, Equatable {
    public var id: UUID
    public var email: String
    public var name: String

    public init(id: UUID, email: String, name: String) {
        self.id = id
        self.email = email
        self.name = name
    }
}

/// One person's role in one brand.
public struct Membership: Sendable, Codable, Equatable {
    public var brand: BrandSummary
    public var role: Role

    public init(brand: BrandSummary, role: Role) {
        self.brand = brand
        self.role = role
    }
}

/// A member of a brand's team.
public struct Member: Sendable, Codable, Equatable {
    public var id: UUID
    public var user: User
    public var role: Role
    public var createdAt: Date

    public init(id: UUID, user: User, role: Role, createdAt: Date) {
        self.id = id
        self.user = user
        self.role = role
        self.createdAt = createdAt
    }
}

/// A pending or used invitation to join a brand.
public struct Invitation: Sendable, Codable, Equatable {
    public var id: UUID
    public var email: String
    public var role: Role
    public var expiresAt: Date
    public var createdAt: Date
    public var acceptedAt: Date?

    public init(id: UUID, email: String, role: Role, expiresAt: Date, createdAt: Date, acceptedAt: Date?) {
        self.id = id
        self.email = email
        self.role = role
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.acceptedAt = acceptedAt
    }
}

/// A brand API token as listed (never with its secret).
public struct APIToken: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var scopes: [TokenScope]
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: UUID, name: String, scopes: [TokenScope], prefix: String, createdAt: Date, lastUsedAt: Date?,
        revokedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
