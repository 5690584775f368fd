import Foundation
import Testing

@testable import VitrineDomain

@Suite struct ShopifyCSVSampleTests {
    /// /work/main/Tests/VitrineDomainTests/<this file> → /work/shared/data/catalog/…
    static let sampleURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data/catalog/maison-lumiere-products.csv").standardizedFileURL

    struct V: Equatable {
        var sku: String, options: [String], price: Int, compareAt: Int?, quantity: Int, policy: InventoryPolicy
        init(
            _ sku: String, _ options: [String], _ price: Int, _ compareAt: Int?, _ quantity: Int,
            _ policy: InventoryPolicy = .deny
        ) {
            (self.sku, self.options, self.price, self.compareAt, self.quantity, self.policy) = (
                sku, options, price, compareAt, quantity, policy
            )
        }
    }
    struct P: Equatable {
        var handle: String, title: String, status: ProductStatus, optionNames: [String], variants: [V]
    }

    static let expected: [P] = [
        P(
            handle: "rouge-velours", title: "Rouge à lèvres Velours", status: .active, optionNames: ["Teinte"],
            variants: [
                V("ML-RV-CER", ["Cerise"], 2490, 2990, 120), V("ML-RV-NUD", ["Nude rosé"], 2490, 2990, 85),
                V("ML-RV-BOR", ["Bordeaux"], 2490, nil, 0),
            ]),
        P(
            handle: "serum-eclat", title: "Sérum Éclat à la vitamine C", status: .active, optionNames: ["Contenance"],
            variants: [
                V("ML-SE-30", ["30 ml"], 3900, nil, 240), V("ML-SE-50", ["50 ml"], 5400, nil, 150),
            ]),
        P(
            handle: "creme-nuit", title: "Crème de nuit Réparatrice", status: .active, optionNames: [],
            variants: [
                V("ML-CN-50", [], 4650, nil, 60)
            ]),
        P(
            handle: "palette-ombres", title: "Palette Ombres « Soir de Paris »", status: .active, optionNames: [],
            variants: [
                V("ML-PO-SDP", [], 4900, 5900, 500)
            ]),
        P(
            handle: "parfum-jardin", title: "Eau de parfum Jardin d'Hiver", status: .active,
            optionNames: ["Contenance"],
            variants: [
                V("ML-PJ-50", ["50 ml"], 7900, nil, 150_000), V("ML-PJ-100", ["100 ml"], 11200, nil, 2000),
            ]),
        P(
            handle: "mascara-volume", title: "Mascara Volume Extrême", status: .active, optionNames: ["Teinte"],
            variants: [
                V("ML-MV-NOI", ["Noir"], 1990, nil, 300), V("ML-MV-BRU", ["Brun"], 1990, nil, 140),
            ]),
        P(
            handle: "pull-cachemire", title: "Pull col rond en cachemire", status: .active,
            optionNames: ["Taille", "Couleur"],
            variants: [
                V("ML-PC-XS-CAM", ["XS", "Camel"], 7900, 11900, 8), V("ML-PC-S-CAM", ["S", "Camel"], 7900, 11900, 15),
                V("ML-PC-M-CAM", ["M", "Camel"], 7900, 11900, 20), V("ML-PC-L-CAM", ["L", "Camel"], 7900, 11900, 12),
                V("ML-PC-S-GRI", ["S", "Gris chiné"], 7900, 11900, 10),
                V("ML-PC-M-GRI", ["M", "Gris chiné"], 7900, 11900, 0),
                V("ML-PC-L-GRI", ["L", "Gris chiné"], 7900, 11900, 4),
            ]),
        P(
            handle: "foulard-soie", title: "Foulard en soie imprimé", status: .active, optionNames: ["Motif"],
            variants: [
                V("ML-FS-RIV", ["Rivages"], 9500, nil, 35), V("ML-FS-JAR", ["Jardin"], 9500, nil, 22),
            ]),
        P(
            handle: "sac-cabas", title: "Sac cabas en cuir grainé", status: .active, optionNames: ["Couleur"],
            variants: [
                V("ML-SC-NOI", ["Noir"], 24900, nil, 14), V("ML-SC-COG", ["Cognac"], 24900, nil, 9),
            ]),
        P(
            handle: "coffret-decouverte", title: "Coffret découverte « Rituel »", status: .active, optionNames: [],
            variants: [
                V("ML-CD-RIT", [], 3500, 4800, 400)
            ]),
        P(
            handle: "carte-cadeau", title: "Carte cadeau", status: .active, optionNames: ["Montant"],
            variants: [
                V("ML-GC-25", ["25 €"], 2500, nil, 0, .notTracked), V("ML-GC-50", ["50 €"], 5000, nil, 0, .notTracked),
                V("ML-GC-100", ["100 €"], 10000, nil, 0, .notTracked),
            ]),
        P(
            handle: "vernis-brillance", title: "Vernis Brillance", status: .draft, optionNames: ["Teinte"],
            variants: [
                V("ML-VB-OPE", ["Rouge Opéra"], 1250, nil, 75), V("ML-VB-LIL", ["Lilas"], 1250, nil, 60),
            ]),
    ]

    func sample() throws -> ShopifyImport {
        try ShopifyCSV.parse(Array(try Data(contentsOf: Self.sampleURL)))
    }

    @Test func importsEveryProductAndVariantOfTheSample() throws {
        let result = try sample()
        #expect(result.errors == [])
        #expect(result.rowCount == 29)
        #expect(result.products.count == 12)
        let actual = result.products.map { product in
            P(
                handle: product.handle, title: product.title, status: product.status, optionNames: product.optionNames,
                variants: product.variants.map {
                    V(
                        $0.sku ?? "", $0.options, $0.priceMinorUnits, $0.compareAtMinorUnits, $0.inventoryQuantity,
                        $0.inventoryPolicy)
                })
        }
        for (got, want) in zip(actual, Self.expected) { #expect(got == want) }
        #expect(actual.map(\.handle) == Self.expected.map(\.handle))
    }

    @Test func readsProductColumnsImagesAndLines() throws {
        let products = try sample().products
        let rouge = try #require(products.first)
        #expect(rouge.line == 2)
        #expect(rouge.variants.map(\.line) == [2, 3, 4])
        #expect(rouge.vendor == "Maison Lumière")
        #expect(rouge.productType == "Rouge à lèvres")
        #expect(rouge.tags == ["maquillage", "lèvres", "best-seller"])
        #expect(rouge.descriptionHTML.hasPrefix("<p>Un rouge mat <strong>longue tenue</strong>"))
        #expect(
            rouge.images == [
                ImageDraft(
                    src: "images/rouge-velours-1.png", position: 1, alt: "Rouge à lèvres Velours, teinte Cerise"),
                ImageDraft(src: "images/rouge-velours-2.png", position: 2, alt: "Rouge à lèvres Velours, étui doré"),
            ])
        let first = rouge.variants[0]
        #expect(first.barcode == "3760123450011" && first.grams == 12 && first.requiresShipping && first.taxable)
        let palette = try #require(products.first { $0.handle == "palette-ombres" })
        #expect(palette.images.map(\.src) == ["images/palette-ombres-1.png", "images/palette-ombres-2.png"])
        #expect(palette.variants.count == 1)
        let gift = try #require(products.first { $0.handle == "carte-cadeau" })
        #expect(gift.isGiftCard && !gift.variants[0].requiresShipping && gift.variants[0].barcode == nil)
        #expect(products.filter(\.isGiftCard).count == 1)
    }
}

@Suite struct ShopifyCSVErrorTests {
    static let header =
        "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Tracker,"
        + "Variant Inventory Qty,Variant Inventory Policy,Image Src,Status"

    func parse(_ rows: [String]) throws -> ShopifyImport {
        try ShopifyCSV.parse(Array(([Self.header] + rows).joined(separator: "\n").utf8))
    }

    func fileError(_ text: String) -> CSVFileError? {
        do {
            _ = try ShopifyCSV.parse(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func badPriceIsReportedOnItsLine() throws {
        let result = try parse([
            "gloss,Gloss,Teinte,Rose,G-1,12.00,shopify,5,deny,,active",
            "gloss,,,Pêche,G-2,\"12,50\",shopify,5,deny,,",
        ])
        #expect(result.errors.count == 1)
        let error = try #require(result.errors.first)
        #expect(error.line == 3 && error.field == "Variant Price")
        #expect(error.message.contains("'12,50'"))
        #expect(result.products.first?.variants.map(\.sku) == ["G-1"])
    }

    @Test func semicolonAndTabFilesAreRejectedWhole() {
        let semicolon = fileError("Handle;Title;Variant Price\ngloss;Gloss;12,00\n")
        #expect(
            semicolon == CSVFileError(message: "the file uses ';' as delimiter; Shopify's format uses ','", line: 1))
        #expect(fileError("Handle\tTitle\ngloss\tGloss\n")?.message.contains("a tab") == true)
        #expect(fileError("Title,Price\nGloss,12.00\n")?.message.contains("'Handle'") == true)
        #expect(fileError("")?.message == "the file is empty")
    }

    @Test func quotedNewlineShiftsLaterLineNumbers() throws {
        let result = try parse([
            "gloss,\"Gloss\nbrillant\",Teinte,Rose,G-1,12.00,shopify,5,deny,,active",
            "gloss,,,Pêche,G-2,douze,shopify,5,deny,,",
        ])
        #expect(result.products.first?.title == "Gloss\nbrillant")
        #expect(result.errors.map(\.line) == [4])
    }

    @Test func duplicateSKURejectsTheSecondRow() throws {
        let result = try parse([
            "gloss,Gloss,Teinte,Rose,G-1,12.00,shopify,5,deny,,active",
            "gloss,,,Pêche,G-1,12.00,shopify,5,deny,,",
        ])
        #expect(
            result.errors == [
                ImportRowError(line: 3, field: "Variant SKU", message: "the SKU 'G-1' is already used on line 2")
            ])
        #expect(result.products.first?.variants.count == 1)
    }

    @Test func rejectedProductRowRejectsItsWholeHandle() throws {
        let result = try parse([
            "gloss,,Teinte,Rose,G-1,12.00,shopify,5,deny,,active",
            "gloss,,,Pêche,G-2,12.00,shopify,5,deny,,",
            "Bad Handle,Bad,Title,Default Title,B-1,1.00,,,,,",
            "ok,OK,Title,Default Title,O-1,1.00,shopify,x,sometimes,,published",
        ])
        #expect(result.products.isEmpty)
        #expect(result.errors.map(\.line) == [2, 3, 4, 5, 5, 5])
        #expect(result.errors[0].field == "Title")
        #expect(result.errors[1].message == "product row at line 2 was rejected")
        #expect(result.errors[2].field == "Handle")
        #expect(result.errors[3...].map(\.field) == ["Status", "Variant Inventory Qty", "Variant Inventory Policy"])
    }

    @Test func rowRulesOnContinuationRows() throws {
        let result = try parse([
            "gloss,Gloss,Teinte,Rose,G-1,12.00,shopify,5,continue,images/a.png,",
            "gloss,,,,G-2,12.00,shopify,5,deny,,",
            "gloss,,,Pêche,G-3,12.00,shopify,5,deny",
            "other,Other,Title,Default Title,O-1,3.00,,,,https://cdn.example.com/o.png,draft",
            "gloss,,,Prune,G-4,12.00,shopify,5,deny,,",
            ",,,,,,,,,,",
            ",Orphan,,,,,,,,,",
            "gloss,,,,,,,,,images/b.png,",
        ])
        #expect(result.errors.map(\.line) == [3, 4, 6, 8, 9])
        #expect(result.errors[0].field == "Option1 Value")
        #expect(result.errors[1].message == "the row has 9 columns but the header has 11")
        #expect(result.errors[2].message == "rows of handle gloss must be contiguous")
        #expect(result.errors[3].field == "Handle")
        #expect(result.rowCount == 7)
        let gloss = try #require(result.products.first)
        #expect(gloss.status == .draft)
        #expect(gloss.variants.map(\.inventoryPolicy) == [.continue])
        #expect(gloss.images.map(\.src) == ["images/a.png"])
        #expect(result.products.last?.images.first?.src == "https://cdn.example.com/o.png")
        #expect(result.products.last?.variants.first?.inventoryPolicy == .notTracked)
    }

    @Test func productWhoseEveryVariantWasRejectedIsDropped() throws {
        let result = try parse([
            "gloss,Gloss,Teinte,,,,,,,images/a.png,active",
            "gloss,,,Rose,G-1,gratuit,shopify,5,deny,,",
            "ok,OK,Title,Default Title,O-1,1.00,shopify,1,deny,,active",
        ])
        #expect(result.products.map(\.handle) == ["ok"])
        #expect(result.errors.map(\.line) == [2, 3])
        #expect(result.errors[0].message.contains("gloss"))
    }
}
