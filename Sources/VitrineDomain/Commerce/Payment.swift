import Foundation

// Card payments: the keys a brand gives Vitrine for its own Stripe account, checked before they
// are kept, and what the team sees of them afterwards (never the secrets themselves).

/// The keys of a brand's Stripe account, as the team types them in.
public struct StripeKeysInput: Sendable, Codable, Equatable {
    /// `pk_test_…` or `pk_live_…`: given to the player, which loads Stripe's Payment Element with it.
    public var publishableKey: String?
    /// `sk_…` or a restricted `rk_…` key (test or live, as the publishable key).
    public var secretKey: String?
    /// `whsec_…`: the signing secret of the webhook endpoint the brand made in Stripe's dashboard.
    public var webhookSecret: String?

    public init(publishableKey: String?, secretKey: String?, webhookSecret: String?) {
        self.publishableKey = publishableKey
        self.secretKey = secretKey
        self.webhookSecret = webhookSecret
    }
}

/// A brand's Stripe keys, checked.
public struct StripeKeys: Sendable, Equatable {
    public var publishableKey: String
    public var secretKey: String
    public var webhookSecret: String

    public init(publishableKey: String, secretKey: String, webhookSecret: String) {
        self.publishableKey = publishableKey
        self.secretKey = secretKey
        self.webhookSecret = webhookSecret
    }

    /// "test" or "live", from the publishable key.
    public var mode: String { publishableKey.hasPrefix("pk_live_") ? "live" : "test" }
}

/// What the team sees of its Stripe keys: the publishable key, the last four characters of the
/// secret ones.
public struct StripeSettingsView: Sendable, Codable, Equatable {
    public var configured: Bool
    public var mode: String?
    public var publishableKey: String?
    public var secretKeyHint: String?
    public var webhookSecretHint: String?
    /// The address to give Stripe's dashboard as the webhook endpoint.
    public var webhookUrl: String
    /// The events that endpoint must send.
    public var webhookEvents: [String]
    public var updatedAt: Date?

    public init(keys: StripeKeys?, webhookUrl: String, updatedAt: Date?) {
        configured = keys != nil
        mode = keys?.mode
        publishableKey = keys?.publishableKey
        secretKeyHint = keys.map { PaymentRules.hint($0.secretKey) }
        webhookSecretHint = keys.map { PaymentRules.hint($0.webhookSecret) }
        self.webhookUrl = webhookUrl
        webhookEvents = PaymentRules.stripeEvents
        self.updatedAt = updatedAt
    }
}

public enum PaymentRules {
    /// The Stripe events Vitrine acts on.
    public static let stripeEvents = [
        "payment_intent.succeeded", "payment_intent.payment_failed",
    ]

    /// `sk_test_…abcd`: the kind of key and its last four characters.
    public static func hint(_ secret: String) -> String {
        let parts = secret.split(separator: "_", maxSplits: 2)
        let prefix = parts.count == 3 ? "\(parts[0])_\(parts[1])_" : (parts.first.map { "\($0)_" } ?? "")
        return prefix + "…" + secret.suffix(4)
    }

    /// Checks the three keys: their kinds, and one mode (test or live) for both API keys.
    public static func check(_ input: StripeKeysInput) throws(DomainError) -> StripeKeys {
        func key(_ value: String?, field: String, prefixes: [String], example: String) throws(DomainError) -> String {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw .invalid(field, "'\(field)' is required.", code: "missing_field")
            }
            guard prefixes.contains(where: value.hasPrefix), (12...255).contains(value.count),
                value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else {
                throw .invalid(field, "'\(field)' is not a Stripe key of the right kind (\(example)).")
            }
            return value
        }
        let publishable = try key(
            input.publishableKey, field: "publishableKey", prefixes: ["pk_test_", "pk_live_"], example: "pk_test_…")
        let secret = try key(
            input.secretKey, field: "secretKey", prefixes: ["sk_test_", "sk_live_", "rk_test_", "rk_live_"],
            example: "sk_test_… or rk_test_…")
        let webhook = try key(input.webhookSecret, field: "webhookSecret", prefixes: ["whsec_"], example: "whsec_…")
        let live = publishable.hasPrefix("pk_live_")
        guard secret.hasPrefix(live ? "sk_live_" : "sk_test_") || secret.hasPrefix(live ? "rk_live_" : "rk_test_")
        else {
            throw .invalid(
                "secretKey", "The secret key and the publishable key must both be \(live ? "live" : "test") keys.",
                code: "mixed_modes")
        }
        return StripeKeys(publishableKey: publishable, secretKey: secret, webhookSecret: webhook)
    }
}
