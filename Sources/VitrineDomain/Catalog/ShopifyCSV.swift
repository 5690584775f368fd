import Foundation

/// One rejected row: the physical line where its record starts (the header is line 1).
public struct ImportRowError: Equatable, Sendable, Codable {
    public var line: Int
    public var field: String?
    public var message: String

    public init(line: Int, field: String?, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }
}

/// A product image as the file gives it: a relative path or an absolute URL.
public struct ImageDraft: Equatable, Sendable {
    public var src: String
    public var position: Int
    public var alt: String?

    public init(src: String, position: Int, alt: String?) {
        self.src = src
        self.position = position
        self.alt = alt
    }
}

/// A variant read from one row; `options` has one value per option name of its product.
public struct VariantDraft: Equatable, Sendable {
    public var line: Int
    public var sku: String?
    public var options: [String]
    public var priceMinorUnits: Int
    public var compareAtMinorUnits: Int?
    public var barcode: String?
    public var inventoryPolicy: InventoryPolicy
    public var inventoryQuantity: Int
    public var grams: Int?
    public var requiresShipping: Bool
    public var taxable: Bool
    public var imageSrc: String?
}

/// A product read from the rows of one handle; `descriptionHTML` is raw, the caller sanitises it.
public struct ProductDraft: Equatable, Sendable {
    public var line: Int
    public var handle: String
    public var title: String
    public var descriptionHTML: String
    public var vendor: String
    public var productType: String
    public var tags: [String]
    public var status: ProductStatus
    public var isGiftCard: Bool
    public var optionNames: [String]
    public var images: [ImageDraft]
    public var variants: [VariantDraft]
}

/// What a Shopify export holds: the products that can be imported and the rows that cannot.
/// `rowCount` counts the data rows (not the header, not blank rows).
public struct ShopifyImport: Sendable {
    public var products: [ProductDraft]
    public var errors: [ImportRowError]
    public var rowCount: Int
}

/// Shopify's product CSV export: one row per variant or extra image, rows of a product share
/// its `Handle`, and the product columns are only on its first row.
public enum ShopifyCSV {
    /// Parses a whole export. Throws CSVFileError for problems of the whole file; row problems land in `errors`.
    public static func parse(_ data: [UInt8]) throws(CSVFileError) -> ShopifyImport {
        let records = try CSVReader.read(data)
        let header = records[0].fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard header.contains("handle") else {
            let text = records[0].fields.joined(separator: ",")
            for (symbol, name) in [(";", "';'"), ("\t", "a tab")] where text.contains(symbol) {
                throw CSVFileError(message: "the file uses \(name) as delimiter; Shopify's format uses ','", line: 1)
            }
            throw CSVFileError(
                message: "the header has no 'Handle' column; the first line must be Shopify's column names", line: 1)
        }
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() where columns[name] == nil { columns[name] = index }
        var builder = Builder(columns: columns, width: header.count)
        for record in records.dropFirst() { builder.add(record) }
        return builder.finish()
    }

    /// One data row, its columns found by header name (unknown columns are ignored).
    struct Row {
        let fields: [String]
        let columns: [String: Int]
        let line: Int

        func raw(_ name: String) -> String { columns[name.lowercased()].map { fields[$0] } ?? "" }
        subscript(_ name: String) -> String { raw(name).trimmingCharacters(in: .whitespacesAndNewlines) }
        var optionValues: [String] { (1...3).map { self["Option\($0) Value"] } }
        var hasVariant: Bool {
            !self["Variant SKU"].isEmpty || !self["Variant Price"].isEmpty || optionValues.contains { !$0.isEmpty }
        }

        func bool(_ column: String, default fallback: Bool, _ problems: inout Problems) -> Bool {
            switch self[column].lowercased() {
            case "": return fallback
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default:
                problems.add(column, "'\(self[column])' is not TRUE or FALSE")
                return fallback
            }
        }
    }

    /// The problems found on one row.
    struct Problems {
        let line: Int
        var list: [ImportRowError] = []

        mutating func add(_ field: String?, _ message: String) {
            list.append(ImportRowError(line: line, field: field, message: message))
        }
    }

    struct Builder {
        let columns: [String: Int]
        let width: Int
        var products: [ProductDraft] = []
        var productIndex: [String: Int] = [:]
        var rejectedHandles: [String: Int] = [:]
        var currentHandle: String?
        var skuLines: [String: Int] = [:]
        var errors: [ImportRowError] = []
        var rowCount = 0

        mutating func add(_ record: CSVRecord) {
            // Spreadsheets leave rows of bare commas behind; they hold nothing to import.
            guard record.fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return }
            rowCount += 1
            var problems = Problems(line: record.line)
            defer { errors += problems.list }
            let handleIndex = columns["handle"]!
            let handle =
                handleIndex < record.fields.count ? record.fields[handleIndex].trimmingCharacters(in: .whitespaces) : ""
            let isNew = productIndex[handle] == nil && rejectedHandles[handle] == nil
            guard record.fields.count == width, Handle.isValid(handle) else {
                if record.fields.count != width {
                    problems.add(nil, "the row has \(record.fields.count) columns but the header has \(width)")
                } else if handle.isEmpty {
                    problems.add("Handle", "the Handle is empty")
                } else {
                    problems.add(
                        "Handle",
                        "the handle '\(handle)' is not valid: use lower-case letters, digits and dashes, "
                            + "e.g. '\(Handle.from(title: handle))'")
                }
                if isNew && !handle.isEmpty { reject(handle, record.line) }
                return
            }
            if !isNew && handle != currentHandle {
                return problems.add("Handle", "rows of handle \(handle) must be contiguous")
            }
            currentHandle = handle
            if let productLine = rejectedHandles[handle] {
                return problems.add(nil, "product row at line \(productLine) was rejected")
            }
            let row = Row(fields: record.fields, columns: columns, line: record.line)
            guard let index = productIndex[handle] else { return addFirst(row, handle: handle, &problems) }
            let variant =
                row.hasVariant ? parseVariant(row, optionNames: products[index].optionNames, &problems) : nil
            guard problems.list.isEmpty else { return }
            if let sku = variant?.sku { skuLines[sku] = row.line }
            Self.accept(variant, image: row, into: &products[index])
        }

        mutating func addFirst(_ row: Row, handle: String, _ problems: inout Problems) {
            let title = row["Title"]
            if title.isEmpty { problems.add("Title", "the first row of handle \(handle) has no Title") }
            var names = (1...3).map { row["Option\($0) Name"] }
            while names.last == "" { names.removeLast() }
            if names.contains("") { problems.add("Option1 Name", "option names must be given in order, without gaps") }
            if names == ["Title"] && row["Option1 Value"] == "Default Title" { names = [] }
            var status: ProductStatus = row.bool("Published", default: false, &problems) ? .active : .draft
            if !row["Status"].isEmpty {
                if let given = ProductStatus(rawValue: row["Status"].lowercased()) {
                    status = given
                } else {
                    problems.add("Status", "the status '\(row["Status"])' is not active, draft or archived")
                }
            }
            let tags = row["Tags"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var product = ProductDraft(
                line: row.line, handle: handle, title: title, descriptionHTML: row.raw("Body (HTML)"),
                vendor: row["Vendor"], productType: row["Type"], tags: tags.filter { !$0.isEmpty }, status: status,
                isGiftCard: row.bool("Gift Card", default: false, &problems), optionNames: names, images: [],
                variants: [])
            let variant = row.hasVariant ? parseVariant(row, optionNames: names, &problems) : nil
            guard problems.list.isEmpty else { return reject(handle, row.line) }
            if let sku = variant?.sku { skuLines[sku] = row.line }
            Self.accept(variant, image: row, into: &product)
            productIndex[handle] = products.count
            products.append(product)
        }

        static func accept(_ variant: VariantDraft?, image row: Row, into product: inout ProductDraft) {
            if let variant { product.variants.append(variant) }
            let src = row["Image Src"]
            guard !src.isEmpty, !product.images.contains(where: { $0.src == src }) else { return }
            let position = Int(row["Image Position"]) ?? ((product.images.map(\.position).max() ?? 0) + 1)
            let alt = row["Image Alt Text"]
            product.images.append(ImageDraft(src: src, position: position, alt: alt.isEmpty ? nil : alt))
            product.images.sort { $0.position < $1.position }
        }

        /// The variant of a row, or nil with the row's problems added.
        func parseVariant(_ row: Row, optionNames: [String], _ problems: inout Problems) -> VariantDraft? {
            let before = problems.list.count
            var values = row.optionValues
            if optionNames.isEmpty && values == ["Default Title", "", ""] { values = ["", "", ""] }
            let count = optionNames.count
            if let bad = values.indices.first(where: { values[$0].isEmpty == ($0 < count) }) {
                let given = values.filter { !$0.isEmpty }.count
                problems.add(
                    "Option\(bad + 1) Value",
                    "the row has \(given) option value(s) but the product has \(count) option(s)"
                        + (optionNames.isEmpty ? "" : " (\(optionNames.joined(separator: ", ")))"))
            }
            let sku = row["Variant SKU"]
            if let line = skuLines[sku], !sku.isEmpty {
                problems.add("Variant SKU", "the SKU '\(sku)' is already used on line \(line)")
            }
            let priceText = row["Variant Price"]
            let price = Money.parseMinorUnits(priceText)
            if price == nil {
                problems.add(
                    "Variant Price",
                    priceText.isEmpty
                        ? "the price is empty"
                        : "the price '\(priceText)' is not an amount like 24.90 (a dot for decimals, no currency sign)")
            }
            let compareText = row["Variant Compare At Price"]
            let compareAt = Money.parseMinorUnits(compareText)
            if compareAt == nil && !compareText.isEmpty {
                problems.add(
                    "Variant Compare At Price", "the compare-at price '\(compareText)' is not an amount like 29.90")
            }
            let quantityText = row["Variant Inventory Qty"]
            let quantity = quantityText.isEmpty ? 0 : Int(quantityText)
            if quantity == nil {
                problems.add("Variant Inventory Qty", "the quantity '\(quantityText)' is not a whole number")
            }
            let policyText = row["Variant Inventory Policy"]
            var policy = InventoryPolicy.deny
            switch policyText.lowercased() {
            case "", "deny": break
            case "continue": policy = .continue
            default:
                problems.add("Variant Inventory Policy", "the inventory policy '\(policyText)' is not deny or continue")
            }
            if row["Variant Inventory Tracker"].isEmpty { policy = .notTracked }
            let gramsText = row["Variant Grams"]
            let grams =
                gramsText.isEmpty
                ? nil
                : Int(gramsText)
                    ?? Double(gramsText).flatMap { $0.isFinite && $0.magnitude < 1e9 ? Int($0.rounded()) : nil }
            if grams == nil && !gramsText.isEmpty {
                problems.add("Variant Grams", "the weight '\(gramsText)' is not a number of grams")
            }
            let requiresShipping = row.bool("Variant Requires Shipping", default: true, &problems)
            let taxable = row.bool("Variant Taxable", default: true, &problems)
            guard problems.list.count == before, let price, let quantity else { return nil }
            let barcode = row["Variant Barcode"], image = row["Variant Image"]
            return VariantDraft(
                line: row.line, sku: sku.isEmpty ? nil : sku, options: Array(values.prefix(count)),
                priceMinorUnits: price,
                compareAtMinorUnits: compareAt, barcode: barcode.isEmpty ? nil : barcode, inventoryPolicy: policy,
                inventoryQuantity: quantity, grams: grams, requiresShipping: requiresShipping, taxable: taxable,
                imageSrc: image.isEmpty ? nil : image)
        }

        mutating func reject(_ handle: String, _ line: Int) {
            rejectedHandles[handle] = line
            currentHandle = handle
        }

        func finish() -> ShopifyImport {
            var errors = errors
            for product in products where product.variants.isEmpty {
                errors.append(
                    ImportRowError(
                        line: product.line, field: nil,
                        message: "product \(product.handle) was not imported: it has no valid variant row"))
            }
            // Stable: a row's own problems stay in the order they were found.
            let sorted = errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            return ShopifyImport(
                products: products.filter { !$0.variants.isEmpty }, errors: sorted.map(\.element), rowCount: rowCount)
        }
    }
}
