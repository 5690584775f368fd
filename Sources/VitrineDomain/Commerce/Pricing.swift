import Foundation

// The prices of a cart or an order, as the server makes them (a price sent by a client is never
// read): lines at the catalog's or the show's price, a promotion, delivery, and the VAT included
// in all of it, per rate. Prices include VAT (DESIGN.md); amounts are minor units of one currency.

/// A line to price: a variant, how many, and its unit price (VAT included).
public struct PricedLineInput: Sendable, Equatable {
    public var variantId: UUID
    public var quantity: Int
    /// The unit price the buyer pays: the show price of the lineup when there is one, else the
    /// variant's price.
    public var unitPrice: Money
    /// The price shown struck through: the variant's price under a show price, else its compare-at
    /// price (nil when not higher than the unit price).
    public var compareAtPrice: Money?
    /// VAT rate in basis points (2000 = 20 %).
    public var vatRate: Int

    public init(variantId: UUID, quantity: Int, unitPrice: Money, compareAtPrice: Money? = nil, vatRate: Int) {
        self.variantId = variantId
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.compareAtPrice = compareAtPrice
        self.vatRate = vatRate
    }
}

/// A promotion: a code a buyer types, or an offer applied by itself during a show.
public struct Promotion: Sendable, Equatable, Codable {
    public enum Value: Sendable, Equatable, Codable {
        /// Basis points off the lines (1500 = 15 %).
        case percentage(Int)
        /// A fixed amount off the lines, at most their total.
        case fixed(Money)
    }

    public var id: UUID
    /// What the buyer types (compared without case); nil for an automatic show offer.
    public var code: String?
    public var value: Value
    /// The lines must come to at least this much (before the discount).
    public var minimumOrder: Money?
    public var startsAt: Date?
    public var endsAt: Date?
    /// Only while this show is live (a "live only" code, or the show's automatic offer).
    public var showId: UUID?
    /// Uses in all, and per buyer (by e-mail address); nil for no limit.
    public var usageLimit: Int?
    public var perCustomerLimit: Int?

    public init(
        id: UUID, code: String?, value: Value, minimumOrder: Money? = nil, startsAt: Date? = nil, endsAt: Date? = nil,
        showId: UUID? = nil, usageLimit: Int? = nil, perCustomerLimit: Int? = nil
    ) {
        self.id = id
        self.code = code
        self.value = value
        self.minimumOrder = minimumOrder
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.showId = showId
        self.usageLimit = usageLimit
        self.perCustomerLimit = perCustomerLimit
    }
}

/// Where a promotion is being used: when, in which live show (if any), and how often it was used.
public struct PromotionContext: Sendable, Equatable {
    public var now: Date
    /// The show that is live where the buyer is buying (nil in a replay or outside a show).
    public var liveShowId: UUID?
    public var usesSoFar: Int
    public var usesByThisBuyer: Int

    public init(now: Date, liveShowId: UUID?, usesSoFar: Int = 0, usesByThisBuyer: Int = 0) {
        self.now = now
        self.liveShowId = liveShowId
        self.usesSoFar = usesSoFar
        self.usesByThisBuyer = usesByThisBuyer
    }
}

/// One line of a priced cart: its total, its share of the discount, and what is paid for it.
public struct PricedLine: Sendable, Equatable, Codable {
    public var variantId: UUID
    public var quantity: Int
    public var unitPrice: Money
    public var compareAtPrice: Money?
    public var vatRate: Int
    /// unitPrice × quantity.
    public var subtotal: Money
    /// This line's share of the promotion (what a refund of this line gives back less).
    public var discount: Money
    /// subtotal − discount.
    public var total: Money
}

/// VAT included in the total at one rate.
public struct VATLine: Sendable, Equatable, Codable {
    public var rate: Int
    /// What is taxed at this rate, VAT included.
    public var base: Money
    public var vat: Money
}

/// A cart or an order, priced.
public struct PricedCart: Sendable, Equatable, Codable {
    public var lines: [PricedLine]
    /// The lines before the discount.
    public var subtotal: Money
    public var discount: Money
    public var promotionId: UUID?
    public var delivery: Money
    public var total: Money
    /// VAT included, per rate, highest rate first.
    public var vat: [VATLine]
}

public enum Pricing {
    /// At most this many lines in a cart, and units of one variant in it.
    public static let maxLines = 50
    public static let maxQuantity = 99

    /// Checks a line's quantity: whole, 1 to 99 (a clear error names the line otherwise).
    public static func checkQuantity(_ quantity: Int, field: String = "quantity") throws {
        guard (1...maxQuantity).contains(quantity) else {
            throw DomainError.invalid(
                field, "A quantity is a whole number from 1 to \(maxQuantity); got \(quantity).",
                code: "invalid_quantity")
        }
    }

    /// Why a promotion does not apply to these lines here and now, or nil when it does.
    public static func refusal(of promotion: Promotion, subtotal: Money, context: PromotionContext) -> DomainError? {
        func refused(_ code: String, _ message: String) -> DomainError {
            DomainError(.invalid, code: code, message: message, field: "promotionCode")
        }
        if let start = promotion.startsAt, context.now < start {
            return refused("promotion_not_started", "This code is not valid yet.")
        }
        if let end = promotion.endsAt, context.now >= end {
            return refused("promotion_expired", "This code has expired.")
        }
        if let show = promotion.showId, context.liveShowId != show {
            return refused("promotion_live_only", "This code is valid only during its live show.")
        }
        if let limit = promotion.usageLimit, context.usesSoFar >= limit {
            return refused("promotion_used_up", "This code has been used as many times as it may be.")
        }
        if let limit = promotion.perCustomerLimit, context.usesByThisBuyer >= limit {
            return refused("promotion_already_used", "You have already used this code.")
        }
        if let minimum = promotion.minimumOrder, subtotal.minorUnits < minimum.minorUnits {
            let amount = "\(minimum.minorUnits / 100).\(String(format: "%02d", minimum.minorUnits % 100))"
            return refused("promotion_minimum", "This code needs an order of at least \(amount) \(minimum.currency).")
        }
        if case .fixed(let amount) = promotion.value, amount.currency != subtotal.currency {
            return refused("promotion_currency", "This code is for another currency.")
        }
        return nil
    }

    /// Prices lines with an optional promotion (already checked with `refusal`) and delivery.
    /// The discount is shared among lines in proportion to their totals (remainders to the largest
    /// lines), so that each line knows what it cost: a partial refund gives back exactly that.
    /// Delivery is taxed at `deliveryVatRate`.
    public static func price(
        _ inputs: [PricedLineInput], promotion: Promotion? = nil, delivery: Money? = nil, deliveryVatRate: Int = 2000
    ) throws -> PricedCart {
        guard let currency = inputs.first?.unitPrice.currency else {
            throw DomainError.invalid("lines", "The cart is empty.", code: "empty_cart")
        }
        guard inputs.count <= maxLines else {
            throw DomainError.invalid("lines", "A cart holds at most \(maxLines) lines.", code: "too_many_lines")
        }
        for (index, input) in inputs.enumerated() {
            try checkQuantity(input.quantity, field: "lines[\(index)].quantity")
            guard input.unitPrice.currency == currency, input.unitPrice.minorUnits >= 0 else {
                throw DomainError.invalid("lines[\(index)]", "Every line must be priced in \(currency).")
            }
        }
        let subtotals = inputs.map { $0.unitPrice.minorUnits * $0.quantity }
        let subtotal = subtotals.reduce(0, +)
        var discount = 0
        switch promotion?.value {
        case .percentage(let basisPoints):
            discount = roundedDivision(subtotal * min(max(basisPoints, 0), 10000), 10000)
        case .fixed(let amount):
            discount = min(max(amount.minorUnits, 0), subtotal)
        case nil:
            break
        }
        let shares = share(discount, among: subtotals)
        let lines = inputs.enumerated().map { index, input in
            PricedLine(
                variantId: input.variantId, quantity: input.quantity, unitPrice: input.unitPrice,
                compareAtPrice: input.compareAtPrice.flatMap {
                    $0.currency == currency && $0.minorUnits > input.unitPrice.minorUnits ? $0 : nil
                },
                vatRate: input.vatRate, subtotal: Money(minorUnits: subtotals[index], currency: currency),
                discount: Money(minorUnits: shares[index], currency: currency),
                total: Money(minorUnits: subtotals[index] - shares[index], currency: currency))
        }
        let deliveryAmount = max(0, delivery?.minorUnits ?? 0)
        var byRate: [Int: Int] = [:]
        for line in lines { byRate[line.vatRate, default: 0] += line.total.minorUnits }
        if deliveryAmount > 0 { byRate[deliveryVatRate, default: 0] += deliveryAmount }
        let vat = byRate.filter { $0.value > 0 }.sorted { $0.key > $1.key }.map { rate, base in
            VATLine(
                rate: rate, base: Money(minorUnits: base, currency: currency),
                vat: Money(minorUnits: includedVAT(base, rate: rate), currency: currency))
        }
        return PricedCart(
            lines: lines, subtotal: Money(minorUnits: subtotal, currency: currency),
            discount: Money(minorUnits: discount, currency: currency), promotionId: discount > 0 ? promotion?.id : nil,
            delivery: Money(minorUnits: deliveryAmount, currency: currency),
            total: Money(minorUnits: subtotal - discount + deliveryAmount, currency: currency), vat: vat)
    }

    /// The VAT inside an amount that includes it: amount × rate / (1 + rate), rounded half up.
    public static func includedVAT(_ amount: Int, rate: Int) -> Int {
        guard rate > 0 else { return 0 }
        return roundedDivision(amount * rate, 10000 + rate)
    }

    /// `total` shared in proportion to `weights`, whole units, adding up exactly (largest
    /// remainders first, ties to the earlier line).
    public static func share(_ total: Int, among weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        var parts = weights.map { $0 * total / sum }
        let remainders = weights.enumerated().map { ($0.offset, $0.element * total % sum) }
        var left = total - parts.reduce(0, +)
        for (index, _) in remainders.sorted(by: { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }) where left > 0 {
            parts[index] += 1
            left -= 1
        }
        return parts
    }

    /// a / b rounded half up, for non-negative a and positive b.
    static func roundedDivision(_ a: Int, _ b: Int) -> Int { (2 * a + b) / (2 * b) }
}

/// What a variant has to sell: Vitrine never sells beyond it when the policy is "deny".
///
/// The shop pushes `onHand`; Vitrine's own sales the shop has not yet acknowledged, and active
/// reservations (checkouts in progress), come off it. A flash drop's quantity is set aside: a push
/// never changes it.
public struct StockLevel: Sendable, Equatable, Codable {
    public var onHand: Int
    public var reserved: Int
    /// Sold by Vitrine and not yet counted in `onHand` by the shop.
    public var soldUnacknowledged: Int

    public init(onHand: Int, reserved: Int, soldUnacknowledged: Int) {
        self.onHand = onHand
        self.reserved = reserved
        self.soldUnacknowledged = soldUnacknowledged
    }

    /// What may still be reserved or sold.
    public var available: Int { max(0, onHand - reserved - soldUnacknowledged) }
    /// Nothing left to reserve, but some units are held by checkouts that may still give them back:
    /// viewers see "all reserved", not "sold out".
    /// (When the shop's count leaves nothing for them either, it is sold out.)
    public var allReserved: Bool { available == 0 && reserved > 0 && onHand - soldUnacknowledged > 0 }
    public var soldOut: Bool { available == 0 && !allReserved }

    /// Why more than `available` cannot be had: held by checkouts (`all_reserved`), nothing left
    /// (`soldOutCode`), or fewer than asked (`out_of_stock`).
    public func refusal(field: String, soldOutCode: String = "sold_out") -> DomainError {
        DomainError(
            .conflict, code: available > 0 ? "out_of_stock" : allReserved ? "all_reserved" : soldOutCode,
            message: available > 0
                ? "Only \(available) left."
                : allReserved
                    ? "Everything left is in other buyers' checkouts: it may come back when they expire." : "Sold out.",
            field: field)
    }
}

/// Order numbers people can read out on the phone: the brand's prefix and 6 characters without
/// look-alikes (no 0/O, 1/I/L), e.g. `ML-7K3QXD`.
public enum OrderNumber {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    /// Up to three letters from the brand's name ("Maison Lumière" → "ML").
    public static func prefix(brandName: String) -> String {
        let folded = brandName.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).uppercased()
        let words = folded.split { !$0.isLetter && !$0.isNumber }
        var letters = String(words.compactMap(\.first).filter { $0.isASCII && $0.isLetter }.prefix(3))
        if letters.count < 2 { letters = String(folded.filter { $0.isASCII && $0.isLetter }.prefix(2)) }
        return letters.isEmpty ? "VT" : letters
    }

    public static func make<R: RandomNumberGenerator>(brandName: String, using random: inout R) -> String {
        let code = (0..<6).map { _ in String(alphabet[Int(random.next() % UInt64(alphabet.count))]) }.joined()
        return "\(prefix(brandName: brandName))-\(code)"
    }
}
