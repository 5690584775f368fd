import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// An order to place: the brand, the buyer's checked input, its idempotency key, and a hash of
/// the input (the same key with another body is refused).
public struct OrderRequest: Sendable {
    public var brandID: UUID
    public var input: OrderInput
    public var idempotencyKey: String
    public var requestHash: String
    /// The cart the order comes from (`X-Vitrine-Cart`): what its checkout holds is taken first.
    public var cartToken: String?

    public init(brandID: UUID, input: OrderInput, idempotencyKey: String, requestHash: String, cartToken: String? = nil)
    {
        self.brandID = brandID
        self.input = input
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.cartToken = cartToken
    }
}

/// A placed order: new, or the one an earlier request with the same idempotency key made.
public enum OrderPlacement: Sendable {
    case created(Order)
    case replayed(Order)

    public var order: Order {
        switch self {
        case .created(let order), .replayed(let order): order
        }
    }
}

/// How orders reach the disk.
public enum OrderCommit: String, Sendable, CaseIterable {
    /// Many orders per transaction (group commit): one writer takes every order that arrived while
    /// the last transaction committed.
    case group
    /// One transaction per order, the stock decided by one conditional UPDATE per line (the naive
    /// design, kept to compare with).
    case single
}

/// Places orders. With `.group`, requests queue here and one writer commits them in batches: each
/// caller is answered after the transaction holding its order has committed (and, with the
/// durability settings the store states at start-up, reached the disk).
public actor OrderDesk {
    public let store: Store
    public let commit: OrderCommit
    let maxBatch: Int
    var waiting: [(OrderRequest, CheckedContinuation<OrderPlacement, any Error>)] = []
    var writing = false
    /// Called after each commit with the brands whose stock moved and whether a variant ran out.
    let afterCommit: @Sendable (_ brands: Set<UUID>, _ soldOut: Bool) async -> Void

    public init(
        store: Store, commit: OrderCommit = .group, maxBatch: Int = 500,
        afterCommit: @escaping @Sendable (Set<UUID>, Bool) async -> Void = { _, _ in }
    ) {
        self.store = store
        self.commit = commit
        self.maxBatch = maxBatch
        self.afterCommit = afterCommit
    }

    public func place(_ request: OrderRequest) async throws -> OrderPlacement {
        if commit == .single {
            let outcome = try await store.writeOrders([request], conditional: true)
            let placement = try outcome.results[0].get()
            await afterCommit(outcome.brands, outcome.soldOut)
            return placement
        }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append((request, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maxBatch))
            waiting.removeFirst(batch.count)
            let requests = batch.map(\.0)
            var outcome: OrderBatchOutcome
            do {
                outcome = try await store.writeOrders(requests, conditional: false)
            } catch {
                // One bad order must not fail the others (a key that another node wrote meanwhile):
                // each goes again alone.
                outcome = OrderBatchOutcome()
                for request in requests {
                    do {
                        let single = try await store.writeOrders([request], conditional: false)
                        outcome.results.append(single.results[0])
                        outcome.brands.formUnion(single.brands)
                        outcome.soldOut = outcome.soldOut || single.soldOut
                    } catch {
                        outcome.results.append(.failure(error))
                    }
                }
            }
            for (index, (_, continuation)) in batch.enumerated() {
                continuation.resume(with: outcome.results[index])
            }
            if !outcome.brands.isEmpty { await afterCommit(outcome.brands, outcome.soldOut) }
        }
        writing = false
    }
}

struct OrderBatchOutcome {
    var results: [Result<OrderPlacement, any Error>] = []
    var brands: Set<UUID> = []
    var soldOut = false
}

/// A variant as an order needs it: price, titles, stock.
private struct VariantForSale {
    var id: UUID
    var brandID: UUID
    var productID: UUID
    var title: String
    var options: [String]
    var sku: String?
    var price: Int
    var compareAtPrice: Int?
    var currency: String
    var vatRate: Int
    var active: Bool
    var deny: Bool
    var onHand: Int
    var reserved: Int
    var sold: Int
    var available: Int { onHand - reserved - sold }
}

private struct BrandForSale {
    var name: String
    var currency: String
    var homeDelivery: Int
    var takesCards = false
    var endpoints: [(id: UUID, events: [String])]
}

extension Store {
    public static let orderMailJobKind = "order.email"

    /// Writes orders in one transaction and says, per request, what became of it. With
    /// `conditional`, each line takes its stock by one conditional UPDATE (the naive design);
    /// otherwise the variants are read (locked on PostgreSQL), shared out among the batch in
    /// arrival order, and each written once.
    func writeOrders(_ requests: [OrderRequest], conditional: Bool) async throws -> OrderBatchOutcome {
        let now = self.now
        let postgres = isPostgres
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await self.durable(on: sql)
            var outcome = OrderBatchOutcome()
            outcome.results = Array(repeating: .failure(DomainError.notFound), count: requests.count)

            // Idempotency: keys already used, and keys used twice in this batch.
            var known: [String: (brandID: UUID, orderID: UUID, hash: String)] = [:]
            let keysByBrand = Dictionary(grouping: requests, by: \.brandID).mapValues {
                Array(Set($0.map(\.idempotencyKey)))
            }
            for (brandID, keys) in keysByBrand {
                for chunk in keys.chunks(of: 500) {
                    // Reads the unique index (brand_id, idempotency_key).
                    for row in try await sql.raw(
                        """
                        SELECT id, idempotency_key, request_hash FROM orders
                        WHERE brand_id = \(bind: brandID) AND idempotency_key IN (\(binds: chunk))
                        """
                    ).all() {
                        let key = try row.decode(column: "idempotency_key", as: String.self)
                        known["\(brandID)|\(key)"] = (
                            brandID, try row.decode(column: "id", as: UUID.self),
                            try row.decode(column: "request_hash", as: String.self)
                        )
                    }
                }
            }

            let variantIDs = Array(Set(requests.flatMap { $0.input.lines.map(\.variantId) }))
            var variants = try await self.variantsForSale(variantIDs, lock: postgres && !conditional, on: sql)
            let brands = try await self.brandsForSale(Array(Set(requests.map(\.brandID))), on: sql)
            let showPrices = try await self.showPrices(requests, on: sql)
            // Promotions: the codes typed, and the automatic offers of the batch's shows.
            var promotions = try await self.promotionsForSale(
                codes: requests.compactMap { request in request.input.promotionCode.map { (request.brandID, $0) } },
                shows: Array(Set(requests.compactMap(\.input.showId))), emails: requests.map(\.input.email),
                lock: true, on: sql)
            var promotionUses: [(promotion: UUID, order: UUID, brand: UUID, email: String)] = []
            // Flash drops: their own quantity, sold (or held by card orders) in arrival order.
            // Locked for the batch (after its variants); one order at a time (the naive mode)
            // relies on the drop's conditional UPDATE instead.
            var drops = try await self.dropsForSale(requests, lock: !conditional, on: sql)
            var dropSold: [UUID: Int] = [:]
            var dropHeld: [UUID: Int] = [:]
            let storeIDs = Array(Set(requests.compactMap(\.input.pickupStoreId)))
            var pickupStores: Set<String> = []
            if !storeIDs.isEmpty {
                for row in try await sql.raw(
                    "SELECT id, brand_id FROM pickup_stores WHERE id IN (\(binds: storeIDs)) AND active = \(bind: true)"
                ).all() {
                    pickupStores.insert(
                        "\(try row.decode(column: "brand_id", as: UUID.self))|\(try row.decode(column: "id", as: UUID.self))"
                    )
                }
            }

            // What the batch's carts hold: taken now (so that an expiry cannot release it meanwhile),
            // given back at the end when no order used it.
            var holds: [String: [CartHoldRow]] = [:]
            var allHolds: [CartHoldRow] = []
            if !conditional {
                (holds, allHolds) = try await self.takeCartHolds(requests, now: now, on: sql)
            }
            var usedHolds: [UUID: CartHoldRow] = [:]
            var unboughtHolds: [UUID] = []
            /// Card orders hold every unit of their lines until their payment is confirmed, in holds
            /// of their own (the cart's holds they used are given back: the cart lives on).
            var cardHolds: [(order: UUID, brand: UUID, variant: UUID, quantity: Int, drop: UUID?)] = []
            var orders: [(index: Int, order: Order, request: OrderRequest)] = []
            var firstWithKey: [String: Int] = [:]
            /// Units of each variant sold in this batch, and those of them not held by a checkout.
            var taken: [UUID: Int] = [:]
            var takenFree: [UUID: Int] = [:]
            var random = SystemRandomNumberGenerator()
            for (index, request) in requests.enumerated() {
                let keyID = "\(request.brandID)|\(request.idempotencyKey)"
                if let existing = known[keyID] {
                    guard existing.hash == request.requestHash else {
                        outcome.results[index] = .failure(OrderErrors.keyReused)
                        continue
                    }
                    outcome.results[index] = .success(
                        .replayed(try await self.brand(request.brandID).order(existing.orderID, on: db)))
                    continue
                }
                if firstWithKey[keyID] != nil {
                    continue  // answered below with the first request's order
                }
                firstWithKey[keyID] = index
                let orderID = UUID()
                let card = request.input.payment == .stripe
                do {
                    guard let brand = brands[request.brandID] else { throw DomainError.notFound }
                    var inputs: [PricedLineInput] = []
                    var lines: [OrderLine] = []
                    for (position, line) in request.input.lines.enumerated() {
                        guard let variant = variants[line.variantId], variant.brandID == request.brandID,
                            variant.active
                        else {
                            throw DomainError(
                                .notFound, code: "not_found", message: "This brand sells no such variant.",
                                field: "lines[\(position)].variantId")
                        }
                        let showPrice = request.input.showId.flatMap {
                            showPrices["\(request.brandID)|\($0)|\(variant.productID)"]
                        }
                        // In a show with a drop of this variant, the line is the drop's: its price,
                        // once it is open.
                        let drop = drops.drop(show: request.input.showId, variant: variant.id)
                        if let drop {
                            guard let opensAt = drop.opensAt, now >= opensAt else {
                                throw OrderErrors.dropNotOpen(drop, field: position)
                            }
                        }
                        let unit = drop?.price.minorUnits ?? showPrice ?? variant.price
                        let compareAt = drop != nil || showPrice != nil ? variant.price : variant.compareAtPrice
                        inputs.append(
                            PricedLineInput(
                                variantId: variant.id, quantity: line.quantity,
                                unitPrice: Money(minorUnits: unit, currency: variant.currency),
                                compareAtPrice: compareAt.map { Money(minorUnits: $0, currency: variant.currency) },
                                vatRate: variant.vatRate))
                        lines.append(
                            OrderLine(
                                id: UUID(), variantId: variant.id, productId: variant.productID, title: variant.title,
                                variantTitle: variant.options.joined(separator: " / "), sku: variant.sku,
                                quantity: line.quantity, unitPrice: Money(minorUnits: unit, currency: variant.currency),
                                compareAtPrice: nil, vatRate: variant.vatRate,
                                discount: Money(minorUnits: 0, currency: variant.currency),
                                total: Money(minorUnits: 0, currency: variant.currency), refundedQuantity: 0,
                                pinnedProductId: line.pinnedProductId, dropId: drop?.id))
                    }
                    let subtotal = Money(
                        minorUnits: inputs.reduce(0) { $0 + $1.unitPrice.minorUnits * $1.quantity },
                        currency: inputs.first?.unitPrice.currency ?? brand.currency)
                    let promotion = try promotions.choose(
                        brandID: request.brandID, code: request.input.promotionCode, showId: request.input.showId,
                        email: request.input.email, subtotal: subtotal, now: now
                    ).get()
                    if let store = request.input.pickupStoreId,
                        !pickupStores.contains("\(request.brandID)|\(store)")
                    {
                        throw DomainError(
                            .notFound, code: "not_found", message: "This brand has no such store.",
                            field: "pickupStoreId")
                    }
                    let delivery = request.input.delivery == .home ? brand.homeDelivery : 0
                    let priced = try Pricing.price(
                        inputs, promotion: promotion, delivery: Money(minorUnits: delivery, currency: brand.currency))
                    guard priced.total.currency == brand.currency else {
                        throw DomainError.invalid("lines", "Every line must be priced in \(brand.currency).")
                    }
                    if card && priced.total.minorUnits < 50 {
                        throw DomainError(
                            .invalid, code: "payment_unavailable",
                            message:
                                "A card payment is at least 0.50 \(brand.currency); choose 'later' for this order.",
                            field: "payment")
                    }
                    // Stock, in arrival order.
                    if card && !brand.takesCards {
                        throw DomainError(
                            .invalid, code: "payment_unavailable",
                            message: "This brand takes no card payments here; choose 'later' (pay later or in store).",
                            field: "payment")
                    }
                    // Drop lines: within the buyer's limit (by e-mail, this batch included), and from
                    // the drop's own quantity; the variant's stock is not theirs.
                    let email = request.input.email.lowercased()
                    var dropLines: Set<Int> = []
                    var boughtNow: [UUID: Int] = [:]
                    for (position, line) in lines.enumerated() {
                        guard let dropID = line.dropId,
                            let drop = drops.byID[dropID]
                        else { continue }
                        dropLines.insert(position)
                        boughtNow[dropID, default: 0] += line.quantity
                        let already = drops.bought["\(dropID)|\(email)", default: 0]
                        if let limit = drop.perCustomer, already + boughtNow[dropID]! > limit {
                            throw OrderErrors.dropLimit(drop, already: already, field: position)
                        }
                        if !conditional {
                            let inBatch = (dropSold[dropID] ?? 0) + (dropHeld[dropID] ?? 0)
                            var left = drop
                            left.sold += inBatch
                            if left.left < boughtNow[dropID]! { throw OrderErrors.dropSoldOut(left, field: position) }
                        }
                    }
                    if conditional {
                        for position in dropLines.sorted() {
                            let line = lines[position]
                            let column: SQLQueryString = card ? "reserved = reserved" : "sold = sold"
                            let taken = try await sql.raw(
                                """
                                UPDATE flash_drops SET \(column) + \(bind: line.quantity)
                                WHERE id = \(bind: line.dropId!) AND quantity - sold - reserved >= \(bind: line.quantity)
                                RETURNING quantity - sold - reserved AS remaining
                                """
                            ).all()
                            guard let row = taken.first else {
                                let now = try await sql.raw(
                                    "SELECT * FROM flash_drops WHERE id = \(bind: line.dropId!)"
                                )
                                .all().first.map(FlashDrop.init(row:))
                                throw OrderErrors.dropSoldOut(
                                    now ?? drops.byID[line.dropId!]!, field: position)
                            }
                            if try row.decode(column: "remaining", as: Int.self) <= 0 { outcome.soldOut = true }
                            if card {
                                cardHolds.append((orderID, request.brandID, line.variantId, line.quantity, line.dropId))
                            }
                        }
                        // A card order holds its units until its payment is confirmed.
                        let column: SQLQueryString =
                            card ? "reserved = reserved" : "sold_unacknowledged = sold_unacknowledged"
                        for (position, line) in request.input.lines.enumerated().sorted(by: {
                            $0.element.variantId.uuidString < $1.element.variantId.uuidString
                        }) where !dropLines.contains(position) {
                            if card { cardHolds.append((orderID, request.brandID, line.variantId, line.quantity, nil)) }
                            let sold = try await sql.raw(
                                """
                                UPDATE variants SET \(column) + \(bind: line.quantity)
                                WHERE id = \(bind: line.variantId) AND brand_id = \(bind: request.brandID)
                                AND (inventory_policy <> 'deny'
                                     OR inventory_quantity - reserved - sold_unacknowledged >= \(bind: line.quantity))
                                RETURNING inventory_quantity - reserved - sold_unacknowledged AS remaining
                                """
                            ).all()
                            guard let row = sold.first else {
                                // Earlier lines of this order were taken in this transaction: the
                                // caller's transaction rolls back with the error.
                                let now = try await self.variantsForSale([line.variantId], lock: false, on: sql)
                                throw OrderErrors.outOfStock(
                                    now[line.variantId] ?? variants[line.variantId]!, field: position)
                            }
                            if variants[line.variantId]!.deny, try row.decode(column: "remaining", as: Int.self) <= 0 {
                                outcome.soldOut = true
                            }
                        }
                    } else {
                        let cartHolds =
                            request.cartToken.flatMap { holds["\(request.brandID)|\(Secrets.hash($0))"] } ?? []
                        var held: [UUID: Int] = [:]
                        for hold in cartHolds where usedHolds[hold.id] == nil {
                            held[hold.variant, default: 0] += hold.quantity
                        }
                        for (position, line) in request.input.lines.enumerated() where !dropLines.contains(position) {
                            let variant = variants[line.variantId]!
                            let free = line.quantity - min(line.quantity, held[line.variantId] ?? 0)
                            if variant.deny && variant.available - takenFree[line.variantId, default: 0] < free {
                                // What this order holds is its own: "only N left" counts it, "all
                                // reserved" means held by others.
                                var left = variant
                                left.sold += takenFree[line.variantId, default: 0]
                                left.reserved -= held[line.variantId] ?? 0
                                throw OrderErrors.outOfStock(left, field: position)
                            }
                        }
                        var stillHeld = held
                        for (position, line) in request.input.lines.enumerated() {
                            if let dropID = lines[position].dropId {
                                if card {
                                    dropHeld[dropID, default: 0] += line.quantity
                                    cardHolds.append((orderID, request.brandID, line.variantId, line.quantity, dropID))
                                } else {
                                    dropSold[dropID, default: 0] += line.quantity
                                }
                                continue
                            }
                            let free = line.quantity - min(line.quantity, stillHeld[line.variantId] ?? 0)
                            stillHeld[line.variantId, default: 0] -= line.quantity - free
                            takenFree[line.variantId, default: 0] += free
                            if card {
                                cardHolds.append((orderID, request.brandID, line.variantId, line.quantity, nil))
                            } else {
                                taken[line.variantId, default: 0] += line.quantity
                            }
                        }
                        let bought = Set(request.input.lines.map(\.variantId))
                        for hold in cartHolds where usedHolds[hold.id] == nil {
                            usedHolds[hold.id] = hold
                            if !bought.contains(hold.variant) || card { unboughtHolds.append(hold.id) }
                        }
                    }
                    for position in lines.indices {
                        let line = priced.lines[position]
                        lines[position].compareAtPrice = line.compareAtPrice
                        lines[position].discount = line.discount
                        lines[position].total = line.total
                    }
                    let input = request.input
                    let order = Order(
                        id: orderID, number: OrderNumber.make(brandName: brand.name, using: &random),
                        status: .awaitingPayment, email: input.email, name: input.name, phone: input.phone,
                        address: input.address, delivery: input.delivery ?? .home, pickupStoreId: input.pickupStoreId,
                        payment: input.payment ?? .later, lines: lines, subtotal: priced.subtotal,
                        discount: priced.discount,
                        promotionCode: priced.promotionId == nil ? nil : promotion?.code,
                        deliveryPrice: priced.delivery,
                        total: priced.total, refunded: Money(minorUnits: 0, currency: brand.currency),
                        vat: priced.vat, showId: input.showId, origin: input.origin ?? .none,
                        language: input.language ?? "fr", marketingConsent: input.marketingConsent ?? false,
                        carrier: nil, trackingNumber: nil, trackingUrl: nil, createdAt: now,
                        history: [OrderEvent(at: now, status: .awaitingPayment, note: nil)])
                    for (dropID, units) in boughtNow { drops.bought["\(dropID)|\(email)", default: 0] += units }
                    if let used = priced.promotionId {
                        // Counted now: the next orders of the batch see this use.
                        promotions.uses[used, default: 0] += 1
                        promotions.usesByBuyer["\(used)|\(input.email.lowercased())", default: 0] += 1
                        promotionUses.append((used, orderID, request.brandID, input.email.lowercased()))
                    }
                    orders.append((index, order, request))
                    outcome.results[index] = .success(.created(order))
                } catch {
                    outcome.results[index] = .failure(error)
                }
            }
            if conditional, case .failure(let error) = outcome.results[0], requests.count == 1 {
                throw error  // nothing of this order stays
            }

            // Stock: one UPDATE per variant for the whole batch.
            if !conditional {
                // Held units leave `reserved` (all of a used hold, also what the order did not take);
                // card orders hold theirs again, in holds of their own.
                var released: [UUID: Int] = [:]
                for hold in usedHolds.values { released[hold.variant, default: 0] += hold.quantity }
                for hold in cardHolds where hold.drop == nil { released[hold.variant, default: 0] -= hold.quantity }
                for variantID in Set(taken.keys).union(released.keys).sorted(by: { $0.uuidString < $1.uuidString }) {
                    let sold = taken[variantID] ?? 0
                    let back = released[variantID] ?? 0
                    try await sql.raw(
                        """
                        UPDATE variants SET sold_unacknowledged = sold_unacknowledged + \(bind: sold),
                        reserved = reserved - \(bind: back) WHERE id = \(bind: variantID)
                        """
                    ).run()
                    if var variant = variants[variantID] {
                        variant.sold += sold
                        variant.reserved -= back
                        variants[variantID] = variant
                        if variant.deny && variant.available <= 0 { outcome.soldOut = true }
                    }
                }
                try await self.settleCartHolds(all: allHolds, used: usedHolds, unbought: unboughtHolds, on: sql)
                for dropID in Set(dropSold.keys).union(dropHeld.keys).sorted(by: { $0.uuidString < $1.uuidString }) {
                    let sold = dropSold[dropID] ?? 0
                    let held = dropHeld[dropID] ?? 0
                    try await sql.raw(
                        """
                        UPDATE flash_drops SET sold = sold + \(bind: sold), reserved = reserved + \(bind: held)
                        WHERE id = \(bind: dropID)
                        """
                    ).run()
                    if let drop = drops.byID[dropID],
                        drop.left - sold - held <= 0
                    {
                        outcome.soldOut = true
                    }
                }
            }
            // Only orders that were written keep what they hold (a refused order's lines are not).
            let placed = Set(orders.map(\.order.id))
            let holdsToWrite = cardHolds.filter { placed.contains($0.order) }
            for chunk in holdsToWrite.chunks(of: 300) {
                var insert = sql.insert(into: "stock_reservations").columns(
                    "id", "brand_id", "variant_id", "quantity", "state", "created_at", "expires_at", "order_id",
                    "drop_id")
                for hold in chunk {
                    insert = insert.values(
                        SQLBind(UUID()), SQLBind(hold.brand), SQLBind(hold.variant), SQLBind(hold.quantity),
                        SQLBind(StockReservation.State.active.rawValue), SQLBind(now),
                        SQLBind(now.addingTimeInterval(self.holdSeconds)), SQLBind(hold.order), SQLBind(hold.drop))
                }
                try await insert.run()
            }
            let written = Set(orders.map(\.order.id))
            let used = promotionUses.filter { written.contains($0.order) }
            for (promotion, uses) in Dictionary(grouping: used, by: \.promotion) {
                try await sql.raw(
                    "UPDATE promotions SET uses = uses + \(bind: uses.count) WHERE id = \(bind: promotion)"
                ).run()
            }
            for chunk in used.chunks(of: 400) {
                var insert = sql.insert(into: "promotion_uses").columns(
                    "id", "promotion_id", "brand_id", "order_id", "email", "at")
                for use in chunk {
                    insert = insert.values(
                        SQLBind(UUID()), SQLBind(use.promotion), SQLBind(use.brand), SQLBind(use.order),
                        SQLBind(use.email), SQLBind(now))
                }
                try await insert.run()
            }
            try await self.uniqueNumbers(&orders, brands: brands, on: sql)
            try await self.insert(orders.map { ($0.order, $0.request) }, brands: brands, at: now, on: sql)
            outcome.brands = Set(orders.map(\.request.brandID))
            for (index, request) in requests.enumerated() {
                let keyID = "\(request.brandID)|\(request.idempotencyKey)"
                guard let first = firstWithKey[keyID], first != index else { continue }
                if requests[first].requestHash != request.requestHash {
                    outcome.results[index] = .failure(OrderErrors.keyReused)
                } else {
                    outcome.results[index] = outcome.results[first].map { .replayed($0.order) }
                }
            }
            return outcome
        }
    }

    private func variantsForSale(_ ids: [UUID], lock: Bool, on sql: any SQLDatabase) async throws -> [UUID:
        VariantForSale]
    {
        var result: [UUID: VariantForSale] = [:]
        for chunk in ids.sorted(by: { $0.uuidString < $1.uuidString }).chunks(of: 500) {
            let forUpdate: SQLQueryString = lock ? " FOR UPDATE OF v" : ""
            for row in try await sql.raw(
                """
                SELECT v.id, v.brand_id, v.product_id, v.options, v.sku, v.price, v.compare_at_price, v.currency,
                v.inventory_policy, v.inventory_quantity, v.reserved, v.sold_unacknowledged,
                p.title, p.vat_rate, p.status
                FROM variants v JOIN products p ON p.id = v.product_id
                WHERE v.id IN (\(binds: chunk)) ORDER BY v.id\(forUpdate)
                """
            ).all() {
                let id = try row.decode(column: "id", as: UUID.self)
                result[id] = VariantForSale(
                    id: id, brandID: try row.decode(column: "brand_id", as: UUID.self),
                    productID: try row.decode(column: "product_id", as: UUID.self),
                    title: try row.decode(column: "title", as: String.self),
                    options: JSONList.decode(try row.decode(column: "options", as: String.self)),
                    sku: try row.decode(column: "sku", as: String?.self),
                    price: try row.decode(column: "price", as: Int.self),
                    compareAtPrice: try row.decode(column: "compare_at_price", as: Int?.self),
                    currency: try row.decode(column: "currency", as: String.self),
                    vatRate: try row.decode(column: "vat_rate", as: Int.self),
                    active: try row.decode(column: "status", as: String.self) == ProductStatus.active.rawValue,
                    deny: try row.decode(column: "inventory_policy", as: String.self) == InventoryPolicy.deny.rawValue,
                    onHand: try row.decode(column: "inventory_quantity", as: Int.self),
                    reserved: try row.decode(column: "reserved", as: Int.self),
                    sold: try row.decode(column: "sold_unacknowledged", as: Int.self))
            }
        }
        return result
    }

    private func brandsForSale(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: BrandForSale] {
        var result: [UUID: BrandForSale] = [:]
        for row in try await sql.raw(
            "SELECT id, name, currency, home_delivery_price FROM brands WHERE id IN (\(binds: ids))"
        ).all() {
            result[try row.decode(column: "id", as: UUID.self)] = BrandForSale(
                name: try row.decode(column: "name", as: String.self),
                currency: try row.decode(column: "currency", as: String.self),
                homeDelivery: try row.decode(column: "home_delivery_price", as: Int.self), endpoints: [])
        }
        for row in try await sql.raw(
            "SELECT brand_id FROM payment_settings WHERE brand_id IN (\(binds: ids)) AND provider = 'stripe'"
        ).all() {
            result[try row.decode(column: "brand_id", as: UUID.self)]?.takesCards = true
        }
        for row in try await sql.raw(
            """
            SELECT id, brand_id, events FROM webhook_endpoints
            WHERE brand_id IN (\(binds: ids)) AND enabled = \(bind: true)
            """
        ).all() {
            let brand = try row.decode(column: "brand_id", as: UUID.self)
            result[brand]?.endpoints.append(
                (
                    try row.decode(column: "id", as: UUID.self),
                    JSONList.decode(try row.decode(column: "events", as: String.self))
                ))
        }
        return result
    }

    /// The show prices of the lineups the batch buys from, keyed "brand|show|product" (the show's
    /// own brand): an order names another brand's show in vain.
    private func showPrices(_ requests: [OrderRequest], on sql: any SQLDatabase) async throws -> [String: Int] {
        let shows = Array(Set(requests.compactMap(\.input.showId)))
        guard !shows.isEmpty else { return [:] }
        var result: [String: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT l.show_id, l.product_id, l.show_price, s.brand_id FROM lineup_items l
            JOIN shows s ON s.id = l.show_id WHERE l.show_id IN (\(binds: shows)) AND l.show_price IS NOT NULL
            """
        ).all() {
            let show = try row.decode(column: "show_id", as: UUID.self)
            // Keyed by the show's own brand: a show id of another brand never prices this one's lines.
            let brand = try row.decode(column: "brand_id", as: UUID.self)
            result["\(brand)|\(show)|\(try row.decode(column: "product_id", as: UUID.self))"] = try row.decode(
                column: "show_price", as: Int.self)
        }
        return result
    }

    /// Draws new numbers for the orders whose number is taken (in the brand, or in the batch).
    private func uniqueNumbers(
        _ orders: inout [(index: Int, order: Order, request: OrderRequest)], brands: [UUID: BrandForSale],
        on sql: any SQLDatabase
    ) async throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<10 {
            var seen = Set<String>()
            var clashes = Set<Int>()
            for (position, entry) in orders.enumerated()
            where !seen.insert("\(entry.request.brandID)|\(entry.order.number)").inserted {
                clashes.insert(position)
            }
            // Reads the unique index (brand_id, number).
            for (brandID, positions) in Dictionary(grouping: orders.indices, by: { orders[$0].request.brandID }) {
                let byNumber = Dictionary(grouping: positions, by: { orders[$0].order.number })
                for chunk in Array(byNumber.keys).chunks(of: 500) {
                    for row in try await sql.raw(
                        "SELECT number FROM orders WHERE brand_id = \(bind: brandID) AND number IN (\(binds: chunk))"
                    ).all() {
                        clashes.formUnion(byNumber[try row.decode(column: "number", as: String.self)] ?? [])
                    }
                }
            }
            guard !clashes.isEmpty else { return }
            for position in clashes {
                orders[position].order.number = OrderNumber.make(
                    brandName: brands[orders[position].request.brandID]?.name ?? "", using: &random)
            }
        }
    }

    /// The rows of new orders: orders, lines, and in the same transaction their confirmation
    /// e-mail job and `order.created` webhook deliveries.
    private func insert(
        _ orders: [(order: Order, request: OrderRequest)], brands: [UUID: BrandForSale], at now: Date,
        on sql: any SQLDatabase
    ) async throws {
        guard !orders.isEmpty else { return }
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys]
        func text(_ value: some Encodable) throws -> String { String(decoding: try json.encode(value), as: UTF8.self) }
        for chunk in orders.chunks(of: 200) {
            var insert = sql.insert(into: "orders").columns(
                "id", "brand_id", "number", "status", "email", "name", "phone", "address", "delivery",
                "pickup_store_id", "payment", "currency", "subtotal", "discount", "promotion_code", "delivery_price",
                "total", "refunded", "vat", "show_id", "origin", "viewer_id", "language", "marketing_consent",
                "idempotency_key", "request_hash", "created_at", "updated_at")
            for (order, request) in chunk {
                insert = insert.values(
                    SQLBind(order.id), SQLBind(request.brandID), SQLBind(order.number),
                    SQLBind(order.status.rawValue), SQLBind(order.email), SQLBind(order.name), SQLBind(order.phone),
                    SQLBind(try order.address.map(text)), SQLBind(order.delivery.rawValue),
                    SQLBind(order.pickupStoreId), SQLBind(order.payment.rawValue), SQLBind(order.total.currency),
                    SQLBind(order.subtotal.minorUnits), SQLBind(order.discount.minorUnits),
                    SQLBind(order.promotionCode), SQLBind(order.deliveryPrice.minorUnits),
                    SQLBind(order.total.minorUnits), SQLBind(0), SQLBind(try text(order.vat)), SQLBind(order.showId),
                    SQLBind(order.origin.rawValue), SQLBind(request.input.viewerId), SQLBind(order.language),
                    SQLBind(order.marketingConsent), SQLBind(request.idempotencyKey), SQLBind(request.requestHash),
                    SQLBind(now), SQLBind(now))
            }
            try await insert.run()
        }
        let lines = orders.flatMap { entry in
            entry.order.lines.enumerated().map { (entry.order, entry.request, $0, $1) }
        }
        for chunk in lines.chunks(of: 400) {
            var insert = sql.insert(into: "order_lines").columns(
                "id", "order_id", "brand_id", "position", "variant_id", "product_id", "title", "variant_title", "sku",
                "quantity", "unit_price", "compare_at_price", "vat_rate", "discount", "total", "refunded_quantity",
                "pinned_product_id", "drop_id")
            for (order, request, position, line) in chunk {
                insert = insert.values(
                    SQLBind(line.id), SQLBind(order.id), SQLBind(request.brandID), SQLBind(position + 1),
                    SQLBind(line.variantId), SQLBind(line.productId), SQLBind(line.title), SQLBind(line.variantTitle),
                    SQLBind(line.sku), SQLBind(line.quantity), SQLBind(line.unitPrice.minorUnits),
                    SQLBind(line.compareAtPrice?.minorUnits), SQLBind(line.vatRate), SQLBind(line.discount.minorUnits),
                    SQLBind(line.total.minorUnits), SQLBind(0), SQLBind(line.pinnedProductId), SQLBind(line.dropId))
            }
            try await insert.run()
        }
        // Jobs: the buyer's e-mail, and one webhook delivery per endpoint that listens.
        var jobs: [(id: UUID, brand: UUID, kind: String, payload: String, key: String, attempts: Int)] = []
        var deliveries: [(id: UUID, brand: UUID, endpoint: UUID, event: UUID, body: String)] = []
        for (order, request) in orders {
            // A card order's confirmation goes once its payment is confirmed.
            if order.payment == .later {
                jobs.append(
                    (
                        UUID(), request.brandID, Self.orderMailJobKind,
                        "{\"order\":\"\(order.id.uuidString)\",\"mail\":\"confirmation\"}",
                        "order-mail:\(order.id):confirmation", 12
                    ))
            }
            let listening =
                brands[request.brandID]?.endpoints.filter {
                    $0.events.contains(WebhookEvent.orderCreated.rawValue)
                } ?? []
            guard !listening.isEmpty else { continue }
            let body = try BrandScope.webhookBody(
                .orderCreated, id: UUID(), brandID: request.brandID, at: now, data: OrderWebhookData(order: order))
            for endpoint in listening {
                let delivery = UUID()
                deliveries.append((delivery, request.brandID, endpoint.id, body.id, body.text))
                jobs.append(
                    (
                        UUID(), request.brandID, BrandScope.webhookJobKind,
                        "{\"delivery\":\"\(delivery.uuidString)\"}", "webhook:\(delivery)",
                        BrandScope.webhookMaxAttempts
                    ))
            }
        }
        for chunk in deliveries.chunks(of: 500) {
            var insert = sql.insert(into: "webhook_deliveries").columns(
                "id", "brand_id", "endpoint_id", "event_id", "event", "body", "status", "attempts", "created_at")
            for delivery in chunk {
                insert = insert.values(
                    SQLBind(delivery.id), SQLBind(delivery.brand), SQLBind(delivery.endpoint), SQLBind(delivery.event),
                    SQLBind(WebhookEvent.orderCreated.rawValue), SQLBind(delivery.body),
                    SQLBind(WebhookDelivery.Status.pending.rawValue), SQLBind(0), SQLBind(now))
            }
            try await insert.run()
        }
        for chunk in jobs.chunks(of: 500) {
            var insert = sql.insert(into: "jobs").columns(
                "id", "brand_id", "kind", "payload", "unique_key", "status", "run_at", "attempts", "max_attempts",
                "created_at", "updated_at")
            for job in chunk {
                insert = insert.values(
                    SQLBind(job.id), SQLBind(job.brand), SQLBind(job.kind), SQLBind(job.payload), SQLBind(job.key),
                    SQLBind(JobInfo.Status.pending.rawValue), SQLBind(now), SQLBind(0), SQLBind(job.attempts),
                    SQLBind(now), SQLBind(now))
            }
            try await insert.run()
        }
    }
}

extension Store {
    /// On PostgreSQL, this transaction's commit waits for the disk whatever the server's setting
    /// (orders, their changes, the shop's acknowledgements).
    func durable(on sql: any SQLDatabase) async throws {
        if isPostgres { try await sql.raw("SET LOCAL synchronous_commit = on").run() }
    }
}

/// A unit of stock a checkout held, taken by the batch that places its cart's order.
struct CartHoldRow: Sendable {
    var id: UUID
    var variant: UUID
    var quantity: Int
}

extension Store {
    /// Takes what the batch's carts hold (active, not expired), keyed "brand|token hash".
    func takeCartHolds(_ requests: [OrderRequest], now: Date, on sql: any SQLDatabase) async throws -> (
        [String: [CartHoldRow]], [CartHoldRow]
    ) {
        let hashes = Array(Set(requests.compactMap { $0.cartToken.map(Secrets.hash) }))
        guard !hashes.isEmpty else { return ([:], []) }
        var keyOfCart: [UUID: String] = [:]
        for row in try await sql.raw(
            "SELECT id, brand_id, token_hash FROM carts WHERE token_hash IN (\(binds: hashes))"
        )
        .all() {
            keyOfCart[try row.decode(column: "id", as: UUID.self)] =
                "\(try row.decode(column: "brand_id", as: UUID.self))|\(try row.decode(column: "token_hash", as: String.self))"
        }
        guard !keyOfCart.isEmpty else { return ([:], []) }
        var holds: [String: [CartHoldRow]] = [:]
        var all: [CartHoldRow] = []
        for row in try await sql.raw(
            """
            UPDATE stock_reservations SET state = 'taken', settled_at = \(bind: now)
            WHERE cart_id IN (\(binds: Array(keyOfCart.keys))) AND state = 'active' AND expires_at > \(bind: now)
            RETURNING id, cart_id, variant_id, quantity
            """
        ).all() {
            let hold = CartHoldRow(
                id: try row.decode(column: "id", as: UUID.self),
                variant: try row.decode(column: "variant_id", as: UUID.self),
                quantity: try row.decode(column: "quantity", as: Int.self))
            all.append(hold)
            if let key = keyOfCart[try row.decode(column: "cart_id", as: UUID.self)] {
                holds[key, default: []].append(hold)
            }
        }
        return (holds, all)
    }

    /// Holds no order used go back to active; used holds of variants their order did not buy are
    /// released (their units already left `reserved`).
    func settleCartHolds(all: [CartHoldRow], used: [UUID: CartHoldRow], unbought: [UUID], on sql: any SQLDatabase)
        async throws
    {
        let unused = all.filter { used[$0.id] == nil }.map(\.id)
        if !unused.isEmpty {
            try await sql.raw(
                "UPDATE stock_reservations SET state = 'active', settled_at = NULL WHERE id IN (\(binds: unused))"
            ).run()
        }
        if !unbought.isEmpty {
            try await sql.raw("UPDATE stock_reservations SET state = 'released' WHERE id IN (\(binds: unbought))").run()
        }
    }
}

/// The data of every `order.*` webhook.
struct OrderWebhookData: Encodable {
    var order: Order
}

enum OrderErrors {
    static let keyReused = DomainError(
        .invalid, code: "idempotency_key_reused",
        message: "This idempotency key was used for another order: a new order needs a new key.",
        field: "idempotencyKey")

    static func dropNotOpen(_ drop: FlashDrop, field position: Int) -> DomainError {
        let when = drop.opensAt.map { " It opens at \($0.formatted(.iso8601))." } ?? " It has not started yet."
        return DomainError(
            .conflict, code: "drop_not_open", message: "This flash drop is not open yet.\(when)",
            field: "lines[\(position)].variantId")
    }

    static func dropLimit(_ drop: FlashDrop, already: Int, field position: Int) -> DomainError {
        DomainError(
            .conflict, code: "drop_limit",
            message: "This flash drop sells at most \(drop.perCustomer ?? 0) per buyer"
                + (already > 0 ? "; you already have \(already)." : "."),
            field: "lines[\(position)].quantity")
    }

    static func dropSoldOut(_ drop: FlashDrop, field position: Int) -> DomainError {
        let code = drop.left > 0 ? "out_of_stock" : drop.reserved > 0 ? "all_reserved" : "sold_out"
        let message =
            drop.left > 0
            ? "Only \(drop.left) left in this flash drop."
            : drop.reserved > 0
                ? "All of this flash drop is held by buyers paying now; some may come back."
                : "This flash drop is sold out."
        return DomainError(.conflict, code: code, message: message, field: "lines[\(position)].quantity")
    }

    fileprivate static func outOfStock(_ variant: VariantForSale, field position: Int) -> DomainError {
        StockLevel(onHand: variant.onHand, reserved: variant.reserved, soldUnacknowledged: variant.sold)
            .refusal(field: "lines[\(position)].quantity")
    }
}

extension Array {
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
