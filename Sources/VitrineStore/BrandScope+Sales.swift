import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// An add-to-cart in a hand-off brand's player: the brand's own shop took it (or refused it).
public struct CartEventInput: Sendable, Codable, Equatable {
    public var showId: UUID
    public var productId: UUID
    public var variantId: UUID?
    public var quantity: Int?
    /// Whether the brand's shop added it (false: refused, e.g. out of stock in the shop).
    public var added: Bool?
    public var origin: OrderOrigin?
    public var pinnedProductId: UUID?
    public var viewerId: String?
    public var mediaTime: Double?

    public init(showId: UUID, productId: UUID, variantId: UUID? = nil, quantity: Int? = nil, added: Bool? = nil) {
        self.showId = showId
        self.productId = productId
        self.variantId = variantId
        self.quantity = quantity
        self.added = added
    }
}

/// What a show sold, product by product: Vitrine's orders (units, revenue, orders) and, for a
/// hand-off brand, its add-to-cart events; with each product's stock now.
public struct ShowSales: Sendable, Codable, Equatable {
    public struct Product: Sendable, Codable, Equatable {
        public var productId: UUID
        public var title: String
        /// Units in orders that are not cancelled (less refunded units).
        public var units: Int
        public var revenue: Money
        public var orders: Int
        /// Add-to-carts the brand's own shop took (hand-off), and those it refused.
        public var addedToCart: Int
        public var refusedByShop: Int
        /// What viewers can still buy, over the product's variants (nil: a variant sells beyond
        /// its stock, as the player's lineup says).
        public var available: Int?
        public var soldOut: Bool
        /// Nothing left to buy, but checkouts hold units that may come back.
        public var allReserved: Bool
    }

    public var showId: UUID
    public var currency: String
    public var orders: Int
    public var units: Int
    public var revenue: Money
    /// Of the orders, those placed while the show was live (the rest: from its replay).
    public var liveOrders: Int
    public var addedToCart: Int
    public var products: [Product]
}

extension BrandScope {
    /// Records an add-to-cart event of the player (hand-off); the show and product must be the brand's.
    public func recordCartEvent(_ input: CartEventInput) async throws {
        let quantity = input.quantity ?? 1
        try Pricing.checkQuantity(quantity)
        if let viewer = input.viewerId {
            guard viewer.count <= 64, viewer.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else { throw DomainError.invalid("viewerId", "A viewer id is up to 64 letters, digits and dashes.") }
        }
        let known = try await sql.raw(
            """
            SELECT p.id FROM products p JOIN lineup_items l ON l.product_id = p.id JOIN shows s ON s.id = l.show_id
            WHERE p.id = \(bind: input.productId) AND s.id = \(bind: input.showId) AND s.brand_id = \(bind: brandID)
            AND p.brand_id = \(bind: brandID)
            """
        ).all()
        guard !known.isEmpty else {
            throw DomainError(
                .notFound, code: "not_found", message: "This show of the brand has no such product.", field: "productId"
            )
        }
        if let variant = input.variantId {
            let found = try await sql.raw(
                "SELECT id FROM variants WHERE id = \(bind: variant) AND product_id = \(bind: input.productId)"
            ).all()
            guard !found.isEmpty else {
                throw DomainError(
                    .notFound, code: "not_found", message: "This product has no such variant.", field: "variantId")
            }
        }
        let media = input.mediaTime.flatMap { $0.isFinite && $0 >= 0 && $0 < 1e7 ? $0 : nil }
        try await sql.raw(
            """
            INSERT INTO cart_events (id, brand_id, show_id, product_id, variant_id, quantity, added, origin,
            pinned_product_id, viewer_id, media_time, at)
            VALUES (\(bind: UUID()), \(bind: brandID), \(bind: input.showId), \(bind: input.productId),
            \(bind: input.variantId), \(bind: quantity), \(bind: input.added ?? true),
            \(bind: (input.origin ?? .live).rawValue), \(bind: input.pinnedProductId), \(bind: input.viewerId),
            \(bind: media), \(bind: store.now))
            """
        ).run()
    }

    /// A show's sales, product by product, in its lineup's order (products sold that left the
    /// lineup come after).
    public func showSales(_ showID: UUID) async throws -> ShowSales {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        let currency = try await settings().currency
        var products: [UUID: ShowSales.Product] = [:]
        var order: [UUID] = []
        func entry(_ id: UUID, _ title: String) {
            if products[id] == nil {
                products[id] = ShowSales.Product(
                    productId: id, title: title, units: 0, revenue: Money(minorUnits: 0, currency: currency), orders: 0,
                    addedToCart: 0, refusedByShop: 0, available: nil, soldOut: false, allReserved: false)
                order.append(id)
            }
        }
        for row in try await sql.raw(
            """
            SELECT l.product_id, p.title FROM lineup_items l JOIN products p ON p.id = l.product_id
            WHERE l.show_id = \(bind: showID) AND l.brand_id = \(bind: brandID) ORDER BY l.position
            """
        ).all() {
            entry(try row.decode(column: "product_id", as: UUID.self), try row.decode(column: "title", as: String.self))
        }
        for row in try await sql.raw(
            """
            SELECT l.product_id, MIN(l.title) AS title, CAST(SUM(l.quantity - l.refunded_quantity) AS BIGINT) AS units,
            CAST(SUM(l.total - l.total * l.refunded_quantity / l.quantity) AS BIGINT) AS revenue,
            COUNT(DISTINCT o.id) AS orders
            FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE o.show_id = \(bind: showID) AND o.brand_id = \(bind: brandID)
            AND o.status NOT IN ('cancelled', 'refunded')
            GROUP BY l.product_id
            """
        ).all() {
            let id = try row.decode(column: "product_id", as: UUID.self)
            entry(id, try row.decode(column: "title", as: String.self))
            products[id]?.units = try row.decode(column: "units", as: Int.self)
            products[id]?.revenue.minorUnits = try row.decode(column: "revenue", as: Int.self)
            products[id]?.orders = try row.decode(column: "orders", as: Int.self)
        }
        for row in try await sql.raw(
            """
            SELECT product_id, added, CAST(SUM(quantity) AS BIGINT) AS units FROM cart_events
            WHERE show_id = \(bind: showID) AND brand_id = \(bind: brandID) GROUP BY product_id, added
            """
        ).all() {
            let id = try row.decode(column: "product_id", as: UUID.self)
            guard products[id] != nil else { continue }
            if try row.decode(column: "added", as: Bool.self) {
                products[id]?.addedToCart = try row.decode(column: "units", as: Int.self)
            } else {
                products[id]?.refusedByShop = try row.decode(column: "units", as: Int.self)
            }
        }
        if !order.isEmpty {
            var levels: [UUID: [(deny: Bool, level: StockLevel)]] = [:]
            for row in try await sql.raw(
                """
                SELECT product_id, inventory_policy, inventory_quantity, reserved, sold_unacknowledged
                FROM variants WHERE product_id IN (\(binds: order)) AND brand_id = \(bind: brandID)
                """
            ).all() {
                levels[try row.decode(column: "product_id", as: UUID.self), default: []].append(
                    (
                        try row.decode(column: "inventory_policy", as: String.self) == InventoryPolicy.deny.rawValue,
                        StockLevel(
                            onHand: try row.decode(column: "inventory_quantity", as: Int.self),
                            reserved: try row.decode(column: "reserved", as: Int.self),
                            soldUnacknowledged: try row.decode(column: "sold_unacknowledged", as: Int.self))
                    ))
            }
            // As the player's lineup counts it: untracked as soon as one variant sells beyond its stock.
            for (id, variants) in levels where !variants.isEmpty && variants.allSatisfy(\.deny) {
                let available = variants.reduce(0) { $0 + $1.level.available }
                products[id]?.available = available
                let held = available == 0 && variants.contains { $0.level.allReserved }
                products[id]?.allReserved = held
                products[id]?.soldOut = available == 0 && !held
            }
        }
        let totals = try await sql.raw(
            """
            SELECT COUNT(*) AS orders, CAST(COALESCE(SUM(total - refunded), 0) AS BIGINT) AS revenue,
            CAST(COALESCE(SUM(CASE WHEN origin = 'live' THEN 1 ELSE 0 END), 0) AS BIGINT) AS live
            FROM orders WHERE show_id = \(bind: showID) AND brand_id = \(bind: brandID)
            AND status NOT IN ('cancelled', 'refunded')
            """
        ).all().first
        let list = order.compactMap { products[$0] }
        return ShowSales(
            showId: showID, currency: currency, orders: try totals?.decode(column: "orders", as: Int.self) ?? 0,
            units: list.reduce(0) { $0 + $1.units },
            revenue: Money(minorUnits: try totals?.decode(column: "revenue", as: Int.self) ?? 0, currency: currency),
            liveOrders: try totals?.decode(column: "live", as: Int.self) ?? 0,
            addedToCart: list.reduce(0) { $0 + $1.addedToCart }, products: list)
    }
}
