import Foundation
import Testing
import VitrineDomain
import VitrineStore

/// Orders on SQLite and PostgreSQL, through the order desk the public endpoint uses: never more
/// sold than there is, one order per idempotency key, and stock back on cancel and refund.
@Suite struct OrderStoreTests {
    let stock = StockStoreTests()

    static func input(_ variant: UUID, quantity: Int = 1, email: String = "lea@example.com") -> OrderInput {
        OrderInput(
            email: email, name: "Léa Martin", phone: "+33 6 12 34 56 78",
            address: PostalAddress(line1: "12 rue des Lilas", postalCode: "75011", city: "Paris", country: "FR"),
            lines: [OrderLineInput(variantId: variant, quantity: quantity)])
    }

    static func request(_ brand: UUID, _ input: OrderInput, key: String = UUID().uuidString) -> OrderRequest {
        OrderRequest(
            brandID: brand, input: try! OrderRules.check(input), idempotencyKey: key,
            requestHash: "\(input.hashValue)")
    }

    /// The K parallel buyers of the issue, for both ways of committing.
    static let cases: [(TestDatabase, OrderCommit)] = TestDatabase.available.flatMap { database in
        OrderCommit.allCases.map { (database, $0) }
    }

    @Test(arguments: cases)
    func parallelOrdersSellExactlyTheStock(database: TestDatabase, commit: OrderCommit) async throws {
        // setup: 13 units, 40 buyers at once
        try await stock.withEnvironment(database) { env in
            let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
            let id = try await stock.variant(env, brand: brand, onHand: 13)
            let desk = OrderDesk(store: env.store, commit: commit)
            // MUT
            let outcomes = await withTaskGroup(of: String.self) { group in
                for buyer in 0..<40 {
                    group.addTask {
                        do {
                            let placed = try await desk.place(
                                Self.request(brand.id, Self.input(id, email: "buyer\(buyer)@example.com")))
                            return placed.order.number
                        } catch let error as DomainError {
                            return error.code
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            // validate: 13 orders with 13 distinct numbers, 27 told it is sold out; the stock adds up
            let numbers = outcomes.filter { $0.hasPrefix("ML-") }
            #expect(numbers.count == 13, "\(outcomes)")
            #expect(Set(numbers).count == 13)
            #expect(outcomes.filter { $0 == "sold_out" }.count == 27, "\(outcomes)")
            let level = try await env.store.brand(brand.id).stockLevel(variantID: id)
            #expect(level == StockLevel(onHand: 13, reserved: 0, soldUnacknowledged: 13))
            let page = try await env.store.brand(brand.id).orders(OrderFilter(), page: 1, perPage: 100)
            #expect(page.total == 13)
            #expect(page.items.allSatisfy { $0.status == .awaitingPayment && $0.total.minorUnits == 8900 })
            // each order's confirmation e-mail is queued with it
            let jobs = try await env.store.jobs(brandID: brand.id, status: .pending, limit: 1000)
            #expect(jobs.filter { $0.kind == "order.email" }.count == 13)
        }
    }

    @Test(arguments: TestDatabase.available)
    func oneIdempotencyKeyMakesOneOrder(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let id = try await stock.variant(env, brand: brand, onHand: 10)
            let desk = OrderDesk(store: env.store)
            let request = Self.request(brand.id, Self.input(id, quantity: 2), key: "checkout-42")
            // MUT: a double click (two at once), then a retry
            async let first = desk.place(request)
            async let second = desk.place(request)
            let (a, b) = try await (first, second)
            let retry = try await desk.place(request)
            // validate: one order, answered three times; two units sold, not six
            #expect(a.order.id == b.order.id && b.order.id == retry.order.id)
            let created = [a, b, retry].filter { if case .created = $0 { true } else { false } }
            #expect(created.count == 1)
            #expect(try await env.store.brand(brand.id).stockLevel(variantID: id).soldUnacknowledged == 2)
            // the same key with another body is refused, and changes nothing
            var other = request
            other.input.lines[0].quantity = 3
            other.requestHash = "another"
            await #expect(throws: DomainError.self) { try await desk.place(other) }
            do {
                _ = try await desk.place(other)
            } catch let error as DomainError {
                #expect(error.code == "idempotency_key_reused")
            }
            #expect(try await env.store.brand(brand.id).stockLevel(variantID: id).soldUnacknowledged == 2)
            #expect(try await env.store.brand(brand.id).orders(OrderFilter(), page: 1, perPage: 10).total == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aVariantOfAnotherBrandIsNotSold(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: brand B's variant, ordered through brand A
            let a = try await env.brand("Maison A", owner: "a@example.com")
            let b = try await env.brand("Maison B", owner: "b@example.com")
            let theirs = try await stock.variant(env, brand: b, onHand: 5)
            let desk = OrderDesk(store: env.store)
            // MUT
            do {
                _ = try await desk.place(Self.request(a.id, Self.input(theirs)))
                Issue.record("an order of another brand's variant was accepted")
            } catch let error as DomainError {
                #expect(error.kind == .notFound)
                #expect(error.field == "lines[0].variantId")
            }
            // validate: nothing written anywhere
            #expect(try await env.store.brand(b.id).stockLevel(variantID: theirs).soldUnacknowledged == 0)
            #expect(try await env.store.brand(a.id).orders(OrderFilter(), page: 1, perPage: 10).total == 0)
            #expect(try await env.store.jobs(brandID: a.id, status: nil).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func cancelAndRefundGiveStockBackAndKeepTheHistory(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: two orders of 3 units on a stock of 6 (sold out)
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 6)
            _ = try await scope.createWebhook(
                WebhookEndpointInput(url: "https://shop.example.com/hooks", events: [.orderCreated, .orderCancelled]))
            let desk = OrderDesk(store: env.store)
            let first = try await desk.place(Self.request(brand.id, Self.input(id, quantity: 3))).order
            let second = try await desk.place(Self.request(brand.id, Self.input(id, quantity: 3))).order
            #expect(try await scope.stockLevel(variantID: id).available == 0)
            // MUT: the first is cancelled; the second is paid, then 2 of its 3 units refunded
            let cancelled = try await scope.changeOrder(first.id, .cancel(reason: "Changed her mind"))
            _ = try await scope.changeOrder(second.id, .markPaid)
            let refunded = try await scope.changeOrder(
                second.id, .refund(lines: [second.lines[0].id: 2], reason: nil))
            // validate: 5 units back; the history says what happened
            #expect(try await scope.stockLevel(variantID: id).available == 5)
            #expect(cancelled.status == .cancelled)
            #expect(refunded.status == .paid)
            #expect(refunded.refunded.minorUnits == 2 * 8900)
            #expect(refunded.lines[0].refundedQuantity == 2)
            let reread = try await scope.order(second.id)
            #expect(reread.history.map(\.status) == [.awaitingPayment, .paid, .paid])
            // refunding the last unit refunds the order
            let all = try await scope.changeOrder(second.id, .refund(lines: [second.lines[0].id: 1], reason: nil))
            #expect(all.status == .refunded && all.refunded == all.total)
            // a cancelled order cannot be paid, and more units than bought cannot be refunded
            await #expect(throws: DomainError.self) { try await scope.changeOrder(first.id, .markPaid) }
            await #expect(throws: DomainError.self) {
                try await scope.changeOrder(second.id, .refund(lines: [second.lines[0].id: 1], reason: nil))
            }
            #expect(try await scope.stockLevel(variantID: id).available == 6)
            // the webhook endpoint got order.created twice and order.cancelled once (it did not subscribe to paid)
            let endpoint = try await scope.webhooks()[0]
            let events = try await scope.webhookDeliveries(endpoint.id, status: nil).map(\.event.rawValue).sorted()
            #expect(events == ["order.cancelled", "order.created", "order.created"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBuyersErasureKeepsTheOrderForTheAccountsWithoutThePerson(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: Léa bought twice
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let id = try await stock.variant(env, brand: brand, onHand: 5)
            let desk = OrderDesk(store: env.store)
            let (endpoint, _) = try await env.store.brand(brand.id).createWebhook(
                WebhookEndpointInput(url: "https://shop.example.com/hooks", events: [.orderCreated]))
            var input = Self.input(id, quantity: 2)
            input.viewerId = "viewer-lea-1234"
            let order = try await desk.place(Self.request(brand.id, input)).order
            _ = try await desk.place(Self.request(brand.id, Self.input(id)))
            // in the player, under her viewer id: a chat message and a cart
            let scope = env.store.brand(brand.id)
            let show = try await scope.createShow(ShowInput(title: "Le live"))
            try await scope.saveChat([
                ChatRecord(
                    showID: show.id,
                    message: ChatMessage(
                        id: UUID(), name: "Léa", text: "Elle existe en 30 ml ?", staff: false, at: 12, sentAt: Date()),
                    viewerID: "viewer-lea-1234", ip: "203.0.113.7")
            ])
            let cart = try await scope.setCartLine(
                token: nil, CartLineInput(variantId: id, quantity: 1), add: true, viewerID: "viewer-lea-1234")
            let sent = try await env.store.brand(brand.id).webhookDeliveries(endpoint.id, status: nil)
            #expect(sent.filter { $0.body.contains("lea@example.com") }.count == 2)
            // the shop received the first; the second still waits to be sent
            try await env.store.recordWebhookAttempt(
                try #require(sent.first { $0.body.contains(order.id.uuidString) }).id, responseStatus: 200, error: nil,
                delivered: true, final: false)
            // MUT: her export, then her erasure
            let export = try await env.store.personalData(email: "lea@example.com")
            #expect(try await env.store.createPrivacyRequest(email: "lea@example.com", kind: .delete) != nil)
            _ = try await env.store.erasePersonalData(email: "lea@example.com")
            // validate: the export held both orders with her address; afterwards the orders are
            // there with their amounts and lines, but without her
            #expect(export.orders.map(\.number).contains(order.number))
            #expect(export.orders.count == 2 && export.orders[0].address?.contains("rue des Lilas") == true)
            #expect(export.chat.map(\.text) == ["Elle existe en 30 ml ?"] && export.carts.first?.lines.count == 1)
            let kept = try await env.store.brand(brand.id).order(order.id)
            #expect(kept.email == "erased@invalid" && kept.name.isEmpty && kept.address == nil && kept.phone == nil)
            #expect(kept.total == order.total && kept.lines.count == 1)
            #expect(try await env.store.personalData(email: "lea@example.com").orders.isEmpty)
            // her chat message is gone from the show, her cart too
            #expect(try await scope.recentChat(showID: show.id, limit: 10).isEmpty)
            #expect(try await scope.chatCSV(showID: show.id).contains("30 ml") == false)
            #expect(try await scope.cart(token: cart.token).count == 0)
            // the order.created webhook delivered with her is kept in the log, without her; the one
            // still to be sent goes as it is (the brand's shop needs the order)
            let deliveries = try await env.store.brand(brand.id).webhookDeliveries(endpoint.id, status: nil)
            #expect(deliveries.count == 2)
            #expect(deliveries.filter { $0.body.contains("lea@example.com") }.map(\.status) == [.pending])
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentAddsToACartAddUp(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: a cart with one line; a second product tapped 8 times at once
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let first = try await stock.variant(env, brand: brand, onHand: 50)
            let second = try await stock.variant(env, brand: brand, onHand: 50)
            let token = try #require(
                try await scope.setCartLine(token: nil, CartLineInput(variantId: first, quantity: 1), add: true).token)
            // MUT
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        _ = try await scope.setCartLine(
                            token: token, CartLineInput(variantId: second, quantity: 1), add: true)
                    }
                }
                try await group.waitForAll()
            }
            // validate: every tap counted, none refused
            let cart = try await scope.cart(token: token)
            #expect(cart.lines.first { $0.variantId == second }?.quantity == 8)
            #expect(cart.count == 9)
        }
    }

    @Test(arguments: TestDatabase.available)
    func whatACheckoutHoldsIsItsOrdersAndComesBackWhenItExpires(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: 3 units; Léa's cart has 2 and starts her checkout
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 3)
            let desk = OrderDesk(store: env.store)
            let cart = try await scope.setCartLine(token: nil, CartLineInput(variantId: id, quantity: 2), add: true)
            let token = try #require(cart.token)
            let hold = try await scope.holdCart(token: token)
            #expect(hold.cart.count == 2)
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 3, reserved: 2, soldUnacknowledged: 0))
            // MUT: another buyer cannot take her two units, only the third
            do {
                _ = try await desk.place(Self.request(brand.id, Self.input(id, quantity: 2, email: "paul@example.com")))
                Issue.record("held units were sold to someone else")
            } catch let error as DomainError {
                #expect(error.code == "out_of_stock")
            }
            _ = try await desk.place(Self.request(brand.id, Self.input(id, email: "paul@example.com")))
            // her order, with her cart, takes what she holds although nothing is available
            var mine = Self.request(brand.id, Self.input(id, quantity: 2))
            mine.cartToken = token
            let placed = try await desk.place(mine)
            // validate
            #expect(placed.order.lines[0].quantity == 2)
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 3, reserved: 0, soldUnacknowledged: 3))
            #expect(try await scope.releaseExpired(now: Date().addingTimeInterval(3600)) == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anExpiredHoldIsGivenBackAndTheLateOrderTakesWhatIsLeft(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: 2 units; a checkout held both an hour ago, for 10 minutes
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 2)
            let token = try #require(
                try await scope.setCartLine(token: nil, CartLineInput(variantId: id, quantity: 2), add: true).token)
            let hourAgo = Date().addingTimeInterval(-3600)
            _ = try await scope.holdCart(token: token, seconds: 600, now: hourAgo)
            // a cart asking for more than there is holds nothing and names the line
            let greedy = try #require(
                try await scope.setCartLine(token: nil, CartLineInput(variantId: id, quantity: 3), add: true).token)
            do {
                _ = try await scope.holdCart(token: greedy)
                Issue.record("a checkout held more than there is")
            } catch let error as DomainError {
                #expect(error.field == "lines[0].quantity")
            }
            // MUT: the expiry (injected clock) gives both units back; someone buys one
            #expect(try await scope.releaseExpired(now: hourAgo.addingTimeInterval(599)) == 0)
            #expect(try await scope.releaseExpired(now: hourAgo.addingTimeInterval(600)) == 1)
            #expect(try await scope.stockLevel(variantID: id).available == 2)
            let desk = OrderDesk(store: env.store)
            _ = try await desk.place(Self.request(brand.id, Self.input(id, email: "paul@example.com")))
            // the late order with the expired cart takes what is left: one unit of two, so refused
            var late = Self.request(brand.id, Self.input(id, quantity: 2))
            late.cartToken = token
            do {
                _ = try await desk.place(late)
                Issue.record("an expired hold was still honoured")
            } catch let error as DomainError {
                #expect(error.code == "out_of_stock")
            }
            late = Self.request(brand.id, Self.input(id, quantity: 1))
            late.cartToken = token
            _ = try await desk.place(late)
            // validate: everything adds up
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 2, reserved: 0, soldUnacknowledged: 2))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theShopsAcknowledgementMovesSalesIntoItsOwnCount(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: 10 on hand; Vitrine sells 3, then 2
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 10)
            let desk = OrderDesk(store: env.store)
            let first = try await desk.place(Self.request(brand.id, Self.input(id, quantity: 3))).order
            let second = try await desk.place(Self.request(brand.id, Self.input(id, quantity: 2))).order
            #expect(try await scope.stockLevel(variantID: id).available == 5)
            // MUT: the shop takes the first order off its own count, pushes 7 and acknowledges it;
            // then the second: pushes 5 and acknowledges both (the first again)
            let variant = try await scope.product(
                try await scope.products(query: nil, status: nil, page: 1, perPage: 10).items[0].id)
            _ = try await scope.setStock([(variant.variants[0].sku!, 7)])
            let done = try await scope.acknowledgeOrders([first.id])
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 7, reserved: 0, soldUnacknowledged: 2))
            _ = try await scope.setStock([(variant.variants[0].sku!, 5)])
            let again = try await scope.acknowledgeOrders([first.id, second.id])
            // validate: each order counted once; what viewers see never moved (5 all along)
            #expect(done == OrderAcknowledgement(acknowledged: 1, alreadyAcknowledged: 0))
            #expect(again == OrderAcknowledgement(acknowledged: 1, alreadyAcknowledged: 1))
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 5, reserved: 0, soldUnacknowledged: 0))
            #expect(try await scope.order(first.id).acknowledgedAt != nil)
            // a counted order cancelled comes back on hand; an unknown id changes nothing
            _ = try await scope.changeOrder(first.id, .cancel(reason: nil))
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 8, reserved: 0, soldUnacknowledged: 0))
            await #expect(throws: DomainError.self) { try await scope.acknowledgeOrders([second.id, UUID()]) }
        }
    }
}
