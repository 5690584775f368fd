import Foundation
import HTTPTypes
import Hummingbird
import Logging
import VitrineDomain
import VitrineStore

/// Card payments: the brand's Stripe keys (kept sealed, shown masked), and the webhook endpoint
/// Stripe confirms payments at, one per brand, each checked with the brand's signing secret.
struct PaymentRoutes {
    let services: AppServices
    let logger: Logger

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/payments/stripe", use: settings)
        router.put("/api/brands/{brandId}/payments/stripe", use: setKeys)
        router.delete("/api/brands/{brandId}/payments/stripe", use: removeKeys)
        router.post("/api/public/payments/stripe/{brandId}/webhook", use: webhook)
    }

    func webhookURL(_ brandID: UUID) -> String {
        "\(services.config.publicURL)/api/public/payments/stripe/\(brandID.uuidString.lowercased())/webhook"
    }

    @Sendable func settings(request: Request, context: AppRequestContext) async throws -> StripeSettingsView {
        let scope = try await services.access.brand(context, .editBrandSettings)
        let settings = try await scope.stripeSettings(box: services.payments.stripe.box)
        return StripeSettingsView(
            keys: settings?.keys, webhookUrl: webhookURL(scope.brandID), updatedAt: settings?.updatedAt)
    }

    /// Keeps the brand's keys, after Stripe has accepted the secret key (a typo shows now, not at
    /// the first buyer's checkout).
    @Sendable func setKeys(request: Request, context: AppRequestContext) async throws -> StripeSettingsView {
        let scope = try await services.access.brand(context, .editBrandSettings)
        let keys = try PaymentRules.check(try await request.decode(as: StripeKeysInput.self, context: context))
        do {
            _ = try await services.payments.stripe.client.paymentIntent(
                "pi_vitrine_key_check", secretKey: keys.secretKey)
        } catch let failure as StripeClient.Failure where failure.status == 401 {
            throw APIError(
                .unprocessableContent, code: "invalid_key",
                message: "Stripe refused this secret key: \(failure.message)",
                field: "secretKey")
        } catch let failure as StripeClient.Failure where failure.status == nil {
            throw APIError(.badGateway, code: "payment_provider_error", message: failure.description)
        } catch is StripeClient.Failure {
            // Any other answer (404: no such PaymentIntent) means the key itself was accepted.
        }
        try await scope.setStripeKeys(keys, box: services.payments.stripe.box)
        logger.info("Stripe keys set", metadata: ["brand": "\(scope.brandID)", "mode": "\(keys.mode)"])
        return try await settings(request: request, context: context)
    }

    @Sendable func removeKeys(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await services.access.brand(context, .editBrandSettings)
        try await scope.removeStripeKeys()
        return Response(status: .noContent)
    }

    /// A Stripe event. Refused (400) unless signed with the brand's secret within five minutes;
    /// events Vitrine does not act on are acknowledged and left alone.
    @Sendable func webhook(request: Request, context: AppRequestContext) async throws -> Response {
        guard let brandID = UUID(uuidString: try context.parameters.require("brandId")) else {
            throw APIError.notFound
        }
        let scope = services.store.brand(brandID)
        guard let keys = try await scope.stripeKeys(box: services.payments.stripe.box) else { throw APIError.notFound }
        let payload = Data(buffer: try await request.body.collect(upTo: 512 * 1024))
        guard
            StripeSignature.verify(
                payload: payload, header: request.headers[.init("Stripe-Signature")!], secret: keys.webhookSecret,
                now: services.clock())
        else {
            logger.warning("Stripe webhook with a bad signature refused", metadata: ["brand": "\(brandID)"])
            throw APIError(
                .badRequest, code: "invalid_signature",
                message: "The Stripe-Signature header does not match this endpoint's signing secret.")
        }
        let event: StripeEvent
        do {
            event = try JSONDecoder().decode(StripeEvent.self, from: payload)
        } catch {
            throw APIError(.badRequest, code: "invalid_event", message: "This is not a Stripe event.")
        }
        switch (event.type, event.data?.object) {
        case ("payment_intent.succeeded", .some(let intent)):
            try await succeeded(intent, scope: scope, event: event.id)
        case ("payment_intent.payment_failed", .some(let intent)):
            if let order = try await order(of: intent, scope: scope) {
                let reason = intent.last_payment_error?.message.map { String($0.prefix(200)) }
                try await scope.notePaymentFailure(
                    orderID: order.id, note: "Card payment failed" + (reason.map { ": \($0)" } ?? "."))
            }
        default:
            break
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: "{\"received\":true}")))
    }

    /// The order a PaymentIntent pays: by its id, or by the order id Vitrine put in its metadata.
    func order(of intent: StripeEvent.Object, scope: BrandScope) async throws -> Order? {
        guard let reference = intent.id else { return nil }
        if let order = try await scope.order(paymentReference: reference) { return order }
        guard let id = intent.metadata?["vitrine_order_id"].flatMap(UUID.init(uuidString:)),
            let order = try? await scope.order(id), order.payment == .stripe, order.paymentReference == nil
        else { return nil }
        try await scope.setPaymentReference(orderID: order.id, reference: reference)
        var found = order
        found.paymentReference = reference
        return found
    }

    /// The money arrived: the order is paid and its stock sold; or, when it cannot be (cancelled
    /// meanwhile, or its hold expired and nothing is left), the money goes back at once and the
    /// buyer is told.
    func succeeded(_ intent: StripeEvent.Object, scope: BrandScope, event: String) async throws {
        guard let order = try await order(of: intent, scope: scope) else {
            logger.notice("Stripe payment for no order of this brand", metadata: ["brand": "\(scope.brandID)"])
            return
        }
        let received = intent.amount_received ?? intent.amount ?? 0
        let currency = intent.currency?.uppercased() ?? "?"
        guard received == order.total.minorUnits, currency == order.total.currency else {
            // Not what the order costs (a PaymentIntent changed in Stripe's dashboard): the money goes back.
            try await services.payments.stripe.refund(
                order, amount: received, key: "vitrine-mismatch-refund-\(intent.id ?? "")", scope: scope)
            try await scope.notePaymentFailure(
                orderID: order.id,
                note:
                    "Stripe reported \(received) \(currency) for a total of \(order.total.minorUnits) \(order.total.currency): refunded, not marked paid."
            )
            // The PaymentIntent cannot be paid again: the order is cancelled and its hold given back.
            _ = try? await scope.changeOrder(order.id, .cancel(reason: "The card payment did not match the order."))
            logger.warning(
                "A card payment did not match its order: refunded",
                metadata: ["brand": "\(scope.brandID)", "order": "\(order.number)"])
            return
        }
        switch try await scope.confirmPayment(orderID: order.id, note: "Card payment confirmed by Stripe (\(event)).") {
        case .paid, .unchanged:
            break
        case .refundNeeded(let order, let reason):
            let amount = order.total.minorUnits - order.refunded.minorUnits
            try await services.payments.stripe.refund(
                order, amount: amount, key: "vitrine-auto-refund-\(order.id.uuidString.lowercased())", scope: scope)
            _ = try await scope.refundedAutomatically(
                orderID: order.id, note: "Paid but not kept (\(reason)): refunded in full by Stripe.")
            logger.notice(
                "A card payment arrived for an order that could not keep it: refunded",
                metadata: ["brand": "\(scope.brandID)", "order": "\(order.number)"])
        }
        await services.live.stockChanged(brandID: scope.brandID)
    }
}

/// The parts of a Stripe event Vitrine reads.
struct StripeEvent: Decodable {
    var id: String
    var type: String
    /// Decoded leniently: events Vitrine does not act on may carry any object.
    var data: Data?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        data = try? container.decode(Data.self, forKey: .data)
    }

    enum Keys: String, CodingKey { case id, type, data }

    struct Data: Decodable {
        var object: Object?
    }

    struct Object: Decodable {
        var id: String?
        var amount: Int?
        var amount_received: Int?
        var currency: String?
        var status: String?
        var metadata: [String: String]?
        var last_payment_error: PaymentError?
    }

    struct PaymentError: Decodable {
        var message: String?
    }
}
extension StripeSettingsView: ResponseEncodable {}
