import Foundation
import Testing

@testable import VitrineDomain

@Suite struct MoneyTests {
    @Test(arguments: [("24.90", 2490), ("24", 2400), ("0.5", 50), ("0.05", 5), ("150000.00", 15_000_000)])
    func parsesDecimalAmounts(text: String, minor: Int) {
        #expect(Money.parseMinorUnits(text) == minor)
    }

    @Test(arguments: ["", "24,90", "-1", "1.234", "1e3", "€24", "24.9.0", ".5", "1 000"])
    func rejectsAnythingElse(text: String) {
        #expect(Money.parseMinorUnits(text) == nil)
    }

    @Test func printsDecimalForm() {
        #expect(Money.decimalString(minorUnits: 2490) == "24.90")
        #expect(Money.decimalString(minorUnits: 5) == "0.05")
        #expect(Money.decimalString(minorUnits: -120) == "-1.20")
    }

    @Test func encodesAsAmountAndCurrency() throws {
        let json = String(decoding: try JSONEncoder().encode(Money(minorUnits: 7900, currency: "EUR")), as: UTF8.self)
        #expect(json.contains("\"amount\":7900"))
        #expect(json.contains("\"currency\":\"EUR\""))
    }
}

@Suite struct HandleTests {
    @Test func makesHandlesFromFrenchTitles() {
        #expect(Handle.from(title: "Pull Cachemire Éloïse") == "pull-cachemire-eloise")
        #expect(Handle.from(title: "  Rouge à lèvres — Velours!  ") == "rouge-a-levres-velours")
        #expect(Handle.from(title: "!!!") == "product")
    }

    @Test func validatesHandles() {
        #expect(Handle.isValid("rouge-velours"))
        #expect(!Handle.isValid("Rouge"))
        #expect(!Handle.isValid("-x"))
        #expect(!Handle.isValid("a b"))
        #expect(!Handle.isValid(""))
    }
}

@Suite struct RoleTests {
    @Test func ownerMayDoEverything() {
        for action in Action.allCases { #expect(Role.owner.allows(action)) }
    }

    @Test func onlyOwnersManageOwners() {
        #expect(!Role.admin.allows(.manageOwners))
        #expect(Role.admin.allows(.manageMembers))
    }

    @Test func hostsAndModeratorsOnlyRead() {
        for role in [Role.host, .moderator] {
            #expect(role.allows(.viewCatalog))
            #expect(!role.allows(.editCatalog))
            #expect(!role.allows(.manageTokens))
        }
    }

    @Test func tokensNeverManagePeople() {
        for action in [Action.manageMembers, .manageOwners, .manageTokens, .editBrandSettings] {
            #expect(TokenScope.required(for: action) == nil)
        }
    }
}

@Suite struct BrandRulesTests {
    let brand = Brand(
        id: UUID(), name: "Maison", slug: "maison", logoUrl: nil, accentColor: "#000000", timeZone: "Europe/Paris",
        currency: "EUR", languages: ["fr"], embedOrigins: [], defaultVatRate: 2000, createdAt: Date())

    @Test func appliesValidSettings() throws {
        var change = BrandSettingsChange()
        change.timeZone = "Europe/Berlin"
        change.accentColor = "#aa00ff"
        change.embedOrigins = ["https://Shop.Example.com/", "http://localhost:3000"]
        change.languages = ["fr", "en", "fr"]
        let updated = try BrandRules.apply(change, to: brand)
        #expect(updated.timeZone == "Europe/Berlin")
        #expect(updated.accentColor == "#AA00FF")
        #expect(updated.embedOrigins == ["https://shop.example.com", "http://localhost:3000"])
        #expect(updated.languages == ["fr", "en"])
    }

    @Test(arguments: [
        ("timeZone", "Mars/Olympus"), ("accentColor", "red"), ("currency", "XXX"),
        ("embedOrigins[0]", "javascript:alert(1)"),
        ("embedOrigins[0]", "https://shop.example.com/path"), ("languages[0]", "klingon"),
        ("logoUrl", "javascript:alert(1)"),
    ])
    func namesTheBadField(field: String, value: String) {
        var change = BrandSettingsChange()
        switch field {
        case "timeZone": change.timeZone = value
        case "accentColor": change.accentColor = value
        case "currency": change.currency = value
        case "languages[0]": change.languages = [value]
        case "logoUrl": change.logoUrl = value
        default: change.embedOrigins = [value]
        }
        #expect(throws: DomainError.self) { try BrandRules.apply(change, to: brand) }
        do {
            _ = try BrandRules.apply(change, to: brand)
        } catch {
            #expect(error.field == field)
        }
    }
}
