import Foundation
import Testing
import VitrineDomain
import VitrineStore

/// Promotions on SQLite and PostgreSQL, through the order desk: a limit in all is never exceeded
/// by buyers at once, a limit per buyer counts by e-mail, live-only codes and automatic offers
/// apply only while their show is live, and the cart shows what applies.
@Suite struct PromotionStoreTests {
    let stock = StockStoreTests()

    static func order(
        _ brand: UUID, _ variant: UUID, quantity: Int = 1, email: String, code: String?, show: UUID? = nil
    )
        -> OrderRequest
    {
        var input = OrderStoreTests.input(variant, quantity: quantity, email: email)
        input.promotionCode = code
        input.showId = show
        return OrderStoreTests.request(brand, input)
    }

    @Test(arguments: OrderStoreTests.cases)
    func aLimitInAllIsNeverExceededByBuyersAtOnce(database: TestDatabase, commit: OrderCommit) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: a code for 5 uses, 15 % off; 20 buyers at once, plenty of stock
            let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 100)
            _ = try await scope.createPromotion(PromotionInput(code: "live15", percentOff: 15, usageLimit: 5))
            let desk = OrderDesk(store: env.store, commit: commit)
            // MUT
            let outcomes = await withTaskGroup(of: String.self) { group in
                for buyer in 0..<20 {
                    group.addTask {
                        await CardPaymentTests.code {
                            let order = try await desk.place(
                                Self.order(brand.id, id, email: "b\(buyer)@example.com", code: "LIVE15")
                            ).order
                            guard order.discount.minorUnits == 1335, order.total.minorUnits == 7565 else {
                                throw DomainError.invalid("discount", "\(order.discount) \(order.total)")
                            }
                        } ?? "ok"
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            // validate: 5 discounted orders, 15 told the code is used up; the count says 5
            #expect(outcomes.filter { $0 == "ok" }.count == 5, "\(outcomes)")
            #expect(outcomes.filter { $0 == "promotion_used_up" }.count == 15, "\(outcomes)")
            #expect(try await scope.promotions().first?.uses == 5)
            #expect(try await scope.stockLevel(variantID: id).soldUnacknowledged == 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBuyerUsesACodeAsOftenAsAllowedWhateverTheCaseOfTheirAddress(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: €5 off orders of €50 or more, once per buyer
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 100)
            _ = try await scope.createPromotion(
                PromotionInput(
                    code: "MERCI5", amountOff: Money(minorUnits: 500, currency: "EUR"),
                    minimumOrder: Money(minorUnits: 5000, currency: "EUR"), perCustomerLimit: 1))
            let desk = OrderDesk(store: env.store)
            // MUT
            let first = try await desk.place(Self.order(brand.id, id, email: "lea@example.com", code: "merci5")).order
            let again = await CardPaymentTests.code {
                _ = try await desk.place(Self.order(brand.id, id, email: "LEA@example.com", code: "MERCI5"))
            }
            let other = try await desk.place(Self.order(brand.id, id, email: "paul@example.com", code: "MERCI5")).order
            // validate: the discount is shared by the lines and the VAT is on what is paid
            #expect(first.discount.minorUnits == 500 && first.total.minorUnits == 8400)
            #expect(first.promotionCode == "MERCI5")
            #expect(first.lines[0].discount.minorUnits == 500 && first.lines[0].total.minorUnits == 8400)
            #expect(first.vat.first?.vat.minorUnits == 1400)
            #expect(again == "promotion_already_used")
            #expect(other.discount.minorUnits == 500)
            #expect(
                await CardPaymentTests.code {
                    _ = try await desk.place(Self.order(brand.id, id, email: "zoe@example.com", code: "NOPE"))
                } == "unknown_promotion")
            #expect(try await scope.stockLevel(variantID: id).soldUnacknowledged == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func liveOffersApplyOnlyWhileTheirShowIsLive(database: TestDatabase) async throws {
        try await stock.withEnvironment(database) { env in
            // setup: a show with an automatic 10 % offer and a live-only code of 20 %
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await stock.variant(env, brand: brand, onHand: 100)
            var input = ShowInput(title: "Jeudi")
            input.scheduledStart = Date().addingTimeInterval(3600)
            let show = try await scope.createShow(input)
            _ = try await scope.createPromotion(PromotionInput(title: "Offre du live", percentOff: 10, showId: show.id))
            _ = try await scope.createPromotion(PromotionInput(code: "LIVE20", percentOff: 20, showId: show.id))
            let desk = OrderDesk(store: env.store)
            // MUT + validate: before the show, nothing applies and the code is refused
            let before = try await desk.place(
                Self.order(brand.id, id, email: "a@example.com", code: nil, show: show.id))
            #expect(before.order.discount.minorUnits == 0)
            #expect(
                await CardPaymentTests.code {
                    _ = try await desk.place(
                        Self.order(brand.id, id, email: "b@example.com", code: "LIVE20", show: show.id))
                } == "promotion_live_only")
            // live: the offer applies by itself, the code wins when typed; not outside the show
            _ = try await scope.transition(show.id, .live, memberID: nil)
            let offered = try await desk.place(
                Self.order(brand.id, id, email: "c@example.com", code: nil, show: show.id))
            #expect(offered.order.discount.minorUnits == 890 && offered.order.promotionCode == nil)
            let coded = try await desk.place(
                Self.order(brand.id, id, email: "d@example.com", code: "LIVE20", show: show.id))
            #expect(coded.order.discount.minorUnits == 1780 && coded.order.promotionCode == "LIVE20")
            let elsewhere = try await desk.place(Self.order(brand.id, id, email: "e@example.com", code: nil))
            #expect(elsewhere.order.discount.minorUnits == 0)
            // the cart shows the offer of the show its lines come from
            let cart = try await scope.setCartLine(
                token: nil, CartLineInput(variantId: id, quantity: 2, showId: show.id), add: true)
            #expect(cart.discount.minorUnits == 1780 && cart.promotion?.title == "Offre du live")
            #expect(cart.total.minorUnits == 17800 - 1780 + cart.delivery.minorUnits)
            // a code that does not apply stays on the cart with its reason and minimum; the show's
            // offer applies meanwhile, as it would to the order
            _ = try await scope.createPromotion(
                PromotionInput(code: "BIG", percentOff: 50, minimumOrder: Money(minorUnits: 100_000, currency: "EUR")))
            let refused = try await scope.setCartPromotion(token: try #require(cart.token), code: "big")
            #expect(refused.promotion?.refusal == "promotion_minimum")
            #expect(refused.promotion?.minimumOrder?.minorUnits == 100_000 && refused.promotion?.title == "BIG -50 %")
            #expect(refused.discount.minorUnits == 1780 && refused.promotion?.offerTitle == "Offre du live")
        }
    }

    @Test func promotionsAreCheckedAsTheTeamWritesThem() throws {
        func refusal(_ input: PromotionInput) -> String? {
            do {
                _ = try PromotionRules.apply(input, to: nil, id: UUID(), currency: "EUR")
                return nil
            } catch {
                return "\(error.code) \(error.field ?? "")"
            }
        }
        #expect(refusal(PromotionInput(code: "LIVE15", percentOff: 15)) == nil)
        #expect(refusal(PromotionInput(code: "L!", percentOff: 15)) == "invalid_field code")
        #expect(refusal(PromotionInput(code: "LIVE15")) == "missing_field percentOff")
        #expect(refusal(PromotionInput(code: "LIVE15", percentOff: 150)) == "invalid_field percentOff")
        #expect(refusal(PromotionInput(code: "LIVE15", percentOff: 12.345)) == "invalid_field percentOff")
        #expect(
            refusal(PromotionInput(code: "X15", amountOff: Money(minorUnits: 500, currency: "USD")))
                == "invalid_field amountOff")
        #expect(refusal(PromotionInput(percentOff: 10)) == "missing_field showId")
        let now = Date()
        #expect(
            refusal(PromotionInput(code: "DATES", percentOff: 10, startsAt: now, endsAt: now)) == "invalid_field endsAt"
        )
        let (promotion, title) = try PromotionRules.apply(
            PromotionInput(code: " live15 ", percentOff: 12.5), to: nil, id: UUID(), currency: "EUR")
        #expect(promotion.code == "LIVE15" && title == "LIVE15 -12.50 %")
    }
}
