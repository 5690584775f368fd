import Foundation

/// Changes to a brand's settings; nil fields stay as they are.
public struct BrandSettingsChange: Sendable, Codable, Equatable {
    public var name: String?
    public var logoUrl: String?
    public var accentColor: String?
    public var timeZone: String?
    public var currency: String?
    public var languages: [String]?
    public var embedOrigins: [String]?
    public var defaultVatRate: Int?
    public var renditions: Bool?
    public var chatBlockedWords: [String]?
    public var chatHideLinks: Bool?
    public var cartMode: CartMode?
    public var homeDeliveryPrice: Money?
    /// An http(s) address; empty removes it.
    public var termsUrl: String?

    public init() {}
}

/// Validation of brand names, slugs and settings.
public enum BrandRules {
    public static let languages: Set<String> = ["fr", "en", "de", "es", "it", "nl", "pt"]

    /// Applies a change to a brand, or names the first invalid field.
    public static func apply(_ change: BrandSettingsChange, to brand: Brand) throws(DomainError) -> Brand {
        var brand = brand
        if let name = change.name { brand.name = try validName(name) }
        if let renditions = change.renditions { brand.renditions = renditions }
        if let hide = change.chatHideLinks { brand.chatHideLinks = hide }
        if let mode = change.cartMode { brand.cartMode = mode }
        if let terms = change.termsUrl {
            let trimmed = terms.trimmingCharacters(in: .whitespaces)
            guard trimmed.isEmpty || (URLRules.isWebURL(trimmed) && trimmed.count <= 500) else {
                throw .invalid("termsUrl", "The terms of sale must be an http(s) URL.")
            }
            brand.termsUrl = trimmed.isEmpty ? nil : trimmed
        }
        if let words = change.chatBlockedWords {
            brand.chatBlockedWords = try ChatText.blockedWordList(words)
        }
        if let logo = change.logoUrl {
            let trimmed = logo.trimmingCharacters(in: .whitespaces)
            guard trimmed.isEmpty || URLRules.isWebURL(trimmed) || trimmed.hasPrefix("/media/") else {
                throw .invalid("logoUrl", "The logo must be an http(s) URL.")
            }
            brand.logoUrl = trimmed.isEmpty ? nil : trimmed
        }
        if let color = change.accentColor {
            guard isHexColor(color) else { throw .invalid("accentColor", "The accent colour must look like #1A2B3C.") }
            brand.accentColor = color.uppercased()
        }
        if let zone = change.timeZone {
            guard zone.contains("/") || zone == "UTC", TimeZone(identifier: zone) != nil else {
                throw .invalid("timeZone", "Unknown time zone '\(zone)'; use an IANA name such as Europe/Paris.")
            }
            brand.timeZone = zone
        }
        if let currency = change.currency {
            guard Currency.supported.contains(currency) else {
                throw .invalid("currency", "Unsupported currency '\(currency)'; use an ISO code such as EUR.")
            }
            brand.currency = currency
        }
        if let languages = change.languages {
            guard !languages.isEmpty else { throw .invalid("languages", "Choose at least one language.") }
            for (index, language) in languages.enumerated() where !Self.languages.contains(language) {
                throw .invalid("languages[\(index)]", "Unsupported language '\(language)'.")
            }
            var seen = Set<String>()
            brand.languages = languages.filter { seen.insert($0).inserted }
        }
        if let origins = change.embedOrigins {
            guard origins.count <= 50 else { throw .invalid("embedOrigins", "At most 50 origins.") }
            brand.embedOrigins = try origins.enumerated().map { index, origin throws(DomainError) in
                guard let normalised = URLRules.origin(origin) else {
                    throw .invalid(
                        "embedOrigins[\(index)]", "'\(origin)' is not an origin such as https://shop.example.com.")
                }
                return normalised
            }
        }
        if let rate = change.defaultVatRate {
            guard (0...10_000).contains(rate) else {
                throw .invalid("defaultVatRate", "The VAT rate is in basis points, from 0 to 10000 (2000 = 20 %).")
            }
            brand.defaultVatRate = rate
        }
        if let price = change.homeDeliveryPrice {
            brand.homeDeliveryPrice = try ProductRules.money(
                price, field: "homeDeliveryPrice", currency: brand.currency)
        }
        if brand.homeDeliveryPrice.currency != brand.currency {
            brand.homeDeliveryPrice = Money(minorUnits: brand.homeDeliveryPrice.minorUnits, currency: brand.currency)
        }
        return brand
    }

    public static func validName(_ name: String) throws(DomainError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...120).contains(trimmed.count) else {
            throw .invalid("name", "The name must have 1 to 120 characters.")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid("name", "The name must not contain control characters.")
        }
        return trimmed
    }

    /// A URL-safe slug: lower-case letters, digits, dashes, 2 to 60 characters.
    public static func validSlug(_ slug: String) throws(DomainError) -> String {
        guard (2...60).contains(slug.count), Handle.isValid(slug) else {
            throw .invalid("slug", "The slug must have 2 to 60 lower-case letters, digits or dashes.")
        }
        return slug
    }

    public static func isHexColor(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }
}

/// Checks of URLs and origins given by brands.
public enum URLRules {
    public static func isWebURL(_ text: String) -> Bool {
        guard text.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    /// `https://Shop.Example.com/` → `https://shop.example.com`; nil when it is not an origin.
    public static func origin(_ text: String) -> String? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = url.host?.lowercased(), !host.isEmpty,
            url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else { return nil }
        return url.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }
}
