import Foundation

// Promotions as the brand's team writes them: a code buyers type (percentage or fixed amount off,
// a minimum order, limits in all and per buyer, valid between two times or only during a live
// show), or an automatic offer of a show that applies by itself while the show is live.

/// A promotion as the team writes it (create: every required field; change: only those sent).
public struct PromotionInput: Sendable, Codable, Equatable {
    /// What buyers type; absent (or null) for a show's automatic offer.
    public var code: String?
    /// What the cart and the order show: "Offre du live", "-15 % avec LIVE15"…
    public var title: String?
    /// Percent off (1 to 100, up to two decimals), or `amountOff`.
    public var percentOff: Double?
    public var amountOff: Money?
    public var minimumOrder: Money?
    public var startsAt: Date?
    public var endsAt: Date?
    /// Only while this show is live; an automatic offer needs one.
    public var showId: UUID?
    public var usageLimit: Int?
    public var perCustomerLimit: Int?
    public var active: Bool?

    public init(
        code: String? = nil, title: String? = nil, percentOff: Double? = nil, amountOff: Money? = nil,
        minimumOrder: Money? = nil, startsAt: Date? = nil, endsAt: Date? = nil, showId: UUID? = nil,
        usageLimit: Int? = nil, perCustomerLimit: Int? = nil, active: Bool? = nil
    ) {
        self.code = code
        self.title = title
        self.percentOff = percentOff
        self.amountOff = amountOff
        self.minimumOrder = minimumOrder
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.showId = showId
        self.usageLimit = usageLimit
        self.perCustomerLimit = perCustomerLimit
        self.active = active
    }
}

/// A promotion as the team sees it: its rules, whether it is on, how often it was used.
public struct PromotionView: Sendable, Codable, Equatable {
    public var id: UUID
    public var code: String?
    public var title: String
    public var automatic: Bool
    public var percentOff: Double?
    public var amountOff: Money?
    public var minimumOrder: Money?
    public var startsAt: Date?
    public var endsAt: Date?
    public var showId: UUID?
    public var usageLimit: Int?
    public var perCustomerLimit: Int?
    public var active: Bool
    public var uses: Int
    public var createdAt: Date

    public init(_ promotion: Promotion, title: String, active: Bool, uses: Int, createdAt: Date) {
        id = promotion.id
        code = promotion.code
        self.title = title
        automatic = promotion.code == nil
        switch promotion.value {
        case .percentage(let basisPoints): percentOff = Double(basisPoints) / 100
        case .fixed(let amount): amountOff = amount
        }
        minimumOrder = promotion.minimumOrder
        startsAt = promotion.startsAt
        endsAt = promotion.endsAt
        showId = promotion.showId
        usageLimit = promotion.usageLimit
        perCustomerLimit = promotion.perCustomerLimit
        self.active = active
        self.uses = uses
        self.createdAt = createdAt
    }
}

public enum PromotionRules {
    /// A code as buyers type it, compared without case: 3 to 32 letters, digits, `-` and `_`.
    public static func normalise(code: String) -> String {
        code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    public static func isCode(_ code: String) -> Bool {
        (3...32).contains(code.count)
            && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Applies `input` to `current` (nil: a new promotion) and checks the result. Returns the
    /// promotion and its title.
    public static func apply(_ input: PromotionInput, to current: (Promotion, String)?, id: UUID, currency: String)
        throws(DomainError) -> (Promotion, String)
    {
        var promotion = current?.0 ?? Promotion(id: id, code: nil, value: .percentage(0))
        var title = current?.1 ?? ""
        if current == nil {
            if let code = input.code {
                let normalised = normalise(code: code)
                guard isCode(normalised) else {
                    throw .invalid("code", "A code is 3 to 32 letters, digits, '-' or '_'.")
                }
                promotion.code = normalised
            }
        } else if input.code != nil, input.code.map(normalise) != promotion.code {
            throw .invalid("code", "A promotion's code cannot change; make a new promotion.", code: "immutable_field")
        }
        switch (input.percentOff, input.amountOff) {
        case (.some, .some):
            throw .invalid("amountOff", "A promotion is either percentOff or amountOff, not both.")
        case (.some(let percent), nil):
            let basisPoints = (percent * 100).rounded()
            guard percent.isFinite, (100...10000).contains(basisPoints), abs(basisPoints - percent * 100) < 1e-6 else {
                throw .invalid("percentOff", "percentOff is 1 to 100, with at most two decimals.")
            }
            promotion.value = .percentage(Int(basisPoints))
        case (nil, .some(let amount)):
            guard amount.currency == currency, amount.minorUnits > 0, amount.minorUnits <= 100_000_000 else {
                throw .invalid("amountOff", "amountOff is a positive amount in \(currency).")
            }
            promotion.value = .fixed(amount)
        case (nil, nil):
            guard current != nil else {
                throw .invalid("percentOff", "A promotion needs percentOff or amountOff.", code: "missing_field")
            }
        }
        if let minimum = input.minimumOrder {
            guard minimum.currency == currency, minimum.minorUnits >= 0 else {
                throw .invalid("minimumOrder", "minimumOrder is an amount in \(currency).")
            }
            promotion.minimumOrder = minimum.minorUnits == 0 ? nil : minimum
        }
        if let start = input.startsAt { promotion.startsAt = start }
        if let end = input.endsAt { promotion.endsAt = end }
        if let start = promotion.startsAt, let end = promotion.endsAt, end <= start {
            throw .invalid("endsAt", "endsAt must be after startsAt.")
        }
        if let show = input.showId { promotion.showId = show }
        if promotion.code == nil && promotion.showId == nil {
            throw .invalid(
                "showId", "An automatic offer (no code) belongs to a show: it applies while that show is live.",
                code: "missing_field")
        }
        if let limit = input.usageLimit {
            guard (1...10_000_000).contains(limit) else { throw .invalid("usageLimit", "usageLimit is 1 or more.") }
            promotion.usageLimit = limit
        }
        if let limit = input.perCustomerLimit {
            guard (1...1000).contains(limit) else {
                throw .invalid("perCustomerLimit", "perCustomerLimit is 1 to 1000.")
            }
            promotion.perCustomerLimit = limit
        }
        if let text = input.title { title = try ProductRules.text(text, field: "title", max: 80) }
        if title.isEmpty {
            let off: String
            switch promotion.value {
            case .percentage(let basisPoints):
                off =
                    "-\(basisPoints % 100 == 0 ? "\(basisPoints / 100)" : String(format: "%.2f", Double(basisPoints) / 100)) %"
            case .fixed(let amount):
                off = "-\(Money.decimalString(minorUnits: amount.minorUnits)) \(amount.currency)"
            }
            title = promotion.code.map { "\($0) \(off)" } ?? off
        }
        return (promotion, title)
    }
}
