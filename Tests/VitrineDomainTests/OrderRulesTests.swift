import Foundation
import Testing
import VitrineDomain

/// What a buyer types at checkout: addresses of this market, and the rules an order passes
/// before any stock moves.
@Suite struct OrderRulesTests {
    static func address(_ postalCode: String, _ country: String) -> PostalAddress {
        PostalAddress(line1: " 3 Keizersgracht ", postalCode: postalCode, city: "Amsterdam", country: country)
    }

    @Test(arguments: [
        ("1012ab", "NL", "1012 AB"), ("75011", "fr", "75011"), ("d02 x285", "IE", "D02 X285"),
        ("1000-001", "PT", "1000-001"), ("11122", "SE", "111 22"), ("L-1234", "LU", "L-1234"),
        ("sw1a 1aa", "GB", "SW1A 1AA"),
    ])
    func postalCodesAreWrittenAsTheCountryWritesThem(written: String, country: String, expected: String) throws {
        let checked = try PostalRules.check(Self.address(written, country), field: "address")
        #expect(checked.postalCode == expected)
        #expect(checked.country == country.uppercased())
        #expect(checked.line1 == "3 Keizersgracht")
    }

    @Test func aWrongPostalCodeOrCountryNamesTheField() {
        do {
            _ = try PostalRules.check(Self.address("7501", "FR"), field: "address")
        } catch {
            #expect(error.field == "address.postalCode")
            #expect(error.message.contains("France"))
        }
        do {
            _ = try PostalRules.check(Self.address("10001", "US"), field: "address")
            Issue.record("a US address was accepted")
        } catch {
            #expect(error.code == "unsupported_country")
        }
    }

    static let line = OrderLineInput(variantId: UUID(), quantity: 1)

    @Test func anOrderIsTrimmedAndItsDefaultsSet() throws {
        let input = OrderInput(
            email: " Lea@Example.COM ", name: " Léa ", phone: "+33 6 12 34 56 78",
            address: Self.address("75011", "FR"), lines: [Self.line], showId: UUID())
        let order = try OrderRules.check(input)
        #expect(order.email == "lea@example.com" && order.name == "Léa")
        #expect(order.delivery == .home && order.payment == .later && order.marketingConsent == false)
        #expect(order.origin == .live && order.language == "fr")
        #expect(
            try OrderRules.check(
                OrderInput(email: "a@b.fr", name: "A", address: Self.address("75011", "FR"), lines: [Self.line])
            ).origin == OrderOrigin.none)
    }

    @Test func badOrdersAreRefusedWithTheirField() {
        func refusal(_ change: (inout OrderInput) -> Void) -> String? {
            var input = OrderInput(
                email: "lea@example.com", name: "Léa", address: Self.address("75011", "FR"), lines: [Self.line])
            change(&input)
            do {
                _ = try OrderRules.check(input)
                return nil
            } catch {
                return "\(error.code) \(error.field ?? "")"
            }
        }
        #expect(refusal { $0.acceptTerms = false } == "terms_not_accepted acceptTerms")
        #expect(refusal { $0.address = nil } == "missing_field address")
        #expect(refusal { $0.delivery = .pickup } == "missing_field pickupStoreId")
        #expect(refusal { $0.lines = [] } == "empty_cart lines")
        #expect(refusal { $0.lines = [Self.line, Self.line] } == "invalid_field lines[1].variantId")
        #expect(refusal { $0.lines[0].quantity = -3 } == "invalid_quantity lines[0].quantity")
        #expect(refusal { $0.email = "lea@" } == "invalid_field email")
        #expect(refusal { $0.phone = "call me" } == "invalid_field phone")
        #expect(refusal { $0.viewerId = "<script>" } == "invalid_field viewerId")
        #expect(throws: DomainError.self) { try OrderRules.checkIdempotencyKey(String(repeating: "k", count: 201)) }
        #expect(throws: DomainError.self) { try OrderRules.checkIdempotencyKey("with space") }
        #expect(throws: DomainError.self) { try OrderRules.checkIdempotencyKey(nil) }
    }

    @Test func statusesMoveOnlyForward() {
        #expect(OrderRules.canMove(from: .awaitingPayment, to: .paid))
        #expect(OrderRules.canMove(from: .paid, to: .fulfilled))
        #expect(!OrderRules.canMove(from: .cancelled, to: .paid))
        #expect(!OrderRules.canMove(from: .fulfilled, to: .cancelled))
        #expect(!OrderRules.canMove(from: .refunded, to: .paid))
    }
}
