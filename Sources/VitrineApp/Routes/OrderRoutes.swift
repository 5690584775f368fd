import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization
import VitrineDomain
import VitrineStore

/// Orders: the public endpoint the player's checkout (and a brand's own server) places them with,
/// and the brand's list, export and changes (paid, fulfilled, cancelled, refunded).
struct OrderRoutes {
    let services: AppServices
    var logger = Logger(label: "vitrine.orders")
    /// Changes of one order are taken one at a time (refunds through the provider).
    let changing = OrderChangeQueue()
    /// Brand slugs seen lately: placing an order reads nothing before its batch.
    let slugs = SlugCache()

    /// An order as its buyer sees it right after placing it.
    struct Placed: ResponseEncodable {
        var order: Order
        /// For a card payment: what the player's Payment Element needs to take it.
        var payment: PaymentSession?
    }

    struct ChangeInput: Decodable {
        var carrier: String?
        var trackingNumber: String?
        var trackingUrl: String?
        var reason: String?
        var lines: [RefundLine]?
    }
    struct RefundLine: Decodable {
        var lineId: UUID
        var quantity: Int
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/public/brands/{slug}/orders", use: place)
        router.get("/api/public/brands/{slug}/cart", use: cart)
        router.post("/api/public/brands/{slug}/cart/checkout", use: hold)
        router.post("/api/public/brands/{slug}/cart/lines", use: addLine)
        router.put("/api/public/brands/{slug}/cart/lines/{variantId}", use: setLine)
        router.delete("/api/public/brands/{slug}/cart/lines/{variantId}", use: removeLine)
        let base = "/api/brands/{brandId}/orders"
        router.get(RouterPath(base), use: list)
        router.post(RouterPath(base + "/acknowledge"), use: acknowledge)
        router.get(RouterPath("/api/brands/{brandId}/orders.csv"), use: csv)
        router.get(RouterPath(base + "/{orderId}"), use: get)
        router.post(RouterPath(base + "/{orderId}/pay"), use: change)
        router.post(RouterPath(base + "/{orderId}/fulfil"), use: change)
        router.post(RouterPath(base + "/{orderId}/cancel"), use: change)
        router.post(RouterPath(base + "/{orderId}/refund"), use: change)
    }

    /// Places an order. The key comes in the `Idempotency-Key` header (or the body's
    /// `idempotencyKey`): the same key and body again answer the same order (200, with
    /// `Idempotent-Replayed: true`); the same key with another body is refused.
    @Sendable func place(request: Request, context: AppRequestContext) async throws -> Response {
        let brandID = try await cartScope(context).brandID
        if let contentType = request.headers[.contentType], !contentType.lowercased().contains("json") {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "Send JSON with Content-Type: application/json.")
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        struct Keyed: Decodable { var idempotencyKey: String? }
        let data = Data(buffer: body)
        let raw = try APIJSON.decode(OrderInput.self, from: data)
        let key = try OrderRules.checkIdempotencyKey(
            request.headers[.init("Idempotency-Key")!] ?? (try? APIJSON.decode(Keyed.self, from: data))?.idempotencyKey)
        let input = try OrderRules.check(raw)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let hash = Secrets.hash(data: try encoder.encode(input))
        let placement = try await services.orders.place(
            OrderRequest(
                brandID: brandID, input: input, idempotencyKey: key, requestHash: hash,
                cartToken: request.headers[Self.cartHeader]))
        if case .created = placement, let token = request.headers[Self.cartHeader] {
            // The order is written: a cart that could not be emptied must not turn it into an error.
            try? await services.store.brand(brandID).clearCart(token: token)
        }
        // A card order's payment starts now (or, for a replay, is found again): if the provider
        // does not answer, the order is kept and the same request again picks it up.
        let scope = services.store.brand(brandID)
        let session = try await services.payments.provider(placement.order.payment).start(placement.order, scope: scope)
        // The buyer sees the order's history without the brand's notes (a replay reads it back).
        var order = placement.order
        order.history = order.history.map { OrderEvent(at: $0.at, status: $0.status, note: nil) }
        var response = try context.responseEncoder.encode(
            Placed(order: order, payment: session), from: request, context: context)
        switch placement {
        case .created: response.status = .created
        case .replayed: response.headers[.init("Idempotent-Replayed")!] = "true"
        }
        return response
    }

    // MARK: Cart (Vitrine's checkout): the token made with the cart comes back in `X-Vitrine-Cart`.

    static let cartHeader = HTTPField.Name("X-Vitrine-Cart")!

    struct QuantityInput: Decodable { var quantity: Int }

    /// The brand of `{slug}`, from the cache (placing an order reads nothing before its batch).
    func cartScope(_ context: AppRequestContext) async throws -> BrandScope {
        let slug = try context.parameters.require("slug")
        guard let id = try await slugs.brandID(slug, load: { try await services.store.brandID(slug: slug) }) else {
            throw APIError.notFound
        }
        return services.store.brand(id)
    }

    @Sendable func cart(request: Request, context: AppRequestContext) async throws -> Cart {
        try await cartScope(context).cart(token: request.headers[Self.cartHeader])
    }

    /// Checkout starts: the cart's lines are held for 10 minutes (again, from now, when called again).
    @Sendable func hold(request: Request, context: AppRequestContext) async throws -> CartHold {
        let scope = try await cartScope(context)
        guard let token = request.headers[Self.cartHeader] else { throw APIError.notFound }
        return try await scope.holdCart(token: token)
    }

    @Sendable func addLine(request: Request, context: AppRequestContext) async throws -> Cart {
        let scope = try await cartScope(context)
        let input = try await request.decode(as: CartLineInput.self, context: context)
        let viewer = input.viewerId.flatMap { id in
            id.count <= 64 && id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) ? id : nil
        }
        return try await scope.setCartLine(token: request.headers[Self.cartHeader], input, add: true, viewerID: viewer)
    }

    @Sendable func setLine(request: Request, context: AppRequestContext) async throws -> Cart {
        let scope = try await cartScope(context)
        let input = try await request.decode(as: QuantityInput.self, context: context)
        guard let token = request.headers[Self.cartHeader] else { throw APIError.notFound }
        return try await scope.setCartLine(
            token: token, CartLineInput(variantId: try context.parameters.id("variantId"), quantity: input.quantity),
            add: false)
    }

    @Sendable func removeLine(request: Request, context: AppRequestContext) async throws -> Cart {
        let scope = try await cartScope(context)
        guard let token = request.headers[Self.cartHeader] else { throw APIError.notFound }
        return try await scope.setCartLine(
            token: token, CartLineInput(variantId: try context.parameters.id("variantId"), quantity: 0), add: false)
    }

    struct AcknowledgeInput: Decodable { var orderIds: [UUID] }

    /// The shop counted these orders in its own stock (`stock.push`: the same token that pushes it).
    @Sendable func acknowledge(request: Request, context: AppRequestContext) async throws -> OrderAcknowledgement {
        let scope = try await services.access.brand(context, .pushStock)
        let input = try await request.decode(as: AcknowledgeInput.self, context: context)
        let result = try await scope.acknowledgeOrders(input.orderIds)
        await services.live.stockChanged(brandID: scope.brandID)
        return result
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> OrderPage {
        let scope = try await services.access.brand(context, .viewOrders)
        let query = request.uri.queryParameters
        let page = try CatalogRoutes.int(query["page"], field: "page", default: 1, range: 1...100_000)
        let perPage = try CatalogRoutes.int(query["perPage"], field: "perPage", default: 25, range: 1...100)
        return try await scope.orders(try filter(request), page: page, perPage: perPage)
    }

    func filter(_ request: Request) throws -> OrderFilter {
        let query = request.uri.queryParameters
        var filter = OrderFilter(
            status: try request.enumQuery("status", as: OrderStatus.self),
            origin: try request.enumQuery("origin", as: OrderOrigin.self),
            from: try ShowRoutes.date(query["from"], field: "from"), to: try ShowRoutes.date(query["to"], field: "to"))
        if let show = query["showId"], !show.isEmpty {
            guard let id = UUID(uuidString: String(show)) else {
                throw APIError(.badRequest, code: "invalid_query", message: "showId must be a UUID.", field: "showId")
            }
            filter.showId = id
        }
        if let email = query["email"], !email.isEmpty { filter.email = String(email.prefix(254)) }
        return filter
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> Order {
        try await services.access.brand(context, .viewOrders).order(try context.parameters.id("orderId"))
    }

    /// The orders as a spreadsheet: one row per order, its lines in one cell.
    @Sendable func csv(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .viewOrders)
        var text = CSVWriter.line([
            "number", "created_at", "status", "email", "name", "phone", "address", "address_2", "postal_code", "city",
            "country", "delivery", "payment", "currency", "subtotal", "discount", "delivery_price", "total",
            "refunded", "vat", "show_id", "origin", "marketing_consent", "carrier", "tracking_number", "lines",
        ])
        let dates = ISO8601DateFormatter()
        func amount(_ money: Money) -> String { Money.decimalString(minorUnits: money.minorUnits) }
        try await scope.eachOrder(try filter(request)) { orders in
            for order in orders {
                text += CSVWriter.line([
                    order.number, dates.string(from: order.createdAt), order.status.rawValue, order.email, order.name,
                    order.phone ?? "", order.address?.line1 ?? "", order.address?.line2 ?? "",
                    order.address?.postalCode ?? "", order.address?.city ?? "", order.address?.country ?? "",
                    order.delivery.rawValue, order.payment.rawValue, order.total.currency, amount(order.subtotal),
                    amount(order.discount), amount(order.deliveryPrice), amount(order.total), amount(order.refunded),
                    amount(Money(minorUnits: order.vat.reduce(0) { $0 + $1.vat.minorUnits }, currency: "")),
                    order.showId?.uuidString.lowercased() ?? "", order.origin.rawValue,
                    order.marketingConsent ? "yes" : "no", order.carrier ?? "", order.trackingNumber ?? "",
                    order.lines.map {
                        "\($0.quantity) × \($0.title)\($0.variantTitle.isEmpty ? "" : " (\($0.variantTitle))")"
                            + ($0.sku.map { " [\($0)]" } ?? "")
                    }.joined(separator: "; "),
                ])
            }
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"orders.csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `…/pay`, `…/fulfil`, `…/cancel`, `…/refund`: the last part of the path says which.
    @Sendable func change(request: Request, context: AppRequestContext) async throws -> Order {
        let scope = try await services.access.brand(context, .manageOrders)
        let id = try context.parameters.id("orderId")
        _ = try await scope.order(id)
        let input: ChangeInput =
            if let length = request.headers[.contentLength], length == "0" {
                ChangeInput(carrier: nil, trackingNumber: nil, trackingUrl: nil, reason: nil, lines: nil)
            } else {
                try await request.decode(as: ChangeInput.self, context: context)
            }
        let change: OrderChange
        switch request.uri.path.split(separator: "/").last {
        case "pay":
            change = .markPaid
        case "fulfil":
            guard let carrier = input.carrier, let tracking = input.trackingNumber else {
                throw APIError(
                    .unprocessableContent, code: "missing_field",
                    message: "A fulfilment needs 'carrier' and 'trackingNumber'.",
                    field: input.carrier == nil ? "carrier" : "trackingNumber")
            }
            change = .fulfil(carrier: carrier, trackingNumber: tracking, trackingUrl: input.trackingUrl)
        case "cancel":
            change = .cancel(reason: input.reason)
        default:
            var lines: [UUID: Int] = [:]
            for (index, line) in (input.lines ?? []).enumerated() {
                guard (1...Pricing.maxQuantity).contains(line.quantity), lines[line.lineId] == nil else {
                    throw APIError(
                        .unprocessableContent, code: "invalid_quantity",
                        message: "Each line once, with 1 to \(Pricing.maxQuantity) units.", field: "lines[\(index)]")
                }
                lines[line.lineId] = line.quantity
            }
            change = .refund(lines: lines, reason: input.reason)
        }
        let order = try await changeWithProvider(id, change, scope: scope)
        await services.live.stockChanged(brandID: scope.brandID)
        return order
    }
}

extension OrderRoutes {
    /// A change that moves money goes through the order's payment provider first: the change is
    /// tried without being kept, the provider refunds what it would refund, then the change is
    /// written only if the order is still as the trial saw it (else 409 `order_changed`, after the
    /// trial started again twice). Changes of one order are taken one at a time on this node; the
    /// refund's idempotency key is made of the order, what it had refunded and what this change
    /// refunds, so the same request again refunds once. A cancelled card order that was not paid
    /// has its PaymentIntent cancelled.
    func changeWithProvider(_ id: UUID, _ change: OrderChange, scope: BrandScope) async throws -> Order {
        try await changing.one(id) {
            var attempt = 0
            while true {
                attempt += 1
                let before = try await scope.order(id)
                let provider = services.payments.provider(before.payment)
                let moves: Bool =
                    switch change {
                    case .refund, .cancel: before.payment != .later
                    case .markPaid, .fulfil: false
                    }
                guard moves else { return try await scope.changeOrder(id, change) }
                let planned = try await scope.changeOrder(id, change, dryRun: true)
                let amount = planned.refunded.minorUnits - before.refunded.minorUnits
                if amount > 0 {
                    try await provider.refund(
                        before, amount: amount, key: Self.refundKey(id, before: before, change: change, amount: amount),
                        scope: scope)
                }
                do {
                    let order = try await scope.changeOrder(
                        id, change, expecting: (before.status, before.refunded.minorUnits))
                    if case .cancel = change, before.status == .awaitingPayment {
                        do {
                            try await provider.cancel(before, scope: scope)
                        } catch {
                            // The order is cancelled either way; a payment that still arrives is refunded by the webhook.
                            logger.warning(
                                "Could not cancel the payment of a cancelled order",
                                metadata: ["order": "\(before.number)"])
                        }
                    }
                    return order
                } catch let error as DomainError where error.code == "order_changed" {
                    if amount == 0 && attempt < 3 { continue }  // nothing was refunded: look again
                    guard amount > 0 else { throw error }
                    // The money went back (another node changed the order meanwhile): the change is
                    // written if it still holds, so that what Stripe refunded is recorded.
                    do {
                        return try await scope.changeOrder(id, change)
                    } catch {
                        logger.error(
                            "Stripe refunded an order change that could not be written",
                            metadata: ["order": "\(before.number)", "amount": "\(amount)"])
                        throw DomainError(
                            .conflict, code: "order_changed",
                            message:
                                "Stripe refunded \(Money.decimalString(minorUnits: amount)) \(before.total.currency), but the order changed meanwhile and this change no longer applies; check the order and Stripe's dashboard."
                        )
                    }
                }
            }
        }
    }

    /// The refund's idempotency key: the order, what it had refunded before, and what this change
    /// refunds (the lines and units, or the cancellation).
    static func refundKey(_ id: UUID, before: Order, change: OrderChange, amount: Int) -> String {
        let what: String =
            switch change {
            case .refund(let lines, _):
                lines.sorted { $0.key.uuidString < $1.key.uuidString }.map {
                    "\($0.key.uuidString.prefix(8))x\($0.value)"
                }
                .joined(separator: ".")
            default: "cancel"
            }
        return "vitrine-refund-\(id.uuidString.lowercased())-\(before.refunded.minorUnits)-\(amount)-\(what)"
    }
}

/// Changes of one order, one at a time on this node (two clicks on "refund" refund once).
actor OrderChangeQueue {
    private var busy: Set<UUID> = []
    private var waiting: [UUID: [CheckedContinuation<Void, Never>]] = [:]

    func one<T: Sendable>(_ id: UUID, _ body: @Sendable () async throws -> T) async throws -> T {
        while busy.contains(id) {
            await withCheckedContinuation { waiting[id, default: []].append($0) }
        }
        busy.insert(id)
        defer {
            busy.remove(id)
            for continuation in waiting.removeValue(forKey: id) ?? [] { continuation.resume() }
        }
        return try await body()
    }
}

extension Order: ResponseEncodable {}
extension Cart: ResponseEncodable {}
extension CartHold: ResponseEncodable {}
extension OrderAcknowledgement: ResponseEncodable {}
extension OrderPage: ResponseEncodable {}

/// Brand ids by slug, kept 30 s (a slug can change in the brand's settings).
final class SlugCache: Sendable {
    let entries = Mutex<[String: (id: UUID?, at: ContinuousClock.Instant)]>([:])

    func brandID(_ slug: String, load: () async throws -> UUID?) async throws -> UUID? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[slug] }), now - entry.at < .seconds(30) { return entry.id }
        guard slug.count <= 100 else { return nil }
        let id = try await load()
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[slug] = (id, now)
        }
        return id
    }
}
