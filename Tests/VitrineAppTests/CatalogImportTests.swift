import Foundation
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp

@Suite struct CatalogImportTests {
    /// Every variant of the shared sample: SKU → (price, compare-at, quantity, policy), read off the CSV.
    static let sampleVariants: [String: (Int, Int?, Int, String)] = [
        "ML-RV-CER": (2490, 2990, 120, "deny"), "ML-RV-NUD": (2490, 2990, 85, "deny"),
        "ML-RV-BOR": (2490, nil, 0, "deny"),
        "ML-SE-30": (3900, nil, 240, "deny"), "ML-SE-50": (5400, nil, 150, "deny"), "ML-CN-50": (4650, nil, 60, "deny"),
        "ML-PO-SDP": (4900, 5900, 500, "deny"), "ML-PJ-50": (7900, nil, 150_000, "deny"),
        "ML-PJ-100": (11200, nil, 2000, "deny"), "ML-MV-NOI": (1990, nil, 300, "deny"),
        "ML-MV-BRU": (1990, nil, 140, "deny"), "ML-PC-XS-CAM": (7900, 11900, 8, "deny"),
        "ML-PC-S-CAM": (7900, 11900, 15, "deny"), "ML-PC-M-CAM": (7900, 11900, 20, "deny"),
        "ML-PC-L-CAM": (7900, 11900, 12, "deny"), "ML-PC-S-GRI": (7900, 11900, 10, "deny"),
        "ML-PC-M-GRI": (7900, 11900, 0, "deny"), "ML-PC-L-GRI": (7900, 11900, 4, "deny"),
        "ML-FS-RIV": (9500, nil, 35, "deny"), "ML-FS-JAR": (9500, nil, 22, "deny"),
        "ML-SC-NOI": (24900, nil, 14, "deny"),
        "ML-SC-COG": (24900, nil, 9, "deny"), "ML-CD-RIT": (3500, 4800, 400, "deny"),
        "ML-GC-25": (2500, nil, 0, "not_tracked"), "ML-GC-50": (5000, nil, 0, "not_tracked"),
        "ML-GC-100": (10000, nil, 0, "not_tracked"), "ML-VB-OPE": (1250, nil, 75, "deny"),
        "ML-VB-LIL": (1250, nil, 60, "deny"),
    ]

    static func products(_ client: any TestClientProtocol, brand: UUID, as caller: Caller) async throws -> [[String:
        Any]]
    {
        try await client.call(.get, "/api/brands/\(brand)/products?perPage=100", as: caller).items
    }

    @Test(arguments: TestDatabase.available)
    func sampleImportsEveryFigureAndReimportChangesNothing(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
        // MUT
        let first = try await Admin.importFile(
            store: env.store, config: env.config, path: TestEnvironment.sampleCatalog, brandID: brand.id, strict: true)
        let second = try await Admin.importFile(
            store: env.store, config: env.config, path: TestEnvironment.sampleCatalog, brandID: brand.id, strict: true)
        // validate
        #expect(first.imported && first.created == 12 && first.rejected.isEmpty)
        #expect(second.created == 0 && second.updated == 0 && second.unchanged == 12)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let products = try await Self.products(client, brand: brand.id, as: owner)
            #expect(products.count == 12)
            var seen = Set<String>()
            for product in products {
                for variant in product["variants"] as? [[String: Any]] ?? [] {
                    let sku = try #require(variant["sku"] as? String)
                    let expected = try #require(Self.sampleVariants[sku], "unexpected SKU \(sku)")
                    #expect((variant["price"] as? [String: Any])?["amount"] as? Int == expected.0, "\(sku) price")
                    #expect((variant["price"] as? [String: Any])?["currency"] as? String == "EUR")
                    #expect(
                        (variant["compareAtPrice"] as? [String: Any])?["amount"] as? Int == expected.1,
                        "\(sku) compare-at")
                    #expect(variant["inventoryQuantity"] as? Int == expected.2, "\(sku) stock")
                    #expect(variant["inventoryPolicy"] as? String == expected.3, "\(sku) policy")
                    seen.insert(sku)
                }
            }
            #expect(seen == Set(Self.sampleVariants.keys), "no variant missing or duplicated")
            let lipstick = try #require(products.first { $0["handle"] as? String == "rouge-velours" })
            #expect(lipstick["status"] as? String == "active")
            #expect(lipstick["optionNames"] as? [String] == ["Teinte"])
            let description = lipstick["descriptionHtml"] as? String ?? ""
            #expect(description.hasPrefix("<p>Un rouge mat <strong>longue tenue</strong>"))
            let images = lipstick["images"] as? [[String: Any]] ?? []
            #expect(images.count == 2)
            let url = try #require(images.first?["url"] as? String)
            #expect(url.hasPrefix("/media/"))
            let file = try await client.call(.get, url)
            #expect(file.status == .ok)
            #expect(file.body.starts(with: [0x89, 0x50, 0x4E, 0x47]), "the PNG was copied and is served")
            let draft = try #require(products.first { $0["handle"] as? String == "vernis-brillance" })
            #expect(draft["status"] as? String == "draft")
        }
    }

    @Test func reimportUpdatesByHandleAndSKU() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        let header =
            "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Variant Inventory Policy,Variant Inventory Tracker,Image Src,Status\n"
        let v1 =
            header
            + "bougie,Bougie,Parfum,Figue,BG-FIG,32.00,10,deny,shopify,https://cdn.example.com/bougie.png,active\n"
            + "bougie,,,Ambre,BG-AMB,32.00,5,deny,shopify,,\n"
        let v2 =
            header
            + "bougie,Bougie parfumée,Parfum,Figue,BG-FIG,34.00,8,deny,shopify,https://cdn.example.com/bougie.png,active\n"
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let url = "/api/brands/\(brand.id)/imports"
            let first = try await client.call(.post, url, as: owner, raw: Array(v1.utf8), contentType: "text/csv")
            #expect(first.json["created"] as? Int == 1)
            let second = try await client.call(.post, url, as: owner, raw: Array(v2.utf8), contentType: "text/csv")
            #expect(second.json["updated"] as? Int == 1)
            let products = try await Self.products(client, brand: brand.id, as: owner)
            #expect(products.count == 1)
            let product = try #require(products.first)
            #expect(product["title"] as? String == "Bougie parfumée")
            #expect(
                (product["images"] as? [[String: Any]])?.first?["url"] as? String
                    == "https://cdn.example.com/bougie.png")
            let variants = product["variants"] as? [[String: Any]] ?? []
            #expect(variants.count == 2, "a variant missing from the new file is kept")
            let fig = try #require(variants.first { $0["sku"] as? String == "BG-FIG" })
            #expect((fig["price"] as? [String: Any])?["amount"] as? Int == 3400)
            #expect(fig["inventoryQuantity"] as? Int == 8)
        }
    }

    @Test func badRowsAreReportedByLineAndStrictImportsNothing() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        let csv =
            "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n"
            + "bon,Bon produit,Title,Default Title,OK-1,10.00,3\n"
            + "mauvais,Mauvais prix,Title,Default Title,KO-1,dix euros,3\n"
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let url = "/api/brands/\(brand.id)/imports"
            let strict = try await client.call(
                .post, url + "?strict=true", as: owner, raw: Array(csv.utf8), contentType: "text/csv")
            #expect(strict.status == .ok)
            #expect(strict.json["imported"] as? Bool == false)
            let rejected = strict.json["rejected"] as? [[String: Any]] ?? []
            #expect(rejected.count == 1)
            #expect(rejected.first?["line"] as? Int == 3)
            #expect(rejected.first?["field"] as? String == "Variant Price")
            #expect(try await Self.products(client, brand: brand.id, as: owner).isEmpty, "strict: nothing written")

            let lenient = try await client.call(.post, url, as: owner, raw: Array(csv.utf8), contentType: "text/csv")
            #expect(lenient.json["imported"] as? Bool == true)
            #expect(lenient.json["created"] as? Int == 1)
            #expect(try await Self.products(client, brand: brand.id, as: owner).count == 1)

            let semicolons = "Handle;Title;Variant Price\nx;X;1.00\n"
            let wrong = try await client.call(
                .post, url, as: owner, raw: Array(semicolons.utf8), contentType: "text/csv")
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.errorCode == "invalid_csv")
            #expect(wrong.text.contains(";"))
            let latin1: [UInt8] = Array("Handle,Title,Variant Price\ncreme,Cr".utf8) + [0xE8] + Array("me,1.00\n".utf8)
            let encoding = try await client.call(.post, url, as: owner, raw: latin1, contentType: "text/csv")
            #expect(encoding.status == .unprocessableContent)
            #expect(encoding.text.contains("UTF-8"))
        }
    }
}
