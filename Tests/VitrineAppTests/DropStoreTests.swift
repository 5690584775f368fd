import Foundation
import Logging
import Testing
import VitrineDomain
import VitrineStore

/// Flash drops on SQLite and PostgreSQL: never more sold than the drop's quantity whatever the
/// buyers at once, a limit per buyer by e-mail, closed until its instant, the drop price, and a
/// quantity of its own that a stock push never touches.
@Suite struct DropStoreTests {
    let stock = StockStoreTests()

    struct Sale {
        var brand: Brand
        var variant: UUID
        var show: UUID
        var drop: FlashDrop
        var sku: String
    }

    /// A perfume (5 in the shop's stock) in a show's lineup, and its drop of `quantity` at €49.
    func sale(_ env: TestEnvironment, quantity: Int, perCustomer: Int? = nil) async throws -> Sale {
        let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
        let scope = env.store.brand(brand.id)
        var productInput = ProductInput(title: "Eau de parfum Jasmin")
        productInput.status = .active
        var variantInput = VariantInput(
            sku: "JASMIN-\(UUID().uuidString.prefix(6))", price: Money(minorUnits: 8900, currency: "EUR"))
        variantInput.inventoryQuantity = 5
        variantInput.inventoryPolicy = .deny
        productInput.variants = [variantInput]
        let product = try await scope.createProduct(productInput)
        let variant = product.variants[0].id
        var input = ShowInput(title: "Vente flash")
        input.lineup = [LineupInput(productId: product.id)]
        let show = try await scope.createShow(input)
        let drop = try await scope.createDrop(
            showID: show.id,
            FlashDropInput(
                productId: product.id, quantity: quantity, price: Money(minorUnits: 4900, currency: "EUR"),
                perCustomer: perCustomer))
        return Sale(brand: brand, variant: variant, show: show.id, drop: drop, sku: product.variants[0].sku ?? "")
    }

    static func order(_ sale: Sale, email: String, quantity: Int = 1, card: Bool = false) -> OrderRequest {
        var input = OrderStoreTests.input(sale.variant, quantity: quantity, email: email)
        input.showId = sale.show
        input.payment = card ? .stripe : .later
        return OrderStoreTests.request(sale.brand.id, input)
    }

    /// The same database, 15 s later: the drop's countdown is over.
    static func later(_ env: TestEnvironment) async throws -> Store {
        let store = try await Store(
            location: env.config.database, logger: Logger(label: "test"), clock: { Date().addingTimeInterval(15) })
        return store
    }

    @Test(arguments: OrderStoreTests.cases)
    func buyersAtOnceGetExactlyTheDropsQuantity(database: TestDatabase, commit: OrderCommit) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: a drop of 13, started (10 s of countdown)
            let sale = try await sale(env, quantity: 13)
            let scope = env.store.brand(sale.brand.id)
            #expect(
                await CardPaymentTests.code {
                    _ = try await OrderDesk(store: env.store).place(Self.order(sale, email: "early@example.com"))
                } == "drop_not_open")
            let before = Date()
            let started = try await scope.startDrop(sale.drop.id, showID: sale.show)
            // at least 10 s after the start, on a whole second
            let opensAt = try #require(started.opensAt)
            #expect(opensAt.timeIntervalSince(before) >= 10)
            #expect(opensAt.timeIntervalSince1970.rounded() == opensAt.timeIntervalSince1970)
            #expect(
                await CardPaymentTests.code {
                    _ = try await OrderDesk(store: env.store).place(Self.order(sale, email: "early@example.com"))
                } == "drop_not_open")
            // MUT: 40 buyers once it is open
            let later = try await Self.later(env)
            let desk = OrderDesk(store: later, commit: commit)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for buyer in 0..<40 {
                    group.addTask {
                        await CardPaymentTests.code {
                            let order = try await desk.place(Self.order(sale, email: "b\(buyer)@example.com")).order
                            guard order.total.minorUnits == 4900, order.lines[0].dropId == sale.drop.id else {
                                throw DomainError.invalid("price", "\(order.total)")
                            }
                        } ?? "ok"
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            await later.shutdown()
            // validate: 13 sold at the drop price, 27 told it is sold out; the shop's stock untouched
            #expect(outcomes.filter { $0 == "ok" }.count == 13, "\(outcomes)")
            #expect(outcomes.filter { $0 == "sold_out" }.count == 27, "\(outcomes)")
            let drop = try await scope.drop(sale.drop.id, showID: sale.show)
            #expect(drop.sold == 13 && drop.left == 0)
            #expect(
                try await scope.stockLevel(variantID: sale.variant)
                    == StockLevel(onHand: 5, reserved: 0, soldUnacknowledged: 0))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBuyerGetsNoMoreThanTheLimitWhateverTheCaseOfTheirAddress(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: at most 2 per buyer
            let sale = try await sale(env, quantity: 100, perCustomer: 2)
            let scope = env.store.brand(sale.brand.id)
            _ = try await scope.startDrop(sale.drop.id, showID: sale.show)
            let later = try await Self.later(env)
            let desk = OrderDesk(store: later)
            // MUT
            let first = try await desk.place(Self.order(sale, email: "lea@example.com", quantity: 2)).order
            let more = await CardPaymentTests.code {
                _ = try await desk.place(Self.order(sale, email: "LEA@example.com"))
            }
            let tooMany = await CardPaymentTests.code {
                _ = try await desk.place(Self.order(sale, email: "paul@example.com", quantity: 3))
            }
            _ = try await desk.place(Self.order(sale, email: "paul@example.com", quantity: 2))
            // a cancelled order gives its units back, to the drop and to the buyer's limit
            _ = try await later.brand(sale.brand.id).changeOrder(first.id, .cancel(reason: nil))
            _ = try await desk.place(Self.order(sale, email: "lea@example.com"))
            await later.shutdown()
            // validate
            #expect(more == "drop_limit" && tooMany == "drop_limit")
            let drop = try await scope.drop(sale.drop.id, showID: sale.show)
            #expect(drop.sold == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStockPushNeverTouchesTheDropAndCardOrdersHoldItsUnits(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: a drop of 3, open; the brand takes cards
            let sale = try await sale(env, quantity: 3)
            let scope = env.store.brand(sale.brand.id)
            try await scope.setStripeKeys(CardPaymentTests.keys, box: .random())
            _ = try await scope.startDrop(sale.drop.id, showID: sale.show)
            // MUT: the shop pushes its stock; a card buyer holds 2; their hold expires
            #expect(try await scope.setStock([(sale.sku, 40)]) == 1)
            let later = try await Self.later(env)
            let card = try await OrderDesk(store: later).place(
                Self.order(sale, email: "lea@example.com", quantity: 2, card: true)
            )
            .order
            let held = try await scope.drop(sale.drop.id, showID: sale.show)
            let released = try await scope.releaseExpired(now: Date().addingTimeInterval(later.holdSeconds + 60))
            let back = try await scope.drop(sale.drop.id, showID: sale.show)
            // the late payment takes what the drop has left
            let paid = try await later.brand(sale.brand.id).confirmPayment(orderID: card.id, note: "paid")
            let after = try await scope.drop(sale.drop.id, showID: sale.show)
            await later.shutdown()
            // validate: the drop keeps its quantity; the variant has the pushed stock and no sale
            #expect(held.quantity == 3 && held.reserved == 2 && held.left == 1)
            #expect(released == 1 && back.reserved == 0 && back.left == 3)
            if case .paid = paid {} else { Issue.record("the late payment was not kept") }
            #expect(after.sold == 2 && after.reserved == 0 && after.left == 1)
            #expect(
                try await scope.stockLevel(variantID: sale.variant)
                    == StockLevel(onHand: 40, reserved: 0, soldUnacknowledged: 0))
            // the show ends: its drop closes with it
            _ = try await scope.transition(sale.show, .cancelled, memberID: nil)
            #expect(try await scope.drop(sale.drop.id, showID: sale.show).closedAt != nil)
        }
    }

    @Test func dropsAreCheckedAsTheTeamWritesThem() throws {
        let now = Date()
        let blank = FlashDrop(
            id: UUID(), showId: UUID(), productId: UUID(), variantId: UUID(), quantity: 0,
            price: Money(minorUnits: 0, currency: "EUR"), perCustomer: nil, countdownSeconds: 10, opensAt: nil,
            closedAt: nil, sold: 0, reserved: 0)
        func refusal(_ input: FlashDropInput) -> String? {
            do {
                _ = try FlashDropRules.apply(input, to: blank, isNew: true, now: now)
                return nil
            } catch {
                return "\(error.code) \(error.field ?? "")"
            }
        }
        let price = Money(minorUnits: 4900, currency: "EUR")
        #expect(refusal(FlashDropInput(quantity: 150_000, price: price, perCustomer: 2)) == nil)
        #expect(refusal(FlashDropInput(price: price)) == "missing_field quantity")
        #expect(refusal(FlashDropInput(quantity: 0, price: price)) == "invalid_field quantity")
        #expect(
            refusal(FlashDropInput(quantity: 5, price: Money(minorUnits: 4900, currency: "USD")))
                == "invalid_field price")
        #expect(
            refusal(FlashDropInput(quantity: 5, price: price, countdownSeconds: 5)) == "invalid_field countdownSeconds")
        #expect(
            refusal(FlashDropInput(quantity: 5, price: price, opensAt: now.addingTimeInterval(3)))
                == "invalid_field opensAt")
        var drop = blank
        drop.quantity = 10
        drop.sold = 7
        drop.opensAt = now.addingTimeInterval(-1)
        #expect(drop.status(at: now) == .open)
        drop.reserved = 3
        #expect(drop.status(at: now) == .allReserved)
        drop.reserved = 0
        drop.sold = 10
        #expect(drop.status(at: now) == .soldOut)
        #expect(throws: DomainError.self) {
            try FlashDropRules.apply(FlashDropInput(quantity: 9), to: drop, isNew: false, now: now)
        }
    }
}
