import Foundation

// Orders: what a buyer sends to place one, the rules it must pass before any stock moves, and the
// order as the brand and the buyer see it. Prices are never read from the buyer: the store prices
// the lines from the catalog (or the show's price) when it writes the order.

/// Where an order stands. Partial refunds leave the status as it was; the lines say what was refunded.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    /// Placed with "pay later / in store": the stock is taken, the money not yet received.
    case awaitingPayment = "awaiting_payment"
    case paid
    /// Sent (or handed over), with a carrier and a tracking number.
    case fulfilled
    /// Cancelled before it was fulfilled: the stock came back.
    case cancelled
    /// Refunded in full.
    case refunded
}

/// How the buyer pays.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    /// Pay later, or in store: the order awaits payment.
    case later
    /// A card through Stripe's Payment Element.
    case stripe
}

/// Home delivery, or pick-up in one of the brand's stores.
public enum DeliveryMethod: String, Sendable, Codable, CaseIterable {
    case home
    case pickup
}

/// Where the buyer was when they bought: in a live show, in its replay, or elsewhere.
public enum OrderOrigin: String, Sendable, Codable, CaseIterable {
    case live
    case replay
    case none
}

/// A postal address, as written on a parcel.
public struct PostalAddress: Sendable, Codable, Equatable, Hashable {
    public var line1: String
    public var line2: String?
    public var postalCode: String
    public var city: String
    /// ISO 3166-1 alpha-2, e.g. "FR".
    public var country: String

    public init(line1: String, line2: String? = nil, postalCode: String, city: String, country: String) {
        self.line1 = line1
        self.line2 = line2
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }
}

/// One line a buyer asks for.
public struct OrderLineInput: Sendable, Codable, Equatable, Hashable {
    public var variantId: UUID
    public var quantity: Int
    /// The product pinned in the player when the buyer added this line (attribution).
    public var pinnedProductId: UUID?

    public init(variantId: UUID, quantity: Int, pinnedProductId: UUID? = nil) {
        self.variantId = variantId
        self.quantity = quantity
        self.pinnedProductId = pinnedProductId
    }
}

/// What a buyer sends to place an order: who, where, what, how they pay, and where they were.
/// Unknown fields (a price, a total) are ignored: the server prices.
public struct OrderInput: Sendable, Codable, Equatable, Hashable {
    public var email: String
    public var name: String
    public var phone: String?
    /// Required for home delivery.
    public var address: PostalAddress?
    public var delivery: DeliveryMethod?
    public var pickupStoreId: UUID?
    public var lines: [OrderLineInput]
    public var payment: PaymentMethod?
    public var showId: UUID?
    public var origin: OrderOrigin?
    public var promotionCode: String?
    public var acceptTerms: Bool?
    /// Unchecked by default: nil or false is "no".
    public var marketingConsent: Bool?
    /// "fr" or "en": the language of the e-mails.
    public var language: String?
    public var viewerId: String?

    public init(
        email: String, name: String, phone: String? = nil, address: PostalAddress? = nil,
        delivery: DeliveryMethod? = .home, pickupStoreId: UUID? = nil, lines: [OrderLineInput],
        payment: PaymentMethod? = .later, showId: UUID? = nil, origin: OrderOrigin? = nil, promotionCode: String? = nil,
        acceptTerms: Bool? = true, marketingConsent: Bool? = nil, language: String? = nil, viewerId: String? = nil
    ) {
        self.email = email
        self.name = name
        self.phone = phone
        self.address = address
        self.delivery = delivery
        self.pickupStoreId = pickupStoreId
        self.lines = lines
        self.payment = payment
        self.showId = showId
        self.origin = origin
        self.promotionCode = promotionCode
        self.acceptTerms = acceptTerms
        self.marketingConsent = marketingConsent
        self.language = language
        self.viewerId = viewerId
    }
}

/// A line of an order as written: what was bought, at what price, and what was refunded of it.
public struct OrderLine: Sendable, Codable, Equatable {
    public var id: UUID
    public var variantId: UUID
    public var productId: UUID
    public var title: String
    /// The variant's options, e.g. "50 ml".
    public var variantTitle: String
    public var sku: String?
    public var quantity: Int
    public var unitPrice: Money
    public var compareAtPrice: Money?
    public var vatRate: Int
    public var discount: Money
    public var total: Money
    public var refundedQuantity: Int
    public var pinnedProductId: UUID?
    /// The flash drop this line was bought in (its units come from the drop's quantity).
    public var dropId: UUID?

    public init(
        id: UUID, variantId: UUID, productId: UUID, title: String, variantTitle: String, sku: String?, quantity: Int,
        unitPrice: Money, compareAtPrice: Money?, vatRate: Int, discount: Money, total: Money, refundedQuantity: Int,
        pinnedProductId: UUID?, dropId: UUID? = nil
    ) {
        self.id = id
        self.variantId = variantId
        self.productId = productId
        self.title = title
        self.variantTitle = variantTitle
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.compareAtPrice = compareAtPrice
        self.vatRate = vatRate
        self.discount = discount
        self.total = total
        self.refundedQuantity = refundedQuantity
        self.pinnedProductId = pinnedProductId
        self.dropId = dropId
    }
}

/// A change in an order's life: placed, paid, fulfilled, refunded…, when, and by whom.
public struct OrderEvent: Sendable, Codable, Equatable {
    public var at: Date
    public var status: OrderStatus
    public var note: String?

    public init(at: Date, status: OrderStatus, note: String?) {
        self.at = at
        self.status = status
        self.note = note
    }
}

/// An order as the brand sees it (the buyer sees the same, less the history's notes).
public struct Order: Sendable, Codable, Equatable {
    public var id: UUID
    public var number: String
    public var status: OrderStatus
    public var email: String
    public var name: String
    public var phone: String?
    public var address: PostalAddress?
    public var delivery: DeliveryMethod
    public var pickupStoreId: UUID?
    public var payment: PaymentMethod
    public var lines: [OrderLine]
    public var subtotal: Money
    public var discount: Money
    public var promotionCode: String?
    public var deliveryPrice: Money
    public var total: Money
    public var refunded: Money
    public var vat: [VATLine]
    public var showId: UUID?
    public var origin: OrderOrigin
    public var language: String
    public var marketingConsent: Bool
    public var carrier: String?
    public var trackingNumber: String?
    public var trackingUrl: String?
    public var createdAt: Date
    /// When the brand's shop counted this order's units in the stock it pushes (nil: not yet).
    public var acknowledgedAt: Date?
    /// The payment at the provider (a Stripe PaymentIntent's id), for a card payment.
    public var paymentReference: String?
    public var history: [OrderEvent]

    public init(
        id: UUID, number: String, status: OrderStatus, email: String, name: String, phone: String?,
        address: PostalAddress?, delivery: DeliveryMethod, pickupStoreId: UUID?, payment: PaymentMethod,
        lines: [OrderLine], subtotal: Money, discount: Money, promotionCode: String?, deliveryPrice: Money,
        total: Money, refunded: Money, vat: [VATLine], showId: UUID?, origin: OrderOrigin, language: String,
        marketingConsent: Bool, carrier: String?, trackingNumber: String?, trackingUrl: String?, createdAt: Date,
        history: [OrderEvent]
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.email = email
        self.name = name
        self.phone = phone
        self.address = address
        self.delivery = delivery
        self.pickupStoreId = pickupStoreId
        self.payment = payment
        self.lines = lines
        self.subtotal = subtotal
        self.discount = discount
        self.promotionCode = promotionCode
        self.deliveryPrice = deliveryPrice
        self.total = total
        self.refunded = refunded
        self.vat = vat
        self.showId = showId
        self.origin = origin
        self.language = language
        self.marketingConsent = marketingConsent
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.trackingUrl = trackingUrl
        self.createdAt = createdAt
        self.history = history
        self.acknowledgedAt = nil
        self.paymentReference = nil
    }
}

/// The checks an order's input passes before the store looks at stock or prices.
public enum OrderRules {
    public static let maxIdempotencyKey = 200

    /// The input, trimmed and checked: a clear error names the first field at fault.
    public static func check(_ input: OrderInput) throws(DomainError) -> OrderInput {
        var order = input
        order.email = input.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard order.email.count <= 254, EmailRules.isValid(order.email) else {
            throw .invalid("email", "'\(String(input.email.prefix(80)))' is not an e-mail address.")
        }
        order.name = try ProductRules.text(input.name, field: "name", max: 120, required: true)
        if let phone = input.phone {
            let trimmed = try ProductRules.text(phone, field: "phone", max: 30)
            guard trimmed.allSatisfy({ $0.isNumber || " +-.()".contains($0) }),
                trimmed.filter(\.isNumber).count >= (trimmed.isEmpty ? 0 : 6)
            else { throw .invalid("phone", "A phone number has digits, spaces and + - . ( ) only.") }
            order.phone = trimmed.isEmpty ? nil : trimmed
        }
        guard !input.lines.isEmpty else { throw .invalid("lines", "The order has no lines.", code: "empty_cart") }
        guard input.lines.count <= Pricing.maxLines else {
            throw .invalid("lines", "An order has at most \(Pricing.maxLines) lines.", code: "too_many_lines")
        }
        var seen = Set<UUID>()
        for (index, line) in input.lines.enumerated() {
            do { try Pricing.checkQuantity(line.quantity, field: "lines[\(index)].quantity") } catch {
                throw error as! DomainError
            }
            guard seen.insert(line.variantId).inserted else {
                throw .invalid("lines[\(index)].variantId", "This variant is on two lines; give one line its quantity.")
            }
        }
        let delivery = input.delivery ?? .home
        order.delivery = delivery
        switch delivery {
        case .home:
            guard let address = input.address else {
                throw .invalid("address", "Home delivery needs an address.", code: "missing_field")
            }
            order.address = try PostalRules.check(address, field: "address")
            order.pickupStoreId = nil
        case .pickup:
            guard input.pickupStoreId != nil else {
                throw .invalid("pickupStoreId", "Pick-up needs one of the brand's stores.", code: "missing_field")
            }
            order.address = try input.address.map { address throws(DomainError) in
                try PostalRules.check(address, field: "address")
            }
        }
        // Whether the brand takes cards is the store's to say (its Stripe keys).
        order.payment = input.payment ?? .later
        guard input.acceptTerms == true else {
            throw .invalid("acceptTerms", "The terms of sale must be accepted.", code: "terms_not_accepted")
        }
        order.marketingConsent = input.marketingConsent ?? false
        order.language = input.language == "en" ? "en" : "fr"
        if let code = input.promotionCode {
            let trimmed = try ProductRules.text(code, field: "promotionCode", max: 40)
            order.promotionCode = trimmed.isEmpty ? nil : trimmed.uppercased()
        }
        if let viewer = input.viewerId {
            guard viewer.count <= 64, viewer.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else { throw .invalid("viewerId", "A viewer id is up to 64 letters, digits and dashes.") }
        }
        order.origin = input.showId == nil ? OrderOrigin.none : (input.origin ?? .live)
        return order
    }

    /// An idempotency key: 1 to 200 visible ASCII characters.
    public static func checkIdempotencyKey(_ key: String?) throws(DomainError) -> String {
        guard let key, !key.isEmpty else {
            throw .invalid(
                "idempotencyKey",
                "An order needs an idempotency key (the Idempotency-Key header): the same key again returns the same order.",
                code: "missing_idempotency_key")
        }
        guard key.count <= maxIdempotencyKey, key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw .invalid(
                "idempotencyKey", "An idempotency key is 1 to \(maxIdempotencyKey) visible ASCII characters.")
        }
        return key
    }

    /// Which status an order may move to from `status`.
    public static func canMove(from status: OrderStatus, to next: OrderStatus) -> Bool {
        switch (status, next) {
        case (.awaitingPayment, .paid), (.awaitingPayment, .cancelled), (.awaitingPayment, .fulfilled): true
        case (.paid, .fulfilled), (.paid, .cancelled), (.paid, .refunded): true
        case (.fulfilled, .refunded): true
        default: false
        }
    }
}
