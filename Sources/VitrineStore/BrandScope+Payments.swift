import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// What became of a card payment the provider confirmed.
public enum PaymentConfirmation: Sendable {
    /// The order is paid: the stock it held (or, its hold expired, what was left) is sold.
    case paid(Order)
    /// Confirmed before (a retried webhook): nothing changed.
    case unchanged(Order)
    /// The money arrived for an order that cannot have it: cancelled meanwhile, or its hold expired
    /// and nothing is left. The caller refunds it through the provider, then `refundedAutomatically`.
    case refundNeeded(Order, reason: String)
}

extension BrandScope {
    static let stripeProvider = "stripe"

    /// The brand's Stripe keys, opened; nil when it takes no cards.
    public func stripeKeys(box: SecretBox) async throws -> StripeKeys? {
        try await stripeSettings(box: box)?.keys
    }

    public func stripeSettings(box: SecretBox) async throws -> (keys: StripeKeys, updatedAt: Date)? {
        let rows = try await sql.raw(
            """
            SELECT publishable_key, secret_key, webhook_secret, updated_at FROM payment_settings
            WHERE brand_id = \(bind: brandID) AND provider = \(bind: Self.stripeProvider)
            """
        ).all()
        guard let row = rows.first else { return nil }
        return (
            StripeKeys(
                publishableKey: try row.decode(column: "publishable_key", as: String.self),
                secretKey: try box.open(try row.decode(column: "secret_key", as: String.self)),
                webhookSecret: try box.open(try row.decode(column: "webhook_secret", as: String.self))),
            try row.decode(column: "updated_at", as: Date.self)
        )
    }

    /// The brand's publishable key alone (the player's page), without opening the secret ones.
    public func stripePublishableKey() async throws -> String? {
        try await sql.raw(
            """
            SELECT publishable_key FROM payment_settings
            WHERE brand_id = \(bind: brandID) AND provider = \(bind: Self.stripeProvider)
            """
        ).all().first?.decode(column: "publishable_key", as: String.self)
    }

    /// Keeps the brand's Stripe keys, the secret ones sealed.
    public func setStripeKeys(_ keys: StripeKeys, box: SecretBox) async throws {
        let now = store.now
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await sql.raw(
                "DELETE FROM payment_settings WHERE brand_id = \(bind: self.brandID) AND provider = \(bind: Self.stripeProvider)"
            ).run()
            try await sql.raw(
                """
                INSERT INTO payment_settings (brand_id, provider, publishable_key, secret_key, webhook_secret, updated_at)
                VALUES (\(bind: self.brandID), \(bind: Self.stripeProvider), \(bind: keys.publishableKey),
                \(bind: try box.seal(keys.secretKey)), \(bind: try box.seal(keys.webhookSecret)), \(bind: now))
                """
            ).run()
        }
    }

    /// Forgets the brand's Stripe keys: its viewers pay later or in store from now on.
    public func removeStripeKeys() async throws {
        try await sql.raw(
            "DELETE FROM payment_settings WHERE brand_id = \(bind: brandID) AND provider = \(bind: Self.stripeProvider)"
        ).run()
    }

    /// Whether the brand takes cards (its keys kept), without opening them.
    public func takesCards() async throws -> Bool {
        try await !sql.raw(
            "SELECT brand_id FROM payment_settings WHERE brand_id = \(bind: brandID) AND provider = \(bind: Self.stripeProvider)"
        ).all().isEmpty
    }

    /// Notes the provider's payment (a PaymentIntent) an order waits for.
    public func setPaymentReference(orderID: UUID, reference: String) async throws {
        try await sql.raw(
            """
            UPDATE orders SET payment_ref = \(bind: reference)
            WHERE id = \(bind: orderID) AND brand_id = \(bind: brandID) AND payment_ref IS NULL
            """
        ).run()
    }

    /// The order a provider's payment belongs to.
    public func order(paymentReference: String) async throws -> Order? {
        try await orders(where: "o.payment_ref = \(bind: paymentReference)", limit: 1, offset: 0, on: sql).first
    }

    /// The provider says the order's money arrived. Its holds become sales; a hold that expired
    /// takes what is left instead, all lines or none. When something is missing, the order is
    /// cancelled in the same transaction (its holds given back) and `refundNeeded` says so: a
    /// retried confirmation then finds it cancelled, never paid.
    public func confirmPayment(orderID: UUID, note: String) async throws -> PaymentConfirmation {
        let now = store.now
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.store.durable(on: sql)
            try await self.store.lock("orders", where: "id", equals: orderID, on: db)
            var order = try await self.order(orderID, on: db)
            switch order.status {
            case .paid, .fulfilled, .refunded:
                return .unchanged(order)
            case .cancelled:
                guard order.refunded.minorUnits < order.total.minorUnits else { return .unchanged(order) }
                return .refundNeeded(order, reason: "cancelled before its payment arrived")
            case .awaitingPayment:
                break
            }
            func readHolds() async throws -> [(id: UUID, variant: UUID, quantity: Int, active: Bool, drop: UUID?)] {
                try await sql.raw(
                    """
                    SELECT id, variant_id, quantity, state, drop_id FROM stock_reservations
                    WHERE order_id = \(bind: orderID) AND brand_id = \(bind: self.brandID) AND state <> 'taken'
                    ORDER BY variant_id
                    """
                ).all().map {
                    (
                        id: try $0.decode(column: "id", as: UUID.self),
                        variant: try $0.decode(column: "variant_id", as: UUID.self),
                        quantity: try $0.decode(column: "quantity", as: Int.self),
                        active: try $0.decode(column: "state", as: String.self)
                            == StockReservation.State.active.rawValue,
                        drop: try $0.decode(column: "drop_id", as: UUID?.self)
                    )
                }
            }
            // The variants, then the drops, locked in id order as the order batch locks them; the
            // holds are read again under those locks, so that an expiry (which locks the variant
            // first) cannot give a hold back while it is being taken.
            var holds = try await readHolds()
            let variants = Array(Set(holds.map(\.variant)))
            let drops = Array(Set(holds.compactMap(\.drop)))
            if self.store.isPostgres {
                if !variants.isEmpty {
                    try await sql.raw(
                        "SELECT id FROM variants WHERE id IN (\(binds: variants)) ORDER BY id FOR UPDATE"
                    ).run()
                }
                if !drops.isEmpty {
                    try await sql.raw(
                        "SELECT id FROM flash_drops WHERE id IN (\(binds: drops)) ORDER BY id FOR UPDATE"
                    ).run()
                }
                holds = try await readHolds()
            }
            // What expired holds need must all be there, or nothing is taken.
            var needed: [UUID: Int] = [:]
            var dropNeeded: [UUID: Int] = [:]
            for hold in holds where !hold.active {
                if let drop = hold.drop {
                    dropNeeded[drop, default: 0] += hold.quantity
                } else {
                    needed[hold.variant, default: 0] += hold.quantity
                }
            }
            if !needed.isEmpty {
                for row in try await sql.raw(
                    """
                    SELECT id, inventory_policy, inventory_quantity - reserved - sold_unacknowledged AS available
                    FROM variants WHERE id IN (\(binds: Array(needed.keys)))
                    """
                ).all() {
                    let id = try row.decode(column: "id", as: UUID.self)
                    let deny =
                        try row.decode(column: "inventory_policy", as: String.self) == InventoryPolicy.deny.rawValue
                    let available = try row.decode(column: "available", as: Int.self)
                    if !deny || available >= needed[id] ?? 0 { needed[id] = nil }
                }
            }
            if !dropNeeded.isEmpty {
                for row in try await sql.raw(
                    """
                    SELECT id, quantity - sold - reserved AS available FROM flash_drops
                    WHERE id IN (\(binds: Array(dropNeeded.keys)))
                    """
                ).all() {
                    let id = try row.decode(column: "id", as: UUID.self)
                    if try row.decode(column: "available", as: Int.self) >= dropNeeded[id] ?? 0 { dropNeeded[id] = nil }
                }
            }
            if let missing = needed.keys.first
                ?? dropNeeded.keys.first.flatMap({ drop in holds.first { $0.drop == drop }?.variant })
            {
                let title = order.lines.first { $0.variantId == missing }?.title ?? "an item"
                let reason = "\(title) sold out after the order's hold expired"
                try await self.releaseOrderHolds(orderID, now: now, on: sql)
                try await self.setStatus(
                    orderID, .cancelled, note: "Paid after its hold expired: \(reason).", at: now, on: sql)
                order.status = .cancelled
                return .refundNeeded(order, reason: reason)
            }
            for hold in holds {
                if let drop = hold.drop {
                    try await sql.raw(
                        """
                        UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now)
                        WHERE id = \(bind: hold.id) AND state <> 'taken'
                        """
                    ).run()
                    let back: SQLQueryString = hold.active ? "reserved = reserved - \(bind: hold.quantity), " : ""
                    try await sql.raw(
                        "UPDATE flash_drops SET " + back
                            + "sold = sold + \(bind: hold.quantity) WHERE id = \(bind: drop)"
                    ).run()
                    continue
                }
                if hold.active {
                    try await sql.raw(
                        """
                        UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now)
                        WHERE id = \(bind: hold.id)
                        """
                    ).run()
                    try await sql.raw(
                        """
                        UPDATE variants SET reserved = reserved - \(bind: hold.quantity),
                        sold_unacknowledged = sold_unacknowledged + \(bind: hold.quantity)
                        WHERE id = \(bind: hold.variant) AND brand_id = \(bind: self.brandID)
                        """
                    ).run()
                } else {
                    try await sql.raw(
                        """
                        UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now)
                        WHERE id = \(bind: hold.id)
                        """
                    ).run()
                    try await sql.raw(
                        """
                        UPDATE variants SET sold_unacknowledged = sold_unacknowledged + \(bind: hold.quantity)
                        WHERE id = \(bind: hold.variant) AND brand_id = \(bind: self.brandID)
                        """
                    ).run()
                }
            }
            order.status = .paid
            try await self.setStatus(orderID, .paid, note: note, at: now, on: sql)
            order.history.append(OrderEvent(at: now, status: .paid, note: note))
            try await self.emit(.orderPaid, data: OrderWebhookData(order: order), on: db)
            try await self.enqueueOrderMail(orderID, mail: "confirmation", on: db)
            return .paid(order)
        }
    }

    func setStatus(_ orderID: UUID, _ status: OrderStatus, note: String, at now: Date, on sql: any SQLDatabase)
        async throws
    {
        try await sql.raw(
            """
            UPDATE orders SET status = \(bind: status.rawValue), updated_at = \(bind: now)
            WHERE id = \(bind: orderID) AND brand_id = \(bind: brandID)
            """
        ).run()
        try await addEvent(orderID, status: status, note: note, at: now, on: sql)
    }

    /// The provider gave the buyer's money back by itself, for an order that could not keep it
    /// (cancelled before its payment arrived, or paid after its hold expired with nothing left):
    /// the order shows it refunded in full, and the buyer is told by e-mail.
    public func refundedAutomatically(orderID: UUID, note: String) async throws -> Order {
        let now = store.now
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.store.durable(on: sql)
            try await self.store.lock("orders", where: "id", equals: orderID, on: db)
            var order = try await self.order(orderID, on: db)
            guard order.status == .cancelled, order.refunded.minorUnits < order.total.minorUnits else { return order }
            order.refunded = order.total
            try await sql.raw(
                """
                UPDATE orders SET refunded = total, updated_at = \(bind: now)
                WHERE id = \(bind: orderID) AND brand_id = \(bind: self.brandID)
                """
            ).run()
            try await self.addEvent(orderID, status: .cancelled, note: note, at: now, on: sql)
            order.history.append(OrderEvent(at: now, status: .cancelled, note: note))
            try await self.emit(.orderRefunded, data: OrderWebhookData(order: order), on: db)
            try await self.enqueueOrderMail(orderID, mail: "refunded", on: db)
            return order
        }
    }

    /// A card payment failed (declined, 3-D Secure not passed): noted in the order's history; the
    /// order still waits, and the buyer may try again while its hold lasts.
    public func notePaymentFailure(orderID: UUID, note: String) async throws {
        let order = try await order(orderID)
        guard order.status == .awaitingPayment else { return }
        try await addEvent(orderID, status: .awaitingPayment, note: note, at: store.now, on: sql)
    }

    /// Gives back what an order waiting for its card payment holds.
    func releaseOrderHolds(_ orderID: UUID, now: Date, on sql: any SQLDatabase) async throws {
        let holds = try await sql.raw(
            """
            SELECT id FROM stock_reservations WHERE order_id = \(bind: orderID) AND brand_id = \(bind: brandID)
            AND state = 'active' ORDER BY variant_id
            """
        ).all()
        for row in holds { _ = try await release(try row.decode(column: "id", as: UUID.self), now: now, on: sql) }
    }

    func addEvent(_ orderID: UUID, status: OrderStatus, note: String?, at now: Date, on sql: any SQLDatabase)
        async throws
    {
        try await sql.raw(
            """
            INSERT INTO order_events (id, order_id, brand_id, at, status, note)
            VALUES (\(bind: UUID()), \(bind: orderID), \(bind: brandID), \(bind: now), \(bind: status.rawValue), \(bind: note))
            """
        ).run()
    }

    func enqueueOrderMail(_ orderID: UUID, mail: String, on db: any Database) async throws {
        try await store.enqueue(
            Store.orderMailJobKind, payload: "{\"order\":\"\(orderID.uuidString)\",\"mail\":\"\(mail)\"}",
            brandID: brandID, uniqueKey: "order-mail:\(orderID):\(mail)", maxAttempts: 12, on: db)
    }
}
