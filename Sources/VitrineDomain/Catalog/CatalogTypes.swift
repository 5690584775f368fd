import Foundation

/// Whether a product is visible to viewers.
public enum ProductStatus: String, Sendable, Codable, CaseIterable {
    case active, draft, archived
}

/// What happens when a variant's stock reaches zero.
public enum InventoryPolicy: String, Sendable, Codable, CaseIterable {
    /// Never sold beyond its stock.
    case deny
    /// Backorders allowed, recorded as such.
    case `continue`
    /// Stock is not tracked at all (gift cards, services).
    case notTracked = "not_tracked"
}

/// ISO 4217 codes the catalog accepts; all have two decimals.
public enum Currency {
    public static let supported: Set<String> = [
        "EUR", "GBP", "CHF", "USD", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF", "RON", "BGN", "CAD", "AUD",
    ]
}

/// A product handle: lower-case letters, digits and dashes, as Shopify uses.
public enum Handle {
    public static func isValid(_ handle: String) -> Bool {
        guard (1...255).contains(handle.count), handle.first != "-" else { return false }
        return handle.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
    }

    /// Makes a handle out of a title: `Pull Cachemire Éloïse` → `pull-cachemire-eloise`.
    public static func from(title: String) -> String {
        var out = ""
        var lastDash = true
        for scalar in title.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastDash = false
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else if !lastDash {
                out.append("-")
                lastDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "product" : String(out.prefix(200))
    }
}
