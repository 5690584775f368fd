import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// A line of a viewer's cart, priced now (the show's price when added from a show's lineup).
public struct CartLine: Sendable, Codable, Equatable {
    public var variantId: UUID
    public var productId: UUID
    public var title: String
    public var variantTitle: String
    public var imageUrl: String?
    public var quantity: Int
    public var unitPrice: Money
    public var compareAtPrice: Money?
    public var total: Money
    /// False when the variant can no longer be bought in this quantity (sold out, archived).
    public var available: Bool
    public var showId: UUID?
    public var pinnedProductId: UUID?
    public var origin: OrderOrigin
}

/// A viewer's cart. The token that opens it is given once, when the cart is made; the player keeps
/// it in its own storage and sends it as `X-Vitrine-Cart`.
public struct Cart: Sendable, Codable, Equatable {
    public var token: String?
    public var lines: [CartLine]
    public var count: Int
    public var subtotal: Money
    /// The promotion's discount on the lines (0 without one).
    public var discount: Money
    /// The code the viewer typed (and why it does not apply now, if it does not), or the show's
    /// automatic offer that applies.
    public var promotion: CartPromotion?
    /// Home delivery, as the brand prices it.
    public var delivery: Money
    public var total: Money
    public var vat: [VATLine]
}

/// The promotion of a cart.
public struct CartPromotion: Sendable, Codable, Equatable {
    /// The code typed; nil for a show's automatic offer.
    public var code: String?
    public var title: String?
    /// Why the code does not apply to this cart now (e.g. `promotion_minimum`), with its message.
    public var refusal: String?
    public var refusalMessage: String?
    /// The code's minimum order, when it has one (to say how much is missing).
    public var minimumOrder: Money?
    /// The show's automatic offer that applies while the code does not.
    public var offerTitle: String?

    public init(
        code: String?, title: String? = nil, refusal: String? = nil, refusalMessage: String? = nil,
        minimumOrder: Money? = nil
    ) {
        self.code = code
        self.title = title
        self.refusal = refusal
        self.refusalMessage = refusalMessage
        self.minimumOrder = minimumOrder
    }
}

/// What a viewer adds or changes.
public struct CartLineInput: Sendable, Codable, Equatable {
    public var variantId: UUID
    /// The new quantity (0 removes the line); with `add`, how many to add.
    public var quantity: Int
    public var showId: UUID?
    public var pinnedProductId: UUID?
    public var origin: OrderOrigin?
    /// The player's viewer id: what links the cart to its buyer for a GDPR export or erasure.
    public var viewerId: String?

    public init(
        variantId: UUID, quantity: Int, showId: UUID? = nil, pinnedProductId: UUID? = nil, origin: OrderOrigin? = nil
    ) {
        self.variantId = variantId
        self.quantity = quantity
        self.showId = showId
        self.pinnedProductId = pinnedProductId
        self.origin = origin
    }
}

extension BrandScope {
    /// The cart a token opens; an empty cart for an unknown token.
    public func cart(token: String?) async throws -> Cart {
        guard let token, let id = try await cartID(token: token) else { return try await price(lines: []) }
        return try await cart(id)
    }

    /// Adds to (`add`) or sets a line of the viewer's cart; a new cart, with its token, when the
    /// viewer has none. Stock is not held here: checkout holds it.
    public func setCartLine(token: String?, _ input: CartLineInput, add: Bool, viewerID: String? = nil) async throws
        -> Cart
    {
        guard add ? input.quantity >= 1 : input.quantity >= 0, input.quantity <= Pricing.maxQuantity else {
            throw DomainError.invalid(
                "quantity",
                "A quantity is a whole number from \(add ? 1 : 0) to \(Pricing.maxQuantity); got \(input.quantity).",
                code: "invalid_quantity")
        }
        let now = store.now
        let (id, newToken) = try await db.transaction { db -> (UUID, String?) in
            var newToken: String?
            let sql = db as! any SQLDatabase
            let variant = try await sql.raw(
                """
                SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
                WHERE v.id = \(bind: input.variantId) AND v.brand_id = \(bind: self.brandID) AND p.status = 'active'
                """
            ).all()
            guard !variant.isEmpty else {
                throw DomainError(
                    .notFound, code: "not_found", message: "This brand sells no such variant.", field: "variantId")
            }
            var cartID: UUID? = nil
            if let token { cartID = try await self.cartID(token: token, on: sql) }
            if cartID == nil {
                guard input.quantity > 0 else { throw DomainError.notFound }
                let secret = Secrets.generate(prefix: "cart_")
                let id = UUID()
                try await sql.raw(
                    """
                    INSERT INTO carts (id, brand_id, token_hash, viewer_id, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: self.brandID), \(bind: Secrets.hash(secret)), \(bind: viewerID), \(bind: now), \(bind: now))
                    """
                ).run()
                newToken = secret
                cartID = id
            }
            let cart = cartID!
            // One change of a cart at a time (its line count holds).
            try await self.store.lock("carts", where: "id", equals: cart, on: db)
            let existing = try await sql.raw(
                "SELECT quantity FROM cart_lines WHERE cart_id = \(bind: cart) AND variant_id = \(bind: input.variantId)"
            ).all().first.map { try $0.decode(column: "quantity", as: Int.self) }
            let quantity = min(Pricing.maxQuantity, add ? (existing ?? 0) + input.quantity : input.quantity)
            if quantity == 0 {
                try await sql.raw(
                    "DELETE FROM cart_lines WHERE cart_id = \(bind: cart) AND variant_id = \(bind: input.variantId)"
                ).run()
            } else if existing != nil && !add {
                try await sql.raw(
                    """
                    UPDATE cart_lines SET quantity = \(bind: quantity)
                    WHERE cart_id = \(bind: cart) AND variant_id = \(bind: input.variantId)
                    """
                ).run()
            } else {
                let lines =
                    try await sql.raw("SELECT COUNT(*) AS n FROM cart_lines WHERE cart_id = \(bind: cart)")
                    .all().first?.decode(column: "n", as: Int.self) ?? 0
                guard existing != nil || lines < Pricing.maxLines else {
                    throw DomainError.invalid(
                        "variantId", "A cart holds at most \(Pricing.maxLines) lines.", code: "too_many_lines")
                }
                // Adding is one statement: two adds at once (a double tap) both count.
                let onConflict: SQLQueryString =
                    add
                    ? "CASE WHEN cart_lines.quantity + EXCLUDED.quantity > \(unsafeRaw: String(Pricing.maxQuantity)) THEN \(unsafeRaw: String(Pricing.maxQuantity)) ELSE cart_lines.quantity + EXCLUDED.quantity END"
                    : "EXCLUDED.quantity"
                try await sql.raw(
                    """
                    INSERT INTO cart_lines (id, cart_id, variant_id, quantity, show_id, pinned_product_id, origin, added_at)
                    VALUES (\(bind: UUID()), \(bind: cart), \(bind: input.variantId), \(bind: add ? input.quantity : quantity), \(bind: input.showId),
                    \(bind: input.pinnedProductId), \(bind: (input.showId == nil ? OrderOrigin.none : input.origin ?? .live).rawValue), \(bind: now))
                    ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity =
                    """ + " " + onConflict
                ).run()
            }
            try await sql.raw("UPDATE carts SET updated_at = \(bind: now) WHERE id = \(bind: cart)").run()
            return (cart, newToken)
        }
        var cart = try await cart(id)
        cart.token = newToken
        return cart
    }

    /// Empties a cart (its order was placed), its promotion code with it.
    public func clearCart(token: String) async throws {
        guard let id = try await cartID(token: token) else { return }
        try await sql.raw("DELETE FROM cart_lines WHERE cart_id = \(bind: id)").run()
        try await sql.raw("UPDATE carts SET promotion_code = NULL WHERE id = \(bind: id)").run()
    }

    func cartID(token: String, on sql: (any SQLDatabase)? = nil) async throws -> UUID? {
        guard token.hasPrefix("cart_"), token.count <= 80 else { return nil }
        return try await (sql ?? self.sql).raw(
            "SELECT id FROM carts WHERE token_hash = \(bind: Secrets.hash(token)) AND brand_id = \(bind: brandID)"
        ).all().first?.decode(column: "id", as: UUID.self)
    }

    /// Puts a promotion code on the cart (nil takes it off). An unknown code is refused and the
    /// cart keeps what it had; a known one that does not apply yet (a minimum not reached) stays,
    /// with the reason.
    public func setCartPromotion(token: String, code: String?) async throws -> Cart {
        guard let id = try await cartID(token: token) else { throw DomainError.notFound }
        var stored: String?
        if let code, !code.trimmingCharacters(in: .whitespaces).isEmpty {
            let normalised = PromotionRules.normalise(code: code)
            var known = false
            if PromotionRules.isCode(normalised) {
                known = try await !sql.raw(
                    """
                    SELECT id FROM promotions WHERE brand_id = \(bind: brandID) AND code = \(bind: normalised)
                    AND active = \(bind: true)
                    """
                ).all().isEmpty
            }
            guard known else {
                throw DomainError(
                    .invalid, code: "unknown_promotion", message: "This code is not one of the brand's.",
                    field: "promotionCode")
            }
            stored = normalised
        }
        try await sql.raw(
            "UPDATE carts SET promotion_code = \(bind: stored), updated_at = \(bind: store.now) WHERE id = \(bind: id)"
        ).run()
        return try await cart(id)
    }

    func cart(_ id: UUID) async throws -> Cart {
        let code = try await sql.raw("SELECT promotion_code FROM carts WHERE id = \(bind: id)").all().first?
            .decode(column: "promotion_code", as: String?.self)
        let rows = try await sql.raw(
            """
            SELECT l.variant_id, l.quantity, l.show_id, l.pinned_product_id, l.origin,
            v.product_id, v.options, v.price, v.compare_at_price, v.currency, v.inventory_policy,
            v.inventory_quantity - v.reserved - v.sold_unacknowledged + CAST(COALESCE((SELECT SUM(r.quantity)
                FROM stock_reservations r WHERE r.cart_id = l.cart_id AND r.variant_id = l.variant_id
                AND r.state = 'active'), 0) AS BIGINT) AS available,
            p.title, p.vat_rate, p.status,
            (SELECT COALESCE(i.thumbnail_url, i.url) FROM product_images i WHERE i.product_id = p.id
             ORDER BY i.position LIMIT 1) AS image,
            (SELECT li.show_price FROM lineup_items li JOIN shows s ON s.id = li.show_id
             WHERE li.show_id = l.show_id AND li.product_id = v.product_id AND s.brand_id = \(bind: brandID)) AS show_price,
            (SELECT d.price FROM flash_drops d WHERE d.show_id = l.show_id AND d.variant_id = l.variant_id
             AND d.brand_id = \(bind: brandID) AND d.closed_at IS NULL AND d.opens_at <= \(bind: store.now)) AS drop_price,
            (SELECT d.quantity - d.sold - d.reserved FROM flash_drops d WHERE d.show_id = l.show_id
             AND d.variant_id = l.variant_id AND d.brand_id = \(bind: brandID) AND d.closed_at IS NULL) AS drop_left
            FROM cart_lines l JOIN variants v ON v.id = l.variant_id JOIN products p ON p.id = v.product_id
            WHERE l.cart_id = \(bind: id) AND v.brand_id = \(bind: brandID) ORDER BY l.added_at
            """
        ).all()
        var lines: [CartLine] = []
        var vatRates: [UUID: Int] = [:]
        for row in rows {
            let currency = try row.decode(column: "currency", as: String.self)
            let price = try row.decode(column: "price", as: Int.self)
            let showPrice = try row.decode(column: "show_price", as: Int?.self)
            let dropPrice = try row.decode(column: "drop_price", as: Int?.self)
            let dropLeft = try row.decode(column: "drop_left", as: Int?.self)
            let quantity = try row.decode(column: "quantity", as: Int.self)
            let unit = dropPrice ?? showPrice ?? price
            let compare =
                dropPrice != nil || showPrice != nil ? price : try row.decode(column: "compare_at_price", as: Int?.self)
            let deny = try row.decode(column: "inventory_policy", as: String.self) == InventoryPolicy.deny.rawValue
            vatRates[try row.decode(column: "variant_id", as: UUID.self)] = try row.decode(
                column: "vat_rate", as: Int.self)
            lines.append(
                CartLine(
                    variantId: try row.decode(column: "variant_id", as: UUID.self),
                    productId: try row.decode(column: "product_id", as: UUID.self),
                    title: try row.decode(column: "title", as: String.self),
                    variantTitle: JSONList.decode(try row.decode(column: "options", as: String.self)).joined(
                        separator: " / "),
                    imageUrl: try row.decode(column: "image", as: String?.self), quantity: quantity,
                    unitPrice: Money(minorUnits: unit, currency: currency),
                    compareAtPrice: compare.flatMap { $0 > unit ? Money(minorUnits: $0, currency: currency) : nil },
                    total: Money(minorUnits: unit * quantity, currency: currency),
                    available: try row.decode(column: "status", as: String.self) == ProductStatus.active.rawValue
                        && (dropLeft.map { $0 >= quantity }
                            ?? (!deny || (try row.decode(column: "available", as: Int.self)) >= quantity)),
                    showId: try row.decode(column: "show_id", as: UUID?.self),
                    pinnedProductId: try row.decode(column: "pinned_product_id", as: UUID?.self),
                    origin: OrderOrigin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .none))
        }
        return try await price(lines: lines, vatRates: vatRates, code: code)
    }

    func price(lines: [CartLine], vatRates: [UUID: Int] = [:], code: String? = nil) async throws -> Cart {
        let brand = try await settings()
        guard !lines.isEmpty else {
            let zero = Money(minorUnits: 0, currency: brand.currency)
            return Cart(
                token: nil, lines: [], count: 0, subtotal: zero, discount: zero,
                promotion: code.map { CartPromotion(code: $0) }, delivery: brand.homeDeliveryPrice, total: zero, vat: []
            )
        }
        let inputs = lines.map {
            PricedLineInput(
                variantId: $0.variantId, quantity: $0.quantity, unitPrice: $0.unitPrice,
                compareAtPrice: $0.compareAtPrice, vatRate: vatRates[$0.variantId] ?? brand.defaultVatRate)
        }
        // The code typed, else the automatic offer of the show the lines come from (while it is live).
        let show = lines.compactMap(\.showId).first
        let promotions = try await store.promotionsForSale(
            codes: code.map { [(brandID, $0)] } ?? [], shows: show.map { [$0] } ?? [], emails: [], lock: false, on: sql)
        let subtotal = Money(
            minorUnits: inputs.reduce(0) { $0 + $1.unitPrice.minorUnits * $1.quantity },
            currency: inputs[0].unitPrice.currency)
        var promotion: CartPromotion?
        var chosen: Promotion?
        switch promotions.choose(
            brandID: brandID, code: code, showId: show, email: nil, subtotal: subtotal, now: store.now)
        {
        case .success(let found):
            chosen = found
            if let found {
                promotion = CartPromotion(
                    code: found.code,
                    title: (found.code.flatMap { promotions.byCode["\(brandID)|\($0)"] }
                        ?? promotions.automatic.values.joined().first { $0.promotion.id == found.id })?.title)
            }
        case .failure(let refusal):
            // The code stays, with why it does not apply; the show's offer applies meanwhile, as it
            // would to an order placed without the code.
            let typed = code.flatMap { promotions.byCode["\(brandID)|\($0)"] }
            promotion = CartPromotion(
                code: code, title: typed?.title, refusal: refusal.code, refusalMessage: refusal.message,
                minimumOrder: typed?.promotion.minimumOrder)
            if case .success(let offer) = promotions.choose(
                brandID: brandID, code: nil, showId: show, email: nil, subtotal: subtotal, now: store.now),
                let offer
            {
                chosen = offer
                promotion?.offerTitle =
                    promotions.automatic.values.joined().first { $0.promotion.id == offer.id }?.title
            }
        }
        let priced = try Pricing.price(inputs, promotion: chosen, delivery: brand.homeDeliveryPrice)
        return Cart(
            token: nil, lines: lines, count: lines.reduce(0) { $0 + $1.quantity }, subtotal: priced.subtotal,
            discount: priced.discount, promotion: promotion, delivery: priced.delivery, total: priced.total,
            vat: priced.vat)
    }
}

/// What a checkout holds: the cart, and until when its units are set aside.
public struct CartHold: Sendable, Codable, Equatable {
    public var cart: Cart
    public var heldUntil: Date
}

extension BrandScope {
    /// Starts (or starts again) a checkout: every line of the cart is held for `seconds`, in one
    /// transaction (a line that cannot be held holds nothing, and names the line). What the cart
    /// held before is given back first. The order placed with this cart takes what it holds.
    public func holdCart(token: String, seconds: TimeInterval? = nil, now: Date? = nil) async throws -> CartHold {
        let now = now ?? store.now
        let seconds = seconds ?? store.holdSeconds
        guard let cartID = try await cartID(token: token) else { throw DomainError.notFound }
        let until = now.addingTimeInterval(seconds)
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            // Two checkouts of one cart at once (a double click) hold it once.
            try await self.store.lock("carts", where: "id", equals: cartID, on: db)
            for row in try await sql.raw(
                """
                SELECT id FROM stock_reservations WHERE cart_id = \(bind: cartID) AND brand_id = \(bind: self.brandID)
                AND state = 'active' ORDER BY variant_id
                """
            ).all() {
                _ = try await self.release(try row.decode(column: "id", as: UUID.self), now: now, on: sql)
            }
            let all = try await sql.raw(
                """
                SELECT variant_id, quantity, (SELECT COUNT(*) FROM flash_drops d WHERE d.show_id = cart_lines.show_id
                    AND d.variant_id = cart_lines.variant_id AND d.closed_at IS NULL) AS drops
                FROM cart_lines WHERE cart_id = \(bind: cartID) ORDER BY added_at
                """
            ).all()
            guard !all.isEmpty else {
                throw DomainError.invalid("lines", "The cart is empty.", code: "empty_cart")
            }
            // A flash drop's line is not held here: its units are the drop's, taken by the order.
            let lines = try all.enumerated().filter { try $0.element.decode(column: "drops", as: Int.self) == 0 }
            // Variants in id order, as the order batch locks them (PostgreSQL deadlocks otherwise);
            // a refusal still names the line as the cart shows it.
            let ordered = try lines.map {
                (
                    position: $0.offset, variant: try $0.element.decode(column: "variant_id", as: UUID.self),
                    quantity: try $0.element.decode(column: "quantity", as: Int.self)
                )
            }.sorted { $0.variant.uuidString < $1.variant.uuidString }
            for (position, variant, quantity) in ordered {
                do {
                    try await self.hold(
                        StockReservation(
                            id: UUID(), variantId: variant, quantity: quantity, state: .active, expiresAt: until),
                        now: now, cartID: cartID, on: sql)
                } catch var error as DomainError {
                    error.field = "lines[\(position)].quantity"
                    throw error
                }
            }
        }
        return CartHold(cart: try await cart(cartID), heldUntil: until)
    }
}
