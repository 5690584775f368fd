import Foundation
import Testing
import VitrineDomain

@Suite struct PickupStoreRulesTests {
    static let address = PostalAddress(line1: "8 rue de Turenne", postalCode: "75004", city: "Paris", country: "fr")

    @Test func aStoreIsCheckedAndItsHoursSorted() throws {
        let store = try PickupStoreRules.apply(
            PickupStoreInput(
                name: " Boutique du Marais ", address: Self.address,
                openingHours: [
                    OpeningHours(day: .sat, opens: "10:00", closes: "19:00"),
                    OpeningHours(day: .mon, opens: "14:00", closes: "19:00"),
                    OpeningHours(day: .mon, opens: "10:00", closes: "12:30"),
                ]), to: nil, id: UUID())
        #expect(store.name == "Boutique du Marais" && store.address.country == "FR" && store.active)
        #expect(store.openingHours.map { "\($0.day.rawValue) \($0.opens)" } == ["mon 10:00", "mon 14:00", "sat 10:00"])
        // a change keeps what it does not name
        let closed = try PickupStoreRules.apply(PickupStoreInput(active: false), to: store, id: store.id)
        #expect(closed.name == store.name && closed.openingHours == store.openingHours && !closed.active)
    }

    @Test func badStoresNameTheirField() {
        func refusal(_ input: PickupStoreInput) -> String? {
            do {
                _ = try PickupStoreRules.apply(input, to: nil, id: UUID())
                return nil
            } catch {
                return "\(error.code) \(error.field ?? "")"
            }
        }
        #expect(refusal(PickupStoreInput(address: Self.address)) == "missing_field name")
        #expect(refusal(PickupStoreInput(name: "Marais")) == "missing_field address")
        for (opens, closes) in [
            ("19:00", "10:00"), ("9h", "19:00"), ("10:00", "24:30"), ("10:60", "11:00"), ("+1:00", "11:00"),
        ] {
            #expect(
                refusal(
                    PickupStoreInput(
                        name: "Marais", address: Self.address,
                        openingHours: [OpeningHours(day: .tue, opens: opens, closes: closes)]))
                    == "invalid_field openingHours[0]")
        }
        let three = (0..<3).map { OpeningHours(day: .wed, opens: "0\($0 * 3):00", closes: "0\($0 * 3 + 1):00") }
        #expect(
            refusal(PickupStoreInput(name: "Marais", address: Self.address, openingHours: three))
                == "invalid_field openingHours")
        var far = Self.address
        far.country = "US"
        #expect(refusal(PickupStoreInput(name: "NYC", address: far)) == "unsupported_country address.country")
    }
}
