import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// One page of an order listing, newest first.
public struct OrderPage: Sendable, Codable {
    public var items: [Order]
    public var page: Int
    public var perPage: Int
    public var total: Int
}

/// Which orders to list.
public struct OrderFilter: Sendable, Equatable {
    public var status: OrderStatus?
    public var showId: UUID?
    public var origin: OrderOrigin?
    public var email: String?
    public var from: Date?
    public var to: Date?

    public init(
        status: OrderStatus? = nil, showId: UUID? = nil, origin: OrderOrigin? = nil, email: String? = nil,
        from: Date? = nil, to: Date? = nil
    ) {
        self.status = status
        self.showId = showId
        self.origin = origin
        self.email = email
        self.from = from
        self.to = to
    }
}

/// A change the brand makes to an order.
public enum OrderChange: Sendable, Equatable {
    /// The money arrived (paid in store, a bank transfer).
    case markPaid
    /// Sent: the carrier, the tracking number, and a link to follow the parcel.
    case fulfil(carrier: String, trackingNumber: String, trackingUrl: String?)
    /// Cancelled before it was sent: the stock comes back.
    case cancel(reason: String?)
    /// Some units of some lines (by line id) refunded, their stock back; every unit refunded
    /// refunds the delivery too and makes the order `refunded`.
    case refund(lines: [UUID: Int], reason: String?)
}

/// What an acknowledgement did.
public struct OrderAcknowledgement: Sendable, Codable, Equatable {
    /// Orders counted now.
    public var acknowledged: Int
    /// Orders counted before (nothing changed for them).
    public var alreadyAcknowledged: Int
    /// Card orders whose payment is not confirmed: nothing of them is sold yet; send them again
    /// once paid.
    public var awaitingPayment: Int

    public init(acknowledged: Int, alreadyAcknowledged: Int, awaitingPayment: Int = 0) {
        self.acknowledged = acknowledged
        self.alreadyAcknowledged = alreadyAcknowledged
        self.awaitingPayment = awaitingPayment
    }
}

extension BrandScope {
    /// The brand's shop has counted these orders in its own stock (the quantity it pushes now has
    /// them off): their units stop coming off the pushed quantity. Each order counts once; unknown
    /// ids (or another brand's) are 404 and nothing changes.
    public func acknowledgeOrders(_ ids: [UUID]) async throws -> OrderAcknowledgement {
        let ids = Array(Set(ids))
        guard (1...1000).contains(ids.count) else {
            throw DomainError.invalid("orderIds", "Send 1 to 1000 order ids.")
        }
        let now = store.now
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.store.durable(on: sql)
            let rows = try await sql.raw(
                """
                SELECT id, status, payment, acknowledged_at FROM orders
                WHERE brand_id = \(bind: self.brandID) AND id IN (\(binds: ids))
                ORDER BY id\(self.store.isPostgres ? " FOR UPDATE" : "")
                """
            ).all()
            guard rows.count == ids.count else {
                throw DomainError(
                    .notFound, code: "not_found",
                    message: "\(ids.count - rows.count) of these orders are not this brand's.",
                    field: "orderIds")
            }
            var fresh: [UUID] = []
            var waiting = 0
            for row in rows where try row.decode(column: "acknowledged_at", as: Date?.self) == nil {
                if try row.decode(column: "payment", as: String.self) == PaymentMethod.stripe.rawValue,
                    try row.decode(column: "status", as: String.self) == OrderStatus.awaitingPayment.rawValue
                {
                    // Its card payment is not confirmed: nothing of it is sold yet, nothing to count.
                    waiting += 1
                    continue
                }
                fresh.append(try row.decode(column: "id", as: UUID.self))
            }
            if !fresh.isEmpty {
                // Units still sold (not cancelled, not refunded) leave `sold_unacknowledged`.
                for line in try await sql.raw(
                    """
                    SELECT l.variant_id, CAST(SUM(l.quantity - l.refunded_quantity) AS BIGINT) AS units FROM order_lines l
                    JOIN orders o ON o.id = l.order_id
                    WHERE l.order_id IN (\(binds: fresh)) AND o.status <> 'cancelled' AND l.drop_id IS NULL
                    GROUP BY l.variant_id
                    ORDER BY l.variant_id
                    """
                ).all() {
                    try await sql.raw(
                        """
                        UPDATE variants SET sold_unacknowledged = sold_unacknowledged - \(bind: try line.decode(column: "units", as: Int.self))
                        WHERE id = \(bind: try line.decode(column: "variant_id", as: UUID.self)) AND brand_id = \(bind: self.brandID)
                        """
                    ).run()
                }
                try await sql.raw(
                    "UPDATE orders SET acknowledged_at = \(bind: now) WHERE id IN (\(binds: fresh))"
                ).run()
            }
            return OrderAcknowledgement(
                acknowledged: fresh.count, alreadyAcknowledged: ids.count - fresh.count - waiting,
                awaitingPayment: waiting)
        }
    }

    public func order(_ id: UUID) async throws -> Order {
        try await order(id, on: db)
    }

    func order(_ id: UUID, on db: any Database) async throws -> Order {
        let orders = try await orders(where: "o.id = \(bind: id)", limit: 1, offset: 0, on: db as! any SQLDatabase)
        guard let order = orders.first else { throw DomainError.notFound }
        return order
    }

    /// A page of the brand's orders, newest first.
    public func orders(_ filter: OrderFilter, page: Int, perPage: Int) async throws -> OrderPage {
        let condition = Self.condition(filter)
        let count =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM orders o WHERE o.brand_id = \(bind: brandID) AND \(condition)"
            ).all().first?.decode(column: "n", as: Int.self) ?? 0
        let items = try await orders(
            where: condition, limit: perPage, offset: (page - 1) * perPage, on: sql)
        return OrderPage(items: items, page: page, perPage: perPage, total: count)
    }

    /// Every order matching `filter`, oldest first, a page at a time (the CSV export).
    public func eachOrder(_ filter: OrderFilter, pageSize: Int = 500, _ body: ([Order]) async throws -> Void)
        async throws
    {
        var offset = 0
        while true {
            let items = try await orders(
                where: Self.condition(filter), limit: pageSize, offset: offset, oldestFirst: true, on: sql)
            if items.isEmpty { return }
            try await body(items)
            offset += items.count
        }
    }

    static func condition(_ filter: OrderFilter) -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        if let status = filter.status { parts.append("o.status = \(bind: status.rawValue)") }
        if let show = filter.showId { parts.append("o.show_id = \(bind: show)") }
        if let origin = filter.origin { parts.append("o.origin = \(bind: origin.rawValue)") }
        if let email = filter.email { parts.append("o.email = \(bind: email.lowercased())") }
        if let from = filter.from { parts.append("o.created_at >= \(bind: from)") }
        if let to = filter.to { parts.append("o.created_at < \(bind: to)") }
        return parts.dropFirst().reduce(parts[0]) { $0 + " AND " + $1 }
    }

    func orders(
        where condition: SQLQueryString, limit: Int, offset: Int, oldestFirst: Bool = false, on sql: any SQLDatabase
    ) async throws -> [Order] {
        let direction: SQLQueryString = oldestFirst ? "ASC" : "DESC"
        let rows = try await sql.raw(
            """
            SELECT * FROM orders o WHERE o.brand_id = \(bind: brandID) AND \(condition)
            ORDER BY o.created_at \(direction), o.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        var lines: [UUID: [OrderLine]] = [:]
        for row in try await sql.raw(
            "SELECT * FROM order_lines WHERE brand_id = \(bind: brandID) AND order_id IN (\(binds: ids)) ORDER BY position"
        ).all() {
            let currency = try rows.first!.decode(column: "currency", as: String.self)
            func money(_ column: String) throws -> Money {
                Money(minorUnits: try row.decode(column: column, as: Int.self), currency: currency)
            }
            lines[try row.decode(column: "order_id", as: UUID.self), default: []].append(
                OrderLine(
                    id: try row.decode(column: "id", as: UUID.self),
                    variantId: try row.decode(column: "variant_id", as: UUID.self),
                    productId: try row.decode(column: "product_id", as: UUID.self),
                    title: try row.decode(column: "title", as: String.self),
                    variantTitle: try row.decode(column: "variant_title", as: String.self),
                    sku: try row.decode(column: "sku", as: String?.self),
                    quantity: try row.decode(
                        column: "quantity", as: Int.self), unitPrice: try money("unit_price"),
                    compareAtPrice: try row.decode(column: "compare_at_price", as: Int?.self).map {
                        Money(minorUnits: $0, currency: currency)
                    }, vatRate: try row.decode(column: "vat_rate", as: Int.self), discount: try money("discount"),
                    total: try money("total"),
                    refundedQuantity: try row.decode(column: "refunded_quantity", as: Int.self),
                    pinnedProductId: try row.decode(column: "pinned_product_id", as: UUID?.self),
                    dropId: try row.decode(column: "drop_id", as: UUID?.self)))
        }
        var history: [UUID: [OrderEvent]] = [:]
        for row in try await sql.raw(
            "SELECT * FROM order_events WHERE brand_id = \(bind: brandID) AND order_id IN (\(binds: ids)) ORDER BY at"
        ).all() {
            history[try row.decode(column: "order_id", as: UUID.self), default: []].append(
                OrderEvent(
                    at: try row.decode(column: "at", as: Date.self),
                    status: OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .cancelled,
                    note: try row.decode(column: "note", as: String?.self)))
        }
        let json = JSONDecoder()
        return try rows.map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let currency = try row.decode(column: "currency", as: String.self)
            func money(_ column: String) throws -> Money {
                Money(minorUnits: try row.decode(column: column, as: Int.self), currency: currency)
            }
            let createdAt = try row.decode(column: "created_at", as: Date.self)
            let payment = PaymentMethod(rawValue: try row.decode(column: "payment", as: String.self)) ?? .later
            var order = Order(
                id: id, number: try row.decode(column: "number", as: String.self),
                status: OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .cancelled,
                email: try row.decode(column: "email", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                phone: try row.decode(column: "phone", as: String?.self),
                address: try row.decode(column: "address", as: String?.self).map {
                    try json.decode(PostalAddress.self, from: Data($0.utf8))
                },
                delivery: DeliveryMethod(rawValue: try row.decode(column: "delivery", as: String.self)) ?? .home,
                pickupStoreId: try row.decode(column: "pickup_store_id", as: UUID?.self), payment: payment,
                lines: lines[id] ?? [], subtotal: try money("subtotal"), discount: try money("discount"),
                promotionCode: try row.decode(column: "promotion_code", as: String?.self),
                deliveryPrice: try money("delivery_price"), total: try money("total"), refunded: try money("refunded"),
                vat: try json.decode([VATLine].self, from: Data(try row.decode(column: "vat", as: String.self).utf8)),
                showId: try row.decode(column: "show_id", as: UUID?.self),
                origin: OrderOrigin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .none,
                language: try row.decode(column: "language", as: String.self),
                marketingConsent: try row.decode(column: "marketing_consent", as: Bool.self),
                carrier: try row.decode(column: "carrier", as: String?.self),
                trackingNumber: try row.decode(column: "tracking_number", as: String?.self),
                trackingUrl: try row.decode(column: "tracking_url", as: String?.self), createdAt: createdAt,
                history: [OrderEvent(at: createdAt, status: .awaitingPayment, note: nil)] + (history[id] ?? []))
            order.acknowledgedAt = try row.decode(column: "acknowledged_at", as: Date?.self)
            order.paymentReference = try row.decode(column: "payment_ref", as: String?.self)
            return order
        }
    }

    /// Applies a change: the order's new status and history, stock given back, and in the same
    /// transaction the webhook event and (for a fulfilment) the buyer's "shipped" e-mail.
    ///
    /// With `dryRun`, nothing is kept: the order comes back as the change would leave it (what a
    /// card refund must give back, asked of the provider before the change is written).
    /// With `expecting`, the change is refused (409 `order_changed`) unless the order still has this
    /// status and refunded amount: what a provider refunded after a dry run must match what is written.
    public func changeOrder(
        _ id: UUID, _ change: OrderChange, dryRun: Bool = false, expecting: (OrderStatus, Int)? = nil
    ) async throws -> Order {
        do {
            return try await writeChange(id, change, now: store.now, dryRun: dryRun, expecting: expecting)
        } catch let result as OrderDryRun {
            return result.order
        }
    }

    private func writeChange(
        _ id: UUID, _ change: OrderChange, now: Date, dryRun: Bool, expecting: (OrderStatus, Int)?
    ) async throws -> Order {
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.store.durable(on: sql)
            try await self.store.lock("orders", where: "id", equals: id, on: db)
            var order = try await self.order(id, on: db)
            if let (status, refunded) = expecting, order.status != status || order.refunded.minorUnits != refunded {
                throw DomainError(
                    .conflict, code: "order_changed", message: "The order changed meanwhile; look at it again.")
            }
            var note: String?
            let next: OrderStatus
            var giveBack: [(variant: UUID, quantity: Int, drop: UUID?)] = []
            // A card order that waits for its payment holds its stock; nothing is sold yet.
            let waitingForCard = order.payment == .stripe && order.status == .awaitingPayment
            switch change {
            case .markPaid, .fulfil:
                guard !waitingForCard else {
                    throw DomainError(
                        .conflict, code: "awaiting_card_payment",
                        message: "Stripe confirms this order's card payment; cancel it if the buyer pays another way.")
                }
            default: break
            }
            switch change {
            case .markPaid:
                next = .paid
            case .fulfil(let carrier, let tracking, let url):
                next = .fulfilled
                order.carrier = try ProductRules.text(carrier, field: "carrier", max: 80, required: true)
                order.trackingNumber = try ProductRules.text(tracking, field: "trackingNumber", max: 80, required: true)
                if let url, !url.isEmpty {
                    guard url.count <= 500, let parsed = URL(string: url),
                        parsed.scheme == "https" || parsed.scheme == "http",
                        parsed.host != nil
                    else { throw DomainError.invalid("trackingUrl", "A tracking link is an http(s) address.") }
                    order.trackingUrl = url
                }
                note = "\(order.carrier!) \(order.trackingNumber!)"
            case .cancel(let reason):
                next = .cancelled
                note = try reason.map { try ProductRules.text($0, field: "reason", max: 500) }
                if waitingForCard {
                    try await self.releaseOrderHolds(id, now: now, on: sql)
                } else {
                    giveBack = order.lines.map { ($0.variantId, $0.quantity - $0.refundedQuantity, $0.dropId) }
                }
                if order.payment == .stripe && order.status != .awaitingPayment {
                    // A paid card order cancelled: its money goes back (the provider refunds it first).
                    order.refunded = order.total
                }
            case .refund(let quantities, let reason):
                guard order.status == .paid || order.status == .fulfilled else {
                    throw DomainError(
                        .conflict, code: "not_refundable",
                        message:
                            "Only a paid order can be refunded (this one is \(order.status.rawValue)); cancel it instead."
                    )
                }
                guard !quantities.isEmpty else {
                    throw DomainError.invalid("lines", "Say which lines to refund, and how many units of each.")
                }
                var refunded = 0
                for (lineID, quantity) in quantities {
                    guard let index = order.lines.firstIndex(where: { $0.id == lineID }) else {
                        throw DomainError(
                            .notFound, code: "not_found", message: "This order has no such line.", field: "lines")
                    }
                    let line = order.lines[index]
                    guard quantity >= 1, quantity <= line.quantity - line.refundedQuantity else {
                        throw DomainError.invalid(
                            "lines",
                            "Line '\(line.title)' has \(line.quantity - line.refundedQuantity) units left to refund; got \(quantity).",
                            code: "invalid_quantity")
                    }
                    // Each unit's share of the line's total, the last unit taking the remainder.
                    let before = line.total.minorUnits * line.refundedQuantity / line.quantity
                    let after = line.total.minorUnits * (line.refundedQuantity + quantity) / line.quantity
                    refunded += after - before
                    order.lines[index].refundedQuantity += quantity
                    giveBack.append((line.variantId, quantity, line.dropId))
                    try await sql.raw(
                        "UPDATE order_lines SET refunded_quantity = \(bind: order.lines[index].refundedQuantity) WHERE id = \(bind: lineID)"
                    ).run()
                }
                let everything = order.lines.allSatisfy { $0.refundedQuantity == $0.quantity }
                if everything { refunded += order.deliveryPrice.minorUnits }
                order.refunded.minorUnits += refunded
                next = everything ? .refunded : order.status
                note = [
                    "\(Money.decimalString(minorUnits: refunded)) \(order.total.currency) refunded",
                    try reason.map { try ProductRules.text($0, field: "reason", max: 500) },
                ].compactMap { $0 }.joined(separator: ": ")
            }
            let partialRefund = if case .refund = change { next == order.status } else { false }
            if !partialRefund {
                guard OrderRules.canMove(from: order.status, to: next) else {
                    throw DomainError(
                        .conflict, code: "invalid_transition",
                        message: "An order that is \(order.status.rawValue) cannot become \(next.rawValue).")
                }
            }
            order.status = next
            // Variants first, then drops, each in id order: the order batch locks them so.
            for (variant, quantity, drop) in giveBack.sorted(by: {
                ($0.drop == nil ? 0 : 1, $0.drop?.uuidString ?? $0.variant.uuidString)
                    < ($1.drop == nil ? 0 : 1, $1.drop?.uuidString ?? $1.variant.uuidString)
            }) where quantity > 0 {
                if let drop {
                    // Bought in a flash drop: the units go back to the drop.
                    try await sql.raw(
                        "UPDATE flash_drops SET sold = sold - \(bind: quantity) WHERE id = \(bind: drop)"
                    ).run()
                    continue
                }
                // A sale the shop has not counted yet is simply undone; a counted one comes back on hand.
                let column: SQLQueryString =
                    order.acknowledgedAt == nil
                    ? "sold_unacknowledged = sold_unacknowledged - " : "inventory_quantity = inventory_quantity + "
                try await sql.raw(
                    "UPDATE variants SET " + column
                        + "\(bind: quantity) WHERE id = \(bind: variant) AND brand_id = \(bind: self.brandID)"
                ).run()
            }
            try await sql.raw(
                """
                UPDATE orders SET status = \(bind: order.status.rawValue), refunded = \(bind: order.refunded.minorUnits),
                carrier = \(bind: order.carrier), tracking_number = \(bind: order.trackingNumber),
                tracking_url = \(bind: order.trackingUrl), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND brand_id = \(bind: self.brandID)
                """
            ).run()
            try await self.addEvent(id, status: next, note: note, at: now, on: sql)
            order.history.append(OrderEvent(at: now, status: next, note: note))
            let event: WebhookEvent =
                switch change {
                case .markPaid: .orderPaid
                case .fulfil: .orderFulfilled
                case .cancel: .orderCancelled
                case .refund: .orderRefunded
                }
            try await self.emit(event, data: OrderWebhookData(order: order), on: db)
            if case .fulfil = change { try await self.enqueueOrderMail(id, mail: "shipped", on: db) }
            if dryRun { throw OrderDryRun(order: order) }
            return order
        }
    }
}

/// Rolls back a change made to see what it would do.
private struct OrderDryRun: Error {
    var order: Order
}
