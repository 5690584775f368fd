import AsyncHTTPClient
import Foundation
import Logging
import VitrineDomain
import VitrineStore

/// What the player needs to take a new order's payment: for Stripe, the publishable key and the
/// PaymentIntent's client secret, for its Payment Element.
struct PaymentSession: Codable, Sendable, Equatable {
    var provider: String
    var publishableKey: String
    var clientSecret: String
}

/// A way to pay that the checkout offers. Built in: "pay later / in store" and Stripe.
protocol PaymentProvider: Sendable {
    var method: PaymentMethod { get }
    /// Starts (or, for a retried request, finds again) the payment of an order waiting for it:
    /// what the player needs to take it, or nil when there is nothing to take now.
    func start(_ order: Order, scope: BrandScope) async throws -> PaymentSession?
    /// Gives `amount` (minor units) of an order's payment back to the buyer. The same `key`
    /// again refunds nothing more.
    func refund(_ order: Order, amount: Int, key: String, scope: BrandScope) async throws
    /// The order is cancelled before it was paid: the provider stops waiting for the money.
    func cancel(_ order: Order, scope: BrandScope) async throws
}

/// Pay later or in store: the money is handled outside Vitrine, by the brand.
struct PayLater: PaymentProvider {
    var method: PaymentMethod { .later }
    func start(_ order: Order, scope: BrandScope) async throws -> PaymentSession? { nil }
    func refund(_ order: Order, amount: Int, key: String, scope: BrandScope) async throws {}
    func cancel(_ order: Order, scope: BrandScope) async throws {}
}

/// Cards through the brand's own Stripe account: a PaymentIntent per order (Stripe's idempotency
/// key is the order's id, so a retried checkout finds the same one), the card typed into Stripe's
/// Payment Element (card data never reaches Vitrine; 3-D Secure is Stripe.js's), the payment
/// confirmed by Stripe's signed webhook, refunds through Stripe.
struct StripeProvider: PaymentProvider {
    let client: StripeClient
    let box: SecretBox
    var method: PaymentMethod { .stripe }

    func keys(_ scope: BrandScope) async throws -> StripeKeys {
        guard let keys = try await scope.stripeKeys(box: box) else {
            throw APIError(
                .unprocessableContent, code: "payment_unavailable",
                message: "This brand takes no card payments here; choose 'later' (pay later or in store).",
                field: "payment")
        }
        return keys
    }

    func start(_ order: Order, scope: BrandScope) async throws -> PaymentSession? {
        guard order.status == .awaitingPayment else { return nil }
        let keys = try await keys(scope)
        let intent: StripeClient.PaymentIntent
        do {
            if let reference = order.paymentReference {
                intent = try await client.paymentIntent(reference, secretKey: keys.secretKey)
            } else {
                intent = try await client.createPaymentIntent(
                    secretKey: keys.secretKey, amount: order.total.minorUnits, currency: order.total.currency,
                    description: "Order \(order.number)",
                    metadata: [
                        "vitrine_order_id": order.id.uuidString.lowercased(),
                        "vitrine_order_number": order.number,
                        "vitrine_brand_id": scope.brandID.uuidString.lowercased(),
                    ], idempotencyKey: "vitrine-order-\(order.id.uuidString.lowercased())")
                try await scope.setPaymentReference(orderID: order.id, reference: intent.id)
            }
        } catch let failure as StripeClient.Failure {
            throw Self.apiError(failure, order: order)
        }
        guard let secret = intent.client_secret, intent.status != "canceled", intent.status != "succeeded" else {
            return nil
        }
        return PaymentSession(provider: "stripe", publishableKey: keys.publishableKey, clientSecret: secret)
    }

    func refund(_ order: Order, amount: Int, key: String, scope: BrandScope) async throws {
        guard amount > 0, let reference = order.paymentReference else { return }
        let keys = try await keys(scope)
        do {
            _ = try await client.refund(
                paymentIntent: reference, amount: amount, secretKey: keys.secretKey,
                metadata: ["vitrine_order_id": order.id.uuidString.lowercased()], idempotencyKey: key)
        } catch let failure as StripeClient.Failure {
            throw Self.apiError(failure, order: order)
        }
    }

    func cancel(_ order: Order, scope: BrandScope) async throws {
        guard let reference = order.paymentReference else { return }
        let keys = try await keys(scope)
        do {
            _ = try await client.cancelPaymentIntent(
                reference, secretKey: keys.secretKey,
                idempotencyKey: "vitrine-cancel-\(order.id.uuidString.lowercased())")
        } catch let failure as StripeClient.Failure {
            throw Self.apiError(failure, order: order)
        }
    }

    static func apiError(_ failure: StripeClient.Failure, order: Order) -> APIError {
        APIError(
            .badGateway, code: "payment_provider_error",
            message: "Stripe did not take the request for order \(order.number): \(failure.message)")
    }
}

/// The payment providers of this server.
struct Payments: Sendable {
    let stripe: StripeProvider
    /// Stripe.js, which the player loads for the Payment Element.
    let stripeJS: String

    init(config: AppConfig, box: SecretBox) {
        stripe = StripeProvider(client: StripeClient(baseURL: config.stripeAPI, http: .shared), box: box)
        stripeJS = config.stripeJS
    }

    func provider(_ method: PaymentMethod) -> any PaymentProvider {
        switch method {
        case .later: PayLater()
        case .stripe: stripe
        }
    }
}
