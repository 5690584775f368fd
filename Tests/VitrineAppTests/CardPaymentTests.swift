import Foundation
import Testing
import VitrineDomain
import VitrineStore

@testable import VitrineApp

/// Card orders on SQLite and PostgreSQL: their units are held, not sold, until the provider
/// confirms the payment; a payment after the hold expired takes what is left or must be refunded;
/// never more held or sold than there is.
@Suite struct CardPaymentTests {
    let stock = StockStoreTests()
    static let keys = StripeKeys(
        publishableKey: "pk_test_abcdefgh1234", secretKey: "sk_test_abcdefgh5678", webhookSecret: "whsec_abcdefgh9012")

    static func card(_ brand: UUID, _ variant: UUID, quantity: Int = 1, email: String = "lea@example.com")
        -> OrderRequest
    {
        var input = OrderStoreTests.input(variant, quantity: quantity, email: email)
        input.payment = .stripe
        return OrderStoreTests.request(brand, input)
    }

    static func code(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as DomainError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: OrderStoreTests.cases)
    func cardOrdersHoldTheirUnitsUntilPaidAndALatePaymentTakesWhatIsLeft(
        database: TestDatabase, commit: OrderCommit
    ) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: 3 units; the brand takes cards
            let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 3)
            let desk = OrderDesk(store: env.store, commit: commit)
            #expect(await Self.code { _ = try await desk.place(Self.card(brand.id, id)) } == "payment_unavailable")
            try await scope.setStripeKeys(Self.keys, box: .random())
            // MUT: two card orders, one of two units
            let first = try await desk.place(Self.card(brand.id, id, quantity: 2)).order
            let second = try await desk.place(Self.card(brand.id, id, email: "paul@example.com")).order
            // validate: held, not sold; nobody else gets them; no e-mail before the payment
            #expect(first.status == .awaitingPayment && first.payment == .stripe)
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 3, reserved: 3, soldUnacknowledged: 0))
            #expect(
                await Self.code {
                    _ = try await desk.place(OrderStoreTests.request(brand.id, OrderStoreTests.input(id)))
                }
                    == "all_reserved")
            #expect(
                try await env.store.jobs(brandID: brand.id, status: .pending).filter { $0.kind == "order.email" }
                    .isEmpty)
            // the first is paid: its units are sold, once
            guard case .paid(let paid) = try await scope.confirmPayment(orderID: first.id, note: "paid") else {
                Issue.record("not paid")
                return
            }
            #expect(paid.status == .paid)
            guard case .unchanged = try await scope.confirmPayment(orderID: first.id, note: "again") else {
                Issue.record("a second confirmation changed the order")
                return
            }
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 3, reserved: 1, soldUnacknowledged: 2))
            #expect(
                try await env.store.jobs(brandID: brand.id, status: .pending).filter { $0.kind == "order.email" }.count
                    == 1)
            // the second's hold expires; a pay-later buyer takes the unit; its payment arrives late
            #expect(try await scope.releaseExpired(now: Date().addingTimeInterval(env.store.holdSeconds + 1)) == 1)
            _ = try await desk.place(
                OrderStoreTests.request(brand.id, OrderStoreTests.input(id, email: "zoe@example.com")))
            guard case .refundNeeded(let late, _) = try await scope.confirmPayment(orderID: second.id, note: "late")
            else {
                Issue.record("a late payment was kept with nothing left")
                return
            }
            // cancelled in the same transaction: a retried confirmation can no longer make it paid
            #expect(late.status == .cancelled)
            guard case .refundNeeded = try await scope.confirmPayment(orderID: second.id, note: "again") else {
                Issue.record("a retried late payment was kept")
                return
            }
            let refunded = try await scope.refundedAutomatically(orderID: second.id, note: "refunded")
            #expect(refunded.status == .cancelled && refunded.refunded == refunded.total)
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 3, reserved: 0, soldUnacknowledged: 3))
            // the buyers are told: the first's and Zoé's confirmations, the second's refund
            let mails = try await env.store.jobs(brandID: brand.id, status: .pending).filter {
                $0.kind == "order.email"
            }
            #expect(mails.count == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func parallelCardOrdersNeverHoldMoreThanThereIs(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: 13 units, 40 card buyers at once, some through a cart that holds one unit
            let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            try await scope.setStripeKeys(Self.keys, box: .random())
            let id = try await stock.variant(env, brand: brand, onHand: 13)
            let desk = OrderDesk(store: env.store)
            var carts: [String] = []
            for _ in 0..<5 {
                let token = try #require(
                    try await scope.setCartLine(token: nil, CartLineInput(variantId: id, quantity: 1), add: true).token)
                _ = try await scope.holdCart(token: token)
                carts.append(token)
            }
            // MUT
            let tokens = carts
            let outcomes = await withTaskGroup(of: String.self) { group in
                for buyer in 0..<40 {
                    group.addTask {
                        var request = Self.card(brand.id, id, email: "buyer\(buyer)@example.com")
                        if buyer < tokens.count { request.cartToken = tokens[buyer] }
                        return await Self.code { _ = try await desk.place(request) } ?? "ok"
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            // validate: 13 orders hold the 13 units; the 5 carts' holds became their orders'
            #expect(outcomes.filter { $0 == "ok" }.count == 13, "\(outcomes)")
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 13, reserved: 13, soldUnacknowledged: 0)
            )
            #expect(try await scope.releaseExpired(now: Date().addingTimeInterval(env.store.holdSeconds + 1)) >= 13)
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 13, reserved: 0, soldUnacknowledged: 0))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCardOrderHoldsItsLinesNotItsCartsHold(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: 5 units; the cart's checkout holds 3, then the buyer orders 1 by card
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            try await scope.setStripeKeys(Self.keys, box: .random())
            let id = try await stock.variant(env, brand: brand, onHand: 5)
            let token = try #require(
                try await scope.setCartLine(token: nil, CartLineInput(variantId: id, quantity: 3), add: true).token)
            _ = try await scope.holdCart(token: token)
            var request = Self.card(brand.id, id)
            request.cartToken = token
            // MUT
            let order = try await OrderDesk(store: env.store).place(request).order
            // validate: the order holds its one unit, the surplus is back
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 5, reserved: 1, soldUnacknowledged: 0))
            // the same cart checks out again: the order's hold is not the cart's to give back
            _ = try await scope.setCartLine(token: token, CartLineInput(variantId: id, quantity: 2), add: false)
            _ = try await scope.holdCart(token: token)
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 5, reserved: 3, soldUnacknowledged: 0))
            // paid: its one unit sold, the cart's two still held
            guard case .paid = try await scope.confirmPayment(orderID: order.id, note: "paid") else {
                Issue.record("not paid")
                return
            }
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 5, reserved: 2, soldUnacknowledged: 1))
            // a change written after a refund was asked for must find the order as it was
            #expect(
                await Self.code {
                    _ = try await scope.changeOrder(order.id, .cancel(reason: nil), expecting: (.awaitingPayment, 0))
                } == "order_changed")
        }
    }

    @Test(arguments: TestDatabase.available)
    func cancellingACardOrderBeforeItIsPaidGivesItsHoldBack(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            try await scope.setStripeKeys(Self.keys, box: .random())
            let id = try await stock.variant(env, brand: brand, onHand: 2)
            let order = try await OrderDesk(store: env.store).place(Self.card(brand.id, id, quantity: 2)).order
            // MUT
            #expect(await Self.code { _ = try await scope.changeOrder(order.id, .markPaid) } == "awaiting_card_payment")
            let cancelled = try await scope.changeOrder(order.id, .cancel(reason: nil))
            // validate: the hold is back, nothing was sold; a payment that still arrives must be refunded
            #expect(cancelled.status == .cancelled && cancelled.refunded.minorUnits == 0)
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 2, reserved: 0, soldUnacknowledged: 0))
            guard case .refundNeeded = try await scope.confirmPayment(orderID: order.id, note: "late") else {
                Issue.record("a cancelled order took a payment")
                return
            }
        }
    }

    @Test func stripeSignaturesAreCheckedLikeStripesLibraries() {
        let body = Data(#"{"id":"evt_1","type":"payment_intent.succeeded"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let secret = "whsec_test_secret"
        let good = StripeSignature.sign(payload: body, secret: secret, timestamp: 1_800_000_000)
        #expect(StripeSignature.verify(payload: body, header: good, secret: secret, now: now))
        // another secret, another body, too old or too new, no header, no v1
        #expect(!StripeSignature.verify(payload: body, header: good, secret: "whsec_other", now: now))
        #expect(!StripeSignature.verify(payload: Data("{}".utf8), header: good, secret: secret, now: now))
        #expect(!StripeSignature.verify(payload: body, header: good, secret: secret, now: now.addingTimeInterval(301)))
        #expect(!StripeSignature.verify(payload: body, header: good, secret: secret, now: now.addingTimeInterval(-301)))
        #expect(!StripeSignature.verify(payload: body, header: nil, secret: secret, now: now))
        #expect(!StripeSignature.verify(payload: body, header: "t=1800000000", secret: secret, now: now))
        // a rolled secret: one of several v1 signatures matches
        let rolled =
            StripeSignature.sign(payload: body, secret: "whsec_old", timestamp: 1_800_000_000) + ","
            + good.split(separator: ",")[1]
        #expect(StripeSignature.verify(payload: body, header: rolled, secret: secret, now: now))
    }

    @Test func keysAreCheckedAndShownMasked() throws {
        let input = StripeKeysInput(
            publishableKey: " pk_live_abcdefgh1234 ", secretKey: "rk_live_abcdefgh5678", webhookSecret: "whsec_abcd9012"
        )
        let keys = try PaymentRules.check(input)
        #expect(keys.publishableKey == "pk_live_abcdefgh1234" && keys.mode == "live")
        var mixed = input
        mixed.secretKey = "sk_test_abcdefgh5678"
        #expect(throws: DomainError.self) { try PaymentRules.check(mixed) }
        var wrong = input
        wrong.webhookSecret = "sk_live_abcdefgh5678"
        #expect(throws: DomainError.self) { try PaymentRules.check(wrong) }
        let view = StripeSettingsView(keys: keys, webhookUrl: "https://v.example/hook", updatedAt: nil)
        #expect(view.secretKeyHint == "rk_live_…5678" && view.webhookSecretHint == "whsec_…9012")
        #expect(
            StripeClient.formEncode([("metadata[order]", "a b&c"), ("amount", "100")])
                == "metadata%5Border%5D=a%20b%26c&amount=100")
    }

    @Test func sealedSecretsOpenOnlyWithTheirKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-box-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/secrets.key"
        let box = try SecretBox.load(base64: nil, file: file)
        let sealed = try box.seal("sk_live_secret")
        #expect(!sealed.contains("sk_live_secret"))
        // the same file gives the same key; another key opens nothing
        #expect(try SecretBox.load(base64: nil, file: file).open(sealed) == "sk_live_secret")
        #expect(throws: SecretBoxError.self) { try SecretBox.random().open(sealed) }
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: SecretBoxError.self) { try SecretBox.load(base64: "c2hvcnQ=", file: file) }
    }
}
