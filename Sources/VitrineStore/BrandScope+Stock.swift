import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// Units a checkout holds for a while; taken when the order is paid (or placed, for "pay later"),
/// given back when it expires or is cancelled.
public struct StockReservation: Sendable, Equatable {
    public enum State: String, Sendable {
        case active, taken, released
    }

    public var id: UUID
    public var variantId: UUID
    public var quantity: Int
    public var state: State
    public var expiresAt: Date
}

extension BrandScope {
    /// How long a checkout holds its stock unless the server says otherwise (`orders.hold.seconds`).
    public static let reservationSeconds: TimeInterval = 10 * 60

    /// What a variant has: on hand (as the shop last pushed it), reserved, sold and not yet
    /// acknowledged by the shop.
    public func stockLevel(variantID: UUID) async throws -> StockLevel {
        let rows = try await sql.raw(
            """
            SELECT inventory_quantity, reserved, sold_unacknowledged FROM variants
            WHERE id = \(bind: variantID) AND brand_id = \(bind: brandID)
            """
        ).all()
        guard let row = rows.first else { throw Self.unknownVariant }
        return StockLevel(
            onHand: try row.decode(column: "inventory_quantity", as: Int.self),
            reserved: try row.decode(column: "reserved", as: Int.self),
            soldUnacknowledged: try row.decode(column: "sold_unacknowledged", as: Int.self))
    }

    /// Holds `quantity` units of a variant until `now + seconds`. With the policy "deny", one
    /// conditional UPDATE decides: it adds to `reserved` only while enough is left, so that
    /// concurrent checkouts can never hold more than there is (`out_of_stock` otherwise).
    public func reserve(
        variantID: UUID, quantity: Int, seconds: TimeInterval = reservationSeconds, now: Date? = nil
    ) async throws -> StockReservation {
        try Pricing.checkQuantity(quantity)
        let now = now ?? store.now
        let reservation = StockReservation(
            id: UUID(), variantId: variantID, quantity: quantity, state: .active,
            expiresAt: now.addingTimeInterval(seconds))
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.hold(reservation, now: now, cartID: nil, on: sql)
            return reservation
        }
    }

    /// Writes a reservation, its units added to `reserved` by one conditional UPDATE (only while
    /// enough is left, for the policy "deny"); else the reason (`out_of_stock`, `all_reserved`) and
    /// nothing written.
    func hold(_ reservation: StockReservation, now: Date, cartID: UUID?, on sql: any SQLDatabase) async throws {
        let held = try await sql.raw(
            """
            UPDATE variants SET reserved = reserved + \(bind: reservation.quantity)
            WHERE id = \(bind: reservation.variantId) AND brand_id = \(bind: brandID)
            AND (inventory_policy <> 'deny'
                 OR inventory_quantity - reserved - sold_unacknowledged >= \(bind: reservation.quantity))
            RETURNING id
            """
        ).all()
        guard !held.isEmpty else { throw try await whyNot(variantID: reservation.variantId, on: sql) }
        try await sql.raw(
            """
            INSERT INTO stock_reservations (id, brand_id, variant_id, quantity, state, created_at, expires_at, cart_id)
            VALUES (\(bind: reservation.id), \(bind: brandID), \(bind: reservation.variantId), \(bind: reservation.quantity),
            \(bind: StockReservation.State.active.rawValue), \(bind: now), \(bind: reservation.expiresAt), \(bind: cartID))
            """
        ).run()
    }

    /// Turns a reservation into a sale. A reservation that expired (or was released) meanwhile
    /// takes its units from what is left, if there is enough: else `out_of_stock`, and nothing
    /// changes (the caller refunds the buyer).
    public func take(reservationID: UUID, now: Date? = nil) async throws -> StockReservation {
        let now = now ?? store.now
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            guard var reservation = try await self.reservation(reservationID, on: sql) else {
                throw Self.unknownReservation
            }
            switch reservation.state {
            case .taken:
                return reservation  // taken once: a retried payment confirmation changes nothing
            case .active:
                let moved = try await sql.raw(
                    """
                    UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now)
                    WHERE id = \(bind: reservationID) AND state = 'active' RETURNING id
                    """
                ).all()
                guard !moved.isEmpty else { throw Self.unknownReservation }
                try await sql.raw(
                    """
                    UPDATE variants SET reserved = reserved - \(bind: reservation.quantity),
                    sold_unacknowledged = sold_unacknowledged + \(bind: reservation.quantity)
                    WHERE id = \(bind: reservation.variantId) AND brand_id = \(bind: self.brandID)
                    """
                ).run()
            case .released:
                let sold = try await sql.raw(
                    """
                    UPDATE variants SET sold_unacknowledged = sold_unacknowledged + \(bind: reservation.quantity)
                    WHERE id = \(bind: reservation.variantId) AND brand_id = \(bind: self.brandID)
                    AND (inventory_policy <> 'deny'
                         OR inventory_quantity - reserved - sold_unacknowledged >= \(bind: reservation.quantity))
                    RETURNING id
                    """
                ).all()
                guard !sold.isEmpty else { throw try await self.whyNot(variantID: reservation.variantId, on: sql) }
                try await sql.raw(
                    """
                    UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now)
                    WHERE id = \(bind: reservationID)
                    """
                ).run()
            }
            reservation.state = .taken
            return reservation
        }
    }

    /// Gives a reservation's units back (a cancelled checkout). Releasing twice changes nothing;
    /// false when it was not active.
    @discardableResult
    public func release(reservationID: UUID, now: Date? = nil) async throws -> Bool {
        let now = now ?? store.now
        return try await db.transaction { db in
            try await self.release(reservationID, now: now, on: db as! any SQLDatabase)
        }
    }

    /// Releases every reservation of this brand that has expired at `now`; returns how many.
    public func releaseExpired(now: Date? = nil) async throws -> Int {
        let now = now ?? store.now
        let expired = try await sql.raw(
            """
            SELECT id FROM stock_reservations
            WHERE brand_id = \(bind: brandID) AND state = 'active' AND expires_at <= \(bind: now)
            ORDER BY expires_at LIMIT 1000
            """
        ).all().map { try $0.decode(column: "id", as: UUID.self) }
        var released = 0
        for id in expired {
            let done = try await db.transaction { db in try await self.release(id, now: now, on: db as! any SQLDatabase)
            }
            if done { released += 1 }
        }
        return released
    }

    func release(_ id: UUID, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        if store.isPostgres {
            // The variant first, then the reservation: the order batch locks in that order too.
            try await sql.raw(
                """
                SELECT v.id FROM variants v JOIN stock_reservations r ON r.variant_id = v.id
                WHERE r.id = \(bind: id) FOR UPDATE OF v
                """
            ).run()
        }
        let rows = try await sql.raw(
            """
            UPDATE stock_reservations SET state = 'released', settled_at = \(bind: now)
            WHERE id = \(bind: id) AND brand_id = \(bind: brandID) AND state = 'active'
            RETURNING variant_id, quantity, drop_id
            """
        ).all()
        guard let row = rows.first else { return false }
        let quantity = try row.decode(column: "quantity", as: Int.self)
        if let drop = try row.decode(column: "drop_id", as: UUID?.self) {
            // A card order's hold in a flash drop: the units go back to the drop.
            try await sql.raw(
                "UPDATE flash_drops SET reserved = reserved - \(bind: quantity) WHERE id = \(bind: drop)"
            ).run()
            return true
        }
        try await sql.raw(
            """
            UPDATE variants SET reserved = reserved - \(bind: quantity)
            WHERE id = \(bind: try row.decode(column: "variant_id", as: UUID.self)) AND brand_id = \(bind: brandID)
            """
        ).run()
        return true
    }

    func reservation(_ id: UUID, on sql: any SQLDatabase) async throws -> StockReservation? {
        guard
            let row = try await sql.raw(
                """
                SELECT variant_id, quantity, state, expires_at FROM stock_reservations
                WHERE id = \(bind: id) AND brand_id = \(bind: brandID)
                """
            ).all().first
        else { return nil }
        return StockReservation(
            id: id, variantId: try row.decode(column: "variant_id", as: UUID.self),
            quantity: try row.decode(column: "quantity", as: Int.self),
            state: StockReservation.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .released,
            expiresAt: try row.decode(column: "expires_at", as: Date.self))
    }

    /// The error for a reservation refused: no such variant in this brand, or not enough left.
    func whyNot(variantID: UUID, on sql: any SQLDatabase) async throws -> DomainError {
        let rows = try await sql.raw(
            """
            SELECT inventory_quantity, reserved, sold_unacknowledged FROM variants
            WHERE id = \(bind: variantID) AND brand_id = \(bind: brandID)
            """
        ).all()
        guard let row = rows.first else { return Self.unknownVariant }
        return StockLevel(
            onHand: try row.decode(column: "inventory_quantity", as: Int.self),
            reserved: try row.decode(column: "reserved", as: Int.self),
            soldUnacknowledged: try row.decode(column: "sold_unacknowledged", as: Int.self)
        ).refusal(field: "variantId", soldOutCode: "out_of_stock")
    }

    static let unknownVariant = DomainError(
        .notFound, code: "not_found", message: "This brand has no such variant.", field: "variantId")
    static let unknownReservation = DomainError(
        .notFound, code: "not_found", message: "No such reservation.", field: "reservationId")
}

extension Store {
    /// Releases the expired reservations of every brand; returns how many. Safe on several nodes
    /// at once: each release is a conditional UPDATE.
    public func releaseExpiredReservations(now: Date? = nil) async throws -> Int {
        let now = now ?? self.now
        let brands = try await sql.raw(
            """
            SELECT DISTINCT brand_id FROM stock_reservations WHERE state = 'active' AND expires_at <= \(bind: now)
            """
        ).all().map { try $0.decode(column: "brand_id", as: UUID.self) }
        var released = 0
        for brandID in brands { released += try await brand(brandID).releaseExpired(now: now) }
        return released
    }
}
