import Foundation

// Flash drops: a lineup product's variant sold at a drop price from a limited quantity set aside
// for it, opening at one wall-clock instant that every viewer counts down to (at least 10 s, so
// that a viewer whose video runs behind still sees it coming), with a limit per buyer (by e-mail).
// The quantity is the drop's own: a stock push from the brand's shop never changes it.

/// A flash drop of a show.
public struct FlashDrop: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Made, not started: nothing sold yet.
        case ready
        /// Started: every viewer counts down to `opensAt`.
        case countdown
        case open
        /// Nothing left, but card payments in progress hold units that may come back.
        case allReserved = "all_reserved"
        case soldOut = "sold_out"
        /// Ended by the team: no more sales.
        case closed
    }

    public var id: UUID
    public var showId: UUID
    public var productId: UUID
    public var variantId: UUID
    /// Units set aside for the drop.
    public var quantity: Int
    public var price: Money
    /// Units one buyer (one e-mail address) may buy; nil for no limit.
    public var perCustomer: Int?
    /// Seconds between the start and the opening (10 to 600).
    public var countdownSeconds: Int
    public var opensAt: Date?
    public var closedAt: Date?
    public var sold: Int
    public var reserved: Int

    public init(
        id: UUID, showId: UUID, productId: UUID, variantId: UUID, quantity: Int, price: Money, perCustomer: Int?,
        countdownSeconds: Int, opensAt: Date?, closedAt: Date?, sold: Int, reserved: Int
    ) {
        self.id = id
        self.showId = showId
        self.productId = productId
        self.variantId = variantId
        self.quantity = quantity
        self.price = price
        self.perCustomer = perCustomer
        self.countdownSeconds = countdownSeconds
        self.opensAt = opensAt
        self.closedAt = closedAt
        self.sold = sold
        self.reserved = reserved
    }

    public var left: Int { max(0, quantity - sold - reserved) }

    public func status(at now: Date) -> Status {
        if closedAt != nil { return .closed }
        guard let opensAt else { return .ready }
        if now < opensAt { return .countdown }
        if left > 0 { return .open }
        return reserved > 0 ? .allReserved : .soldOut
    }
}

/// A drop as viewers and the team see it: its figures now, and the server's clock (viewers count
/// down with it, whatever their own clock says).
public struct FlashDropView: Sendable, Codable, Equatable {
    public var id: UUID
    public var showId: UUID
    public var productId: UUID
    public var variantId: UUID
    public var quantity: Int
    public var left: Int
    public var sold: Int
    public var price: Money
    public var perCustomer: Int?
    public var countdownSeconds: Int
    public var opensAt: Date?
    public var status: FlashDrop.Status
    public var serverTime: Date

    /// The view as of `now` (the status moves from countdown to open with the clock alone).
    public func seen(now: Date) -> FlashDropView {
        var view = self
        view.serverTime = now
        if status == .countdown, let opensAt, now >= opensAt {
            view.status = left > 0 ? .open : .soldOut
        }
        return view
    }

    /// Whether viewers must hear of `other` (anything but the server's clock changed).
    public func changed(from other: FlashDropView) -> Bool {
        var a = self
        var b = other
        a.serverTime = b.serverTime
        // Opening is each viewer's countdown reaching zero: no event needed for it.
        if a.status == .countdown && b.status == .open { a.status = .open }
        if a.status == .open && b.status == .countdown { b.status = .open }
        return a != b
    }

    public init(_ drop: FlashDrop, now: Date) {
        id = drop.id
        showId = drop.showId
        productId = drop.productId
        variantId = drop.variantId
        quantity = drop.quantity
        left = drop.left
        sold = drop.sold
        price = drop.price
        perCustomer = drop.perCustomer
        countdownSeconds = drop.countdownSeconds
        opensAt = drop.opensAt
        status = drop.status(at: now)
        serverTime = now
    }
}

/// A drop as the team writes it (create: productId, quantity and price; change: fields sent).
public struct FlashDropInput: Sendable, Codable, Equatable {
    public var productId: UUID?
    /// The product's variant on sale (its first variant when absent).
    public var variantId: UUID?
    public var quantity: Int?
    public var price: Money?
    public var perCustomer: Int?
    public var countdownSeconds: Int?
    /// A set opening time, instead of the host's start.
    public var opensAt: Date?

    public init(
        productId: UUID? = nil, variantId: UUID? = nil, quantity: Int? = nil, price: Money? = nil,
        perCustomer: Int? = nil, countdownSeconds: Int? = nil, opensAt: Date? = nil
    ) {
        self.productId = productId
        self.variantId = variantId
        self.quantity = quantity
        self.price = price
        self.perCustomer = perCustomer
        self.countdownSeconds = countdownSeconds
        self.opensAt = opensAt
    }
}

public enum FlashDropRules {
    public static let minimumCountdown = 10
    public static let maximumCountdown = 600
    public static let maximumQuantity = 10_000_000

    /// Applies `input` to `drop` (a new drop already has its product, variant and currency) and
    /// checks the result at `now`.
    public static func apply(_ input: FlashDropInput, to drop: FlashDrop, isNew: Bool, now: Date) throws(DomainError)
        -> FlashDrop
    {
        var drop = drop
        if let quantity = input.quantity {
            guard (1...maximumQuantity).contains(quantity) else {
                throw .invalid("quantity", "A drop sets aside 1 to \(maximumQuantity) units.")
            }
            guard quantity >= drop.sold + drop.reserved else {
                throw .invalid(
                    "quantity",
                    "\(drop.sold + drop.reserved) units are already sold or held: the quantity cannot go below.")
            }
            drop.quantity = quantity
        } else if isNew {
            throw .invalid("quantity", "A drop needs a quantity.", code: "missing_field")
        }
        if let price = input.price {
            guard price.currency == drop.price.currency, price.minorUnits > 0 else {
                throw .invalid("price", "The drop price is a positive amount in \(drop.price.currency).")
            }
            drop.price = price
        } else if isNew {
            throw .invalid("price", "A drop needs a price.", code: "missing_field")
        }
        if let limit = input.perCustomer {
            guard (1...Pricing.maxQuantity).contains(limit) else {
                throw .invalid("perCustomer", "perCustomer is 1 to \(Pricing.maxQuantity).")
            }
            drop.perCustomer = limit
        }
        if let seconds = input.countdownSeconds {
            guard (minimumCountdown...maximumCountdown).contains(seconds) else {
                throw .invalid(
                    "countdownSeconds",
                    "The countdown lasts \(minimumCountdown) to \(maximumCountdown) s, so that every viewer sees it coming."
                )
            }
            drop.countdownSeconds = seconds
        }
        if let opensAt = input.opensAt {
            guard drop.status(at: now) == .ready || drop.status(at: now) == .countdown else {
                throw .invalid("opensAt", "This drop is already open.", code: "drop_started")
            }
            guard opensAt.timeIntervalSince(now) >= Double(minimumCountdown) else {
                throw .invalid("opensAt", "A drop opens at least \(minimumCountdown) s from now.")
            }
            drop.opensAt = opensAt
        }
        return drop
    }
}
