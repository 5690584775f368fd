import Foundation
import Testing

@testable import VitrineDomain

@Suite struct PricingTests {
    let sweater = UUID()
    let lipstick = UUID()
    let book = UUID()

    func eur(_ cents: Int) -> Money { Money(minorUnits: cents, currency: "EUR") }

    func lines() -> [PricedLineInput] {
        [
            PricedLineInput(
                variantId: sweater, quantity: 1, unitPrice: eur(7900), compareAtPrice: eur(9900), vatRate: 2000),
            PricedLineInput(variantId: lipstick, quantity: 3, unitPrice: eur(2490), vatRate: 2000),
            PricedLineInput(variantId: book, quantity: 1, unitPrice: eur(1055), vatRate: 550),
        ]
    }

    @Test func linesAddUpAndVATIsShownPerRate() throws {
        // MUT
        let cart = try Pricing.price(lines(), delivery: eur(490))
        // validate: 79.00 + 3 × 24.90 + 10.55 = 164.25, delivery 4.90
        #expect(cart.subtotal == eur(16425))
        #expect(cart.total == eur(16915))
        #expect(cart.lines[1].subtotal == eur(7470))
        #expect(cart.lines[0].compareAtPrice == eur(9900))
        // 20 %: lines 153.70 + delivery 4.90 = 158.60 → VAT 26.43; 5.5 %: 10.55 → 0.55
        #expect(
            cart.vat == [
                VATLine(rate: 2000, base: eur(15860), vat: eur(2643)),
                VATLine(rate: 550, base: eur(1055), vat: eur(55)),
            ])
    }

    @Test func aPercentageIsSharedAmongLinesToTheCent() throws {
        let promotion = Promotion(id: UUID(), code: "LIVE15", value: .percentage(1500))
        // MUT
        let cart = try Pricing.price(lines(), promotion: promotion)
        // validate: 15 % of 164.25 = 24.6375 → 24.64, shared 79.00 : 74.70 : 10.55
        #expect(cart.discount == eur(2464))
        #expect(cart.lines.map(\.discount.minorUnits).reduce(0, +) == 2464)
        #expect(cart.lines.map(\.discount) == [eur(1185), eur(1121), eur(158)])
        #expect(cart.lines.map(\.total.minorUnits).reduce(0, +) == cart.total.minorUnits)
        #expect(cart.promotionId == promotion.id)
        // the VAT follows the discounted lines
        #expect(cart.vat.first { $0.rate == 550 }?.base == eur(1055 - 158))
    }

    @Test func aFixedAmountNeverExceedsTheLines() throws {
        let cart = try Pricing.price(
            [PricedLineInput(variantId: book, quantity: 1, unitPrice: eur(1055), vatRate: 550)],
            promotion: Promotion(id: UUID(), code: "GIFT", value: .fixed(eur(5000))), delivery: eur(490))
        #expect(cart.discount == eur(1055))
        #expect(cart.total == eur(490))
        #expect(cart.vat == [VATLine(rate: 2000, base: eur(490), vat: eur(82))])
    }

    @Test func promotionsAreRefusedWithTheirReason() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let show = UUID()
        func refusal(_ promotion: Promotion, subtotal: Int = 10000, live: UUID? = nil, uses: Int = 0, mine: Int = 0)
            -> String?
        {
            Pricing.refusal(
                of: promotion, subtotal: eur(subtotal),
                context: PromotionContext(now: now, liveShowId: live, usesSoFar: uses, usesByThisBuyer: mine))?.code
        }
        let base = Promotion(id: UUID(), code: "X", value: .percentage(1000))
        var later = base
        later.startsAt = now.addingTimeInterval(60)
        var over = base
        over.endsAt = now
        var liveOnly = base
        liveOnly.showId = show
        var limited = base
        limited.usageLimit = 100
        limited.perCustomerLimit = 1
        var minimum = base
        minimum.minimumOrder = eur(5000)
        #expect(refusal(base) == nil)
        #expect(refusal(later) == "promotion_not_started")
        #expect(refusal(over) == "promotion_expired")
        #expect(refusal(liveOnly) == "promotion_live_only")
        #expect(refusal(liveOnly, live: UUID()) == "promotion_live_only")
        #expect(refusal(liveOnly, live: show) == nil)
        #expect(refusal(limited, uses: 100) == "promotion_used_up")
        #expect(refusal(limited, uses: 99, mine: 1) == "promotion_already_used")
        #expect(refusal(limited, uses: 99) == nil)
        #expect(refusal(minimum, subtotal: 4999) == "promotion_minimum")
        #expect(
            Pricing.refusal(of: minimum, subtotal: eur(4999), context: PromotionContext(now: now, liveShowId: nil))?
                .message == "This code needs an order of at least 50.00 EUR.")
        #expect(
            refusal(Promotion(id: UUID(), code: "USD", value: .fixed(Money(minorUnits: 500, currency: "USD"))))
                == "promotion_currency")
    }

    @Test func absurdQuantitiesMixedCurrenciesAndEmptyCartsAreRefused() {
        for quantity in [0, -1, 100, Int.max] {
            var input = lines()
            input[1].quantity = quantity
            #expect(throws: DomainError.self) { try Pricing.price(input) }
            do {
                _ = try Pricing.price(input)
            } catch let error as DomainError {
                #expect(error.code == "invalid_quantity" && error.field == "lines[1].quantity")
            } catch {}
        }
        var mixed = lines()
        mixed[2].unitPrice = Money(minorUnits: 100, currency: "USD")
        #expect(throws: DomainError.self) { try Pricing.price(mixed) }
        #expect(throws: DomainError.self) { try Pricing.price([]) }
    }

    @Test func sharesAlwaysAddUpAndFollowTheWeights() {
        // A bounded property run: 2,000 random splits.
        var random = SplitMix64(seed: 20_261_123)
        for _ in 0..<2000 {
            let weights = (0..<Int(random.next() % 6 + 1)).map { _ in Int(random.next() % 50_000) }
            let sum = weights.reduce(0, +)
            let total = sum == 0 ? 0 : Int(random.next() % UInt64(sum + 1))
            let parts = Pricing.share(total, among: weights)
            #expect(parts.reduce(0, +) == (sum == 0 ? 0 : total))
            for (part, weight) in zip(parts, weights) where sum > 0 {
                let exact = Double(weight) * Double(total) / Double(sum)
                #expect(Double(part) >= exact.rounded(.down) && Double(part) <= exact.rounded(.up))
            }
        }
    }

    @Test func includedVATIsRoundedHalfUp() {
        #expect(Pricing.includedVAT(12000, rate: 2000) == 2000)
        #expect(Pricing.includedVAT(10550, rate: 550) == 550)
        #expect(Pricing.includedVAT(100, rate: 2000) == 17)  // 16.67
        #expect(Pricing.includedVAT(999, rate: 0) == 0)
    }

    @Test func stockSaysAvailableAllReservedOrSoldOut() {
        #expect(StockLevel(onHand: 10, reserved: 3, soldUnacknowledged: 2).available == 5)
        let held = StockLevel(onHand: 5, reserved: 3, soldUnacknowledged: 2)
        #expect(held.available == 0 && held.allReserved && !held.soldOut)
        let gone = StockLevel(onHand: 2, reserved: 0, soldUnacknowledged: 2)
        #expect(gone.soldOut && !gone.allReserved)
        // a push below what is already sold never makes a negative stock
        #expect(StockLevel(onHand: 1, reserved: 0, soldUnacknowledged: 4).available == 0)
    }

    @Test func orderNumbersAreShortAndReadable() {
        var random = SplitMix64(seed: 7)
        #expect(OrderNumber.prefix(brandName: "Maison Lumière") == "ML")
        #expect(OrderNumber.prefix(brandName: "Écrin d'Or Paris") == "EDO")
        #expect(OrderNumber.prefix(brandName: "Zoé") == "ZO")
        #expect(OrderNumber.prefix(brandName: "123") == "VT")
        var seen = Set<String>()
        for _ in 0..<1000 {
            let number = OrderNumber.make(brandName: "Maison Lumière", using: &random)
            #expect(number.range(of: #"^ML-[2-9A-HJKMNP-Z]{6}$"#, options: .regularExpression) != nil, "\(number)")
            seen.insert(number)
        }
        #expect(seen.count == 1000)
    }
}
