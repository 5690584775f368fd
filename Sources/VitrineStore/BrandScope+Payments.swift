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
    /// takes what is left instead, all lines or none (`refundNeeded` when something is missing).
    public func confirmPayment(orderID: UUID, note: String) async throws -> PaymentConfirmation {
        let now = store.now
        struct Missing: Error { var message: String }
        do {
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
                    return .refundNeeded(order, reason: "cancelled")
                case .awaitingPayment:
                    break
                }
                let holds = try await sql.raw(
                    """
                    SELECT id, variant_id, quantity, state FROM stock_reservations
                    WHERE order_id = \(bind: orderID) AND brand_id = \(bind: self.brandID) AND state <> 'taken'
                    ORDER BY variant_id
                    """
                ).all()
                if self.store.isPostgres {
                    // The variants first, in id order, as the order batch locks them.
                    let variants = try holds.map { try $0.decode(column: "variant_id", as: UUID.self) }
                    if !variants.isEmpty {
                        try await sql.raw(
                            "SELECT id FROM variants WHERE id IN (\(binds: variants)) ORDER BY id FOR UPDATE"
                        ).run()
                    }
                }
                for row in holds {
                    let id = try row.decode(column: "id", as: UUID.self)
                    let variant = try row.decode(column: "variant_id", as: UUID.self)
                    let quantity = try row.decode(column: "quantity", as: Int.self)
                    let held = try await sql.raw(
                        """
                        UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now)
                        WHERE id = \(bind: id) AND state = 'active' RETURNING id
                        """
                    ).all()
                    if !held.isEmpty {
                        try await sql.raw(
                            """
                            UPDATE variants SET reserved = reserved - \(bind: quantity),
                            sold_unacknowledged = sold_unacknowledged + \(bind: quantity)
                            WHERE id = \(bind: variant) AND brand_id = \(bind: self.brandID)
                            """
                        ).run()
                        continue
                    }
                    // Expired: what is left, if enough.
                    let sold = try await sql.raw(
                        """
                        UPDATE variants SET sold_unacknowledged = sold_unacknowledged + \(bind: quantity)
                        WHERE id = \(bind: variant) AND brand_id = \(bind: self.brandID)
                        AND (inventory_policy <> 'deny'
                             OR inventory_quantity - reserved - sold_unacknowledged >= \(bind: quantity))
                        RETURNING id
                        """
                    ).all()
                    guard !sold.isEmpty else {
                        let title = order.lines.first { $0.variantId == variant }?.title ?? "an item"
                        throw Missing(message: "\(title): sold out after the order's hold expired")
                    }
                    try await sql.raw(
                        "UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now) WHERE id = \(bind: id)"
                    ).run()
                }
                order.status = .paid
                try await sql.raw(
                    """
                    UPDATE orders SET status = 'paid', updated_at = \(bind: now)
                    WHERE id = \(bind: orderID) AND brand_id = \(bind: self.brandID)
                    """
                ).run()
                try await self.addEvent(orderID, status: .paid, note: note, at: now, on: sql)
                order.history.append(OrderEvent(at: now, status: .paid, note: note))
                try await self.emit(.orderPaid, data: OrderWebhookData(order: order), on: db)
                try await self.enqueueOrderMail(orderID, mail: "confirmation", on: db)
                return .paid(order)
            }
        } catch let missing as Missing {
            return .refundNeeded(try await order(orderID), reason: missing.message)
        }
    }

    /// The provider gave the buyer's money back by itself (a payment that came too late, or for a
    /// cancelled order): the order is cancelled and refunded in full, what it held given back, and
    /// the buyer told by e-mail.
    public func refundedAutomatically(orderID: UUID, note: String) async throws -> Order {
        let now = store.now
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.store.durable(on: sql)
            try await self.store.lock("orders", where: "id", equals: orderID, on: db)
            var order = try await self.order(orderID, on: db)
            guard order.refunded.minorUnits < order.total.minorUnits else { return order }
            if order.status == .awaitingPayment {
                try await self.releaseOrderHolds(orderID, now: now, on: sql)
            }
            order.status = .cancelled
            order.refunded = order.total
            try await sql.raw(
                """
                UPDATE orders SET status = 'cancelled', refunded = total, updated_at = \(bind: now)
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
