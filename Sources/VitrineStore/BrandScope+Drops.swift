import FluentKit
import Foundation
import SQLKit
import VitrineDomain

extension FlashDrop {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: UUID.self), showId: try row.decode(column: "show_id", as: UUID.self),
            productId: try row.decode(column: "product_id", as: UUID.self),
            variantId: try row.decode(column: "variant_id", as: UUID.self),
            quantity: try row.decode(column: "quantity", as: Int.self),
            price: Money(
                minorUnits: try row.decode(column: "price", as: Int.self),
                currency: try row.decode(column: "currency", as: String.self)),
            perCustomer: try row.decode(column: "per_customer", as: Int?.self),
            countdownSeconds: try row.decode(column: "countdown_seconds", as: Int.self),
            opensAt: try row.decode(column: "opens_at", as: Date?.self),
            closedAt: try row.decode(column: "closed_at", as: Date?.self),
            sold: try row.decode(column: "sold", as: Int.self),
            reserved: try row.decode(column: "reserved", as: Int.self))
    }
}

extension BrandScope {
    /// The show's drops, oldest first.
    public func drops(showID: UUID) async throws -> [FlashDrop] {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        return try await sql.raw(
            """
            SELECT * FROM flash_drops WHERE show_id = \(bind: showID) AND brand_id = \(bind: brandID)
            ORDER BY created_at, id
            """
        ).all().map(FlashDrop.init(row:))
    }

    public func drop(_ id: UUID, showID: UUID) async throws -> FlashDrop {
        try await drop(id, showID: showID, on: sql)
    }

    func drop(_ id: UUID, showID: UUID, on sql: any SQLDatabase) async throws -> FlashDrop {
        guard
            let row = try await sql.raw(
                """
                SELECT * FROM flash_drops WHERE id = \(bind: id) AND show_id = \(bind: showID)
                AND brand_id = \(bind: brandID)
                """
            ).all().first
        else { throw DomainError.notFound }
        return try FlashDrop(row: row)
    }

    /// A new drop of a lineup product's variant. One drop per variant and show at a time (a closed
    /// one may be followed by another).
    public func createDrop(showID: UUID, _ input: FlashDropInput) async throws -> FlashDrop {
        guard let show = try await showModel(showID, on: db) else { throw DomainError.notFound }
        try Self.checkDropsOpen(show.status)
        guard let productID = input.productId else {
            throw DomainError.invalid(
                "productId", "A drop needs a product of the show's lineup.", code: "missing_field")
        }
        let inLineup = try await sql.raw(
            """
            SELECT l.product_id FROM lineup_items l JOIN shows s ON s.id = l.show_id
            WHERE l.show_id = \(bind: showID) AND l.product_id = \(bind: productID) AND s.brand_id = \(bind: brandID)
            """
        ).all()
        guard !inLineup.isEmpty else {
            guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
            throw DomainError(
                .invalid, code: "not_in_lineup", message: "A drop sells a product of the show's lineup.",
                field: "productId")
        }
        let product = try await self.product(productID)
        guard
            let variant = input.variantId.flatMap({ id in product.variants.first { $0.id == id } })
                ?? (input.variantId == nil ? product.variants.first : nil)
        else {
            throw DomainError(
                .notFound, code: "not_found", message: "This product has no such variant.", field: "variantId")
        }
        let now = store.now
        let blank = FlashDrop(
            id: UUID(), showId: showID, productId: productID, variantId: variant.id, quantity: 0,
            price: Money(minorUnits: 0, currency: variant.price.currency), perCustomer: nil,
            countdownSeconds: FlashDropRules.minimumCountdown, opensAt: nil, closedAt: nil, sold: 0, reserved: 0)
        let drop = try FlashDropRules.apply(input, to: blank, isNew: true, now: now)
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.store.lock("shows", where: "id", equals: showID, on: db)
            let existing = try await sql.raw(
                """
                SELECT id FROM flash_drops WHERE show_id = \(bind: showID) AND variant_id = \(bind: variant.id)
                AND closed_at IS NULL
                """
            ).all()
            guard existing.isEmpty else {
                throw DomainError(
                    .conflict, code: "drop_exists",
                    message: "This variant already has a drop in this show; close it before making another.",
                    field: "variantId")
            }
            try await sql.raw(
                """
                INSERT INTO flash_drops (id, brand_id, show_id, product_id, variant_id, quantity, price, currency,
                per_customer, countdown_seconds, opens_at, closed_at, sold, reserved, created_at)
                VALUES (\(bind: drop.id), \(bind: self.brandID), \(bind: showID), \(bind: productID), \(bind: variant.id),
                \(bind: drop.quantity), \(bind: drop.price.minorUnits), \(bind: drop.price.currency),
                \(bind: drop.perCustomer), \(bind: drop.countdownSeconds), \(bind: drop.opensAt), \(bind: nil as Date?),
                \(bind: 0), \(bind: 0), \(bind: now))
                """
            ).run()
            return drop
        }
    }

    public func updateDrop(_ id: UUID, showID: UUID, _ input: FlashDropInput) async throws -> FlashDrop {
        let now = store.now
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.store.lock("flash_drops", where: "id", equals: id, on: db)
            let current = try await self.drop(id, showID: showID, on: sql)
            guard current.closedAt == nil else {
                throw DomainError(.conflict, code: "drop_closed", message: "This drop is closed.")
            }
            let drop = try FlashDropRules.apply(input, to: current, isNew: false, now: now)
            // The quantity moves by the difference, so that sales meanwhile are not overwritten.
            try await sql.raw(
                """
                UPDATE flash_drops SET quantity = quantity + \(bind: drop.quantity - current.quantity),
                price = \(bind: drop.price.minorUnits), per_customer = \(bind: drop.perCustomer),
                countdown_seconds = \(bind: drop.countdownSeconds), opens_at = \(bind: drop.opensAt)
                WHERE id = \(bind: id) AND brand_id = \(bind: self.brandID)
                """
            ).run()
            return try await self.drop(id, showID: showID, on: sql)
        }
    }

    /// The host starts the drop: it opens `countdownSeconds` (10 s at least) from now.
    public func startDrop(_ id: UUID, showID: UUID, countdownSeconds: Int? = nil) async throws -> FlashDrop {
        let now = store.now
        let current = try await drop(id, showID: showID)
        guard current.status(at: now) == .ready else {
            throw DomainError(
                .conflict, code: "drop_started", message: "This drop has already started (or is closed).")
        }
        let seconds = countdownSeconds ?? current.countdownSeconds
        guard (FlashDropRules.minimumCountdown...FlashDropRules.maximumCountdown).contains(seconds) else {
            throw DomainError.invalid(
                "countdownSeconds",
                "The countdown lasts \(FlashDropRules.minimumCountdown) to \(FlashDropRules.maximumCountdown) s.")
        }
        guard let show = try await showModel(showID, on: db) else { throw DomainError.notFound }
        try Self.checkDropsOpen(show.status)
        // On a whole second: dates go out in whole seconds, and no viewer's countdown may end
        // before the drop opens.
        let opensAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(seconds)).rounded(.up))
        // Conditional: two hosts pressing "start" at once start it once.
        let started = try await sql.raw(
            """
            UPDATE flash_drops SET opens_at = \(bind: opensAt), countdown_seconds = \(bind: seconds)
            WHERE id = \(bind: id) AND brand_id = \(bind: brandID) AND opens_at IS NULL AND closed_at IS NULL
            RETURNING id
            """
        ).all()
        guard !started.isEmpty else {
            throw DomainError(.conflict, code: "drop_started", message: "This drop has already started.")
        }
        return try await drop(id, showID: showID)
    }

    /// A show that ended (or was cancelled) has no more drops.
    static func checkDropsOpen(_ status: String) throws {
        guard status != ShowStatus.ended.rawValue, status != ShowStatus.cancelled.rawValue,
            status != ShowStatus.missed.rawValue
        else {
            throw DomainError(.conflict, code: "show_over", message: "This show is over: it has no more drops.")
        }
    }

    /// Ends the drop: no more sales (what was sold stays sold).
    public func closeDrop(_ id: UUID, showID: UUID) async throws -> FlashDrop {
        _ = try await drop(id, showID: showID)
        try await sql.raw(
            """
            UPDATE flash_drops SET closed_at = \(bind: store.now)
            WHERE id = \(bind: id) AND brand_id = \(bind: brandID) AND closed_at IS NULL
            """
        ).run()
        return try await drop(id, showID: showID)
    }
}

/// The drops a batch of orders buys from, and what each buyer already bought in them.
struct DropsForSale {
    /// Keyed "show|variant": the drop not closed.
    var byShowVariant: [String: FlashDrop] = [:]
    var byID: [UUID: FlashDrop] = [:]
    /// Keyed "drop|e-mail": units bought (orders not cancelled, refunds off).
    var bought: [String: Int] = [:]

    func drop(show: UUID?, variant: UUID) -> FlashDrop? {
        show.flatMap { byShowVariant["\($0)|\(variant)"] }
    }
}

extension Store {
    func dropsForSale(_ requests: [OrderRequest], lock: Bool, on sql: any SQLDatabase) async throws -> DropsForSale {
        let shows = Array(Set(requests.compactMap(\.input.showId)))
        guard !shows.isEmpty else { return DropsForSale() }
        var result = DropsForSale()
        let forUpdate: SQLQueryString = lock && isPostgres ? " FOR UPDATE" : ""
        let rows = try await sql.raw(
            """
            SELECT * FROM flash_drops WHERE show_id IN (\(binds: shows)) AND closed_at IS NULL ORDER BY id
            """ + forUpdate
        ).all()
        guard !rows.isEmpty else { return result }
        var limited: [UUID] = []
        for row in rows {
            let drop = try FlashDrop(row: row)
            result.byShowVariant["\(drop.showId)|\(drop.variantId)"] = drop
            result.byID[drop.id] = drop
            if drop.perCustomer != nil { limited.append(drop.id) }
        }
        let emails = Array(Set(requests.map { $0.input.email.lowercased() }))
        if !limited.isEmpty {
            for chunk in emails.chunks(of: 500) {
                for row in try await sql.raw(
                    """
                    SELECT l.drop_id, o.email, CAST(SUM(l.quantity - l.refunded_quantity) AS BIGINT) AS units
                    FROM order_lines l JOIN orders o ON o.id = l.order_id
                    WHERE l.drop_id IN (\(binds: limited)) AND o.email IN (\(binds: chunk)) AND o.status <> 'cancelled'
                    GROUP BY l.drop_id, o.email
                    """
                ).all() {
                    result.bought[
                        "\(try row.decode(column: "drop_id", as: UUID.self))|\(try row.decode(column: "email", as: String.self))"
                    ] = try row.decode(column: "units", as: Int.self)
                }
            }
        }
        return result
    }
}
