import Foundation
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp

@Suite struct CatalogAPITests {
    static var sweater: [String: Any] {
        [
            "title": "Pull cachemire", "vendor": "Maison", "tags": ["mode", "hiver"], "status": "active",
            "descriptionHtml": "<p onclick=\"steal()\">Doux <strong>cachemire</strong></p><script>alert(1)</script>",
            "optionNames": ["Taille", "Couleur"],
            "variants": [
                [
                    "sku": "PC-S-NOIR", "options": ["S", "Noir"], "price": ["amount": 12900, "currency": "EUR"],
                    "compareAtPrice": ["amount": 15900, "currency": "EUR"], "inventoryQuantity": 4,
                ],
                [
                    "sku": "PC-M-NOIR", "options": ["M", "Noir"], "price": ["amount": 12900, "currency": "EUR"],
                    "inventoryPolicy": "continue", "inventoryQuantity": 0,
                ],
            ],
        ]
    }

    @Test(arguments: TestDatabase.available)
    func createReadUpdateArchive(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let base = "/api/brands/\(brand.id)/products"
            // MUT
            let created = try await client.call(.post, base, as: owner, json: Self.sweater)
            // validate
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["handle"] as? String == "pull-cachemire")
            #expect(created.json["descriptionHtml"] as? String == "<p>Doux <strong>cachemire</strong></p>")
            #expect(created.json["vatRate"] as? Int == 2000)
            let variants = created.json["variants"] as? [[String: Any]] ?? []
            #expect(variants.count == 2)
            #expect((variants.first?["compareAtPrice"] as? [String: Any])?["amount"] as? Int == 15900)
            #expect(variants.last?["inventoryPolicy"] as? String == "continue")

            let patched = try await client.call(
                .patch, "\(base)/\(id)", as: owner, json: ["title": "Pull cachemire Éloïse", "vatRate": 550])
            #expect(patched.status == .ok)
            #expect(patched.json["title"] as? String == "Pull cachemire Éloïse")
            #expect(patched.json["handle"] as? String == "pull-cachemire", "the handle stays when the title changes")

            let search = try await client.call(.get, "\(base)?q=pc-m-noir", as: owner)
            #expect(search.json["total"] as? Int == 1, "search finds a product by a variant's SKU")
            let none = try await client.call(.get, "\(base)?q=chaussette", as: owner)
            #expect(none.json["total"] as? Int == 0)

            let archived = try await client.call(.post, "\(base)/\(id)/archive", as: owner)
            #expect(archived.json["status"] as? String == "archived")
            let active = try await client.call(.get, "\(base)?status=active", as: owner)
            #expect(active.json["total"] as? Int == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func variantsAndStock(database: TestDatabase) async throws {
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let base = "/api/brands/\(brand.id)/products"
            let created = try await client.call(.post, base, as: owner, json: Self.sweater)
            let id = try #require(created.json["id"] as? String)

            let added = try await client.call(
                .post, "\(base)/\(id)/variants", as: owner,
                json: ["sku": "PC-L-NOIR", "options": ["L", "Noir"], "price": ["amount": 12900, "currency": "EUR"]])
            #expect(added.status == .created)
            let duplicate = try await client.call(
                .post, "\(base)/\(id)/variants", as: owner,
                json: ["sku": "PC-L-NOIR", "options": ["L", "Gris"], "price": ["amount": 12900, "currency": "EUR"]])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "sku_taken")
            let wrongOptions = try await client.call(
                .post, "\(base)/\(id)/variants", as: owner,
                json: ["options": ["XL"], "price": ["amount": 12900, "currency": "EUR"]])
            #expect(wrongOptions.errorField == "options")

            let stock = try await client.call(
                .post, "/api/brands/\(brand.id)/stock", as: owner,
                json: ["items": [["sku": "PC-S-NOIR", "quantity": 11], ["sku": "PC-L-NOIR", "quantity": 3]]])
            #expect(stock.status == .ok)
            #expect(stock.json["updated"] as? Int == 2)
            let unknown = try await client.call(
                .post, "/api/brands/\(brand.id)/stock", as: owner,
                json: ["items": [["sku": "PC-S-NOIR", "quantity": 99], ["sku": "NOPE", "quantity": 1]]])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.errorCode == "unknown_sku")
            #expect(unknown.errorField == "items[1].sku")
            let product = try await client.call(.get, "\(base)/\(id)", as: owner)
            let quantities = (product.json["variants"] as? [[String: Any]] ?? []).map {
                $0["inventoryQuantity"] as? Int
            }
            #expect(quantities == [11, 0, 3], "the refused push wrote nothing")

            let variantID = try #require(added.json["id"] as? String)
            #expect(
                try await client.call(.delete, "\(base)/\(id)/variants/\(variantID)", as: owner).status == .noContent)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentWritesAllSucceed(database: TestDatabase) async throws {
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let base = "/api/brands/\(brand.id)/products"
            let id = try #require(
                try await client.call(.post, base, as: owner, json: Self.sweater).json["id"] as? String)
            // Twenty editors saving at once: every save answers, none fails with a server error.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await client.call(.patch, "\(base)/\(id)", as: owner, json: ["vendor": "Atelier \(index)"])
                            .status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
        }
    }

    @Test func badInputGetsAClearErrorAndWritesNothing() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let base = "/api/brands/\(brand.id)/products"
            let malformed = try await client.call(.post, base, as: owner, raw: Array("{\"title\": ".utf8))
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "invalid_json")
            let wrongType = try await client.call(.post, base, as: owner, json: ["title": 42])
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.errorField == "title")
            let badEnum = try await client.call(.post, base, as: owner, json: ["title": "X", "status": "published"])
            #expect(badEnum.status == .unprocessableContent)
            #expect(badEnum.errorField == "status")
            let badPrice = try await client.call(
                .post, base, as: owner,
                json: ["title": "X", "variants": [["price": ["amount": -5, "currency": "EUR"]]]])
            #expect(badPrice.errorField == "variants[0].price.amount")
            let badCurrency = try await client.call(
                .post, base, as: owner,
                json: ["title": "X", "variants": [["price": ["amount": 5, "currency": "USD"]]]])
            #expect(badCurrency.errorField == "variants[0].price.currency")
            let invalidUTF8 = try await client.call(.post, base, as: owner, raw: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D])
            #expect(invalidUTF8.status == .badRequest)
            let huge = try await client.call(
                .post, base, as: owner, json: ["title": String(repeating: "x", count: 1_100_000)])
            #expect(huge.status == .contentTooLarge)
            #expect(huge.errorCode == "body_too_large")
            let control = try await client.call(.post, base, as: owner, json: ["title": "Bad\u{0007}title"])
            #expect(control.errorField == "title")
            let extreme = try await client.call(
                .post, base, as: owner,
                json: [
                    "title": "X",
                    "variants": [["price": ["amount": 5, "currency": "EUR"], "inventoryQuantity": Int.min]],
                ])
            #expect(
                extreme.errorField == "variants[0].inventoryQuantity", "the smallest integer is refused, not a crash")
            let stock = try await client.call(
                .post, "/api/brands/\(brand.id)/stock", as: owner, json: ["items": [["sku": "X", "quantity": Int.min]]])
            #expect(stock.errorField == "items[0].quantity")
            let list = try await client.call(.get, base, as: owner)
            #expect(list.json["total"] as? Int == 0, "no refused request created anything")
            let badPage = try await client.call(.get, "\(base)?perPage=1000", as: owner)
            #expect(badPage.status == .badRequest)
            #expect(badPage.errorField == "perPage")
            #expect(try await client.call(.get, "/healthz").status == .ok, "the server keeps serving")
        }
    }

    @Test func publicRoutesShowOnlyActiveProducts() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            var draft = Self.sweater
            draft["status"] = "draft"
            draft["title"] = "Secret"
            draft["variants"] = [["price": ["amount": 100, "currency": "EUR"]]]
            _ = try await client.call(.post, "/api/brands/\(brand.id)/products", as: owner, json: draft)
            _ = try await client.call(.post, "/api/brands/\(brand.id)/products", as: owner, json: Self.sweater)
            let publicBrand = try await client.call(.get, "/api/public/brands/\(brand.slug)")
            #expect(publicBrand.json["name"] as? String == "Maison Lumière")
            #expect(publicBrand.json["embedOrigins"] == nil)
            let active = try await client.call(.get, "/api/public/brands/\(brand.slug)/products/pull-cachemire")
            #expect(active.status == .ok)
            #expect(active.json["vatRate"] == nil && active.json["status"] == nil)
            let variants = active.json["variants"] as? [[String: Any]] ?? []
            #expect(variants.first?["inventoryQuantity"] == nil, "stock figures stay private")
            #expect(variants.first?["available"] as? Bool == true)
            let hidden = try await client.call(.get, "/api/public/brands/\(brand.slug)/products/secret")
            #expect(hidden.status == .notFound)
        }
    }

    @Test func brandSettingsAreValidated() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let ok = try await client.call(
                .patch, "/api/brands/\(brand.id)", as: owner,
                json: [
                    "timeZone": "Europe/Brussels", "embedOrigins": ["https://shop.example.com"], "defaultVatRate": 2100,
                ])
            #expect(ok.status == .ok)
            #expect(ok.json["timeZone"] as? String == "Europe/Brussels")
            #expect(ok.json["currency"] as? String == "EUR")
            let bad = try await client.call(.patch, "/api/brands/\(brand.id)", as: owner, json: ["timeZone": "Paris"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorField == "timeZone")
        }
    }
}
