import Foundation

/// The countries a brand of this market delivers to (the European Union and its neighbours), with
/// the shape of their postal codes, so that a mistyped code is caught at checkout and not by the
/// carrier.
public enum PostalRules {
    /// A country: its ISO code, its names, and its postal code patterns ("#" a digit, "A" a letter,
    /// "?" either; anything else is itself). An empty list: no postal codes there.
    public struct Country: Sendable, Equatable, Codable {
        public var code: String
        public var nameFr: String
        public var nameEn: String
        public var patterns: [String]
    }

    public static let countries: [Country] = [
        Country(code: "FR", nameFr: "France", nameEn: "France", patterns: ["#####"]),
        Country(code: "BE", nameFr: "Belgique", nameEn: "Belgium", patterns: ["####"]),
        Country(code: "LU", nameFr: "Luxembourg", nameEn: "Luxembourg", patterns: ["####", "L-####"]),
        Country(code: "MC", nameFr: "Monaco", nameEn: "Monaco", patterns: ["980##"]),
        Country(code: "CH", nameFr: "Suisse", nameEn: "Switzerland", patterns: ["####"]),
        Country(code: "DE", nameFr: "Allemagne", nameEn: "Germany", patterns: ["#####"]),
        Country(code: "AT", nameFr: "Autriche", nameEn: "Austria", patterns: ["####"]),
        Country(code: "BG", nameFr: "Bulgarie", nameEn: "Bulgaria", patterns: ["####"]),
        Country(code: "CY", nameFr: "Chypre", nameEn: "Cyprus", patterns: ["####"]),
        Country(code: "HR", nameFr: "Croatie", nameEn: "Croatia", patterns: ["#####"]),
        Country(code: "DK", nameFr: "Danemark", nameEn: "Denmark", patterns: ["####"]),
        Country(code: "ES", nameFr: "Espagne", nameEn: "Spain", patterns: ["#####"]),
        Country(code: "EE", nameFr: "Estonie", nameEn: "Estonia", patterns: ["#####"]),
        Country(code: "FI", nameFr: "Finlande", nameEn: "Finland", patterns: ["#####"]),
        Country(code: "GR", nameFr: "Grèce", nameEn: "Greece", patterns: ["### ##", "#####"]),
        Country(code: "HU", nameFr: "Hongrie", nameEn: "Hungary", patterns: ["####"]),
        Country(code: "IE", nameFr: "Irlande", nameEn: "Ireland", patterns: ["A## ????", "A##", "D6W ????", "D6W"]),
        Country(code: "IT", nameFr: "Italie", nameEn: "Italy", patterns: ["#####"]),
        Country(code: "LV", nameFr: "Lettonie", nameEn: "Latvia", patterns: ["LV-####"]),
        Country(code: "LT", nameFr: "Lituanie", nameEn: "Lithuania", patterns: ["LT-#####", "#####"]),
        Country(code: "MT", nameFr: "Malte", nameEn: "Malta", patterns: ["AAA ####", "AAA ##"]),
        Country(code: "NL", nameFr: "Pays-Bas", nameEn: "Netherlands", patterns: ["#### AA"]),
        Country(code: "PL", nameFr: "Pologne", nameEn: "Poland", patterns: ["##-###"]),
        Country(code: "PT", nameFr: "Portugal", nameEn: "Portugal", patterns: ["####-###"]),
        Country(code: "CZ", nameFr: "Tchéquie", nameEn: "Czechia", patterns: ["### ##"]),
        Country(code: "RO", nameFr: "Roumanie", nameEn: "Romania", patterns: ["######"]),
        Country(code: "SK", nameFr: "Slovaquie", nameEn: "Slovakia", patterns: ["### ##"]),
        Country(code: "SI", nameFr: "Slovénie", nameEn: "Slovenia", patterns: ["####"]),
        Country(code: "SE", nameFr: "Suède", nameEn: "Sweden", patterns: ["### ##"]),
        Country(code: "NO", nameFr: "Norvège", nameEn: "Norway", patterns: ["####"]),
        Country(code: "IS", nameFr: "Islande", nameEn: "Iceland", patterns: ["###"]),
        Country(code: "LI", nameFr: "Liechtenstein", nameEn: "Liechtenstein", patterns: ["####"]),
        Country(code: "AD", nameFr: "Andorre", nameEn: "Andorra", patterns: ["AD###"]),
        Country(
            code: "GB", nameFr: "Royaume-Uni", nameEn: "United Kingdom",
            patterns: ["A# #AA", "A## #AA", "AA# #AA", "AA## #AA", "A#A #AA", "AA#A #AA"]),
    ]

    static let byCode = Dictionary(uniqueKeysWithValues: countries.map { ($0.code, $0) })

    public static func country(_ code: String) -> Country? { byCode[code.uppercased()] }

    /// The address trimmed, with its postal code written the way the country writes it (upper
    /// case, one space); a clear error names the field at fault.
    public static func check(_ address: PostalAddress, field: String) throws(DomainError) -> PostalAddress {
        var checked = address
        checked.line1 = try ProductRules.text(address.line1, field: field + ".line1", max: 200, required: true)
        if let line2 = address.line2 {
            let trimmed = try ProductRules.text(line2, field: field + ".line2", max: 200)
            checked.line2 = trimmed.isEmpty ? nil : trimmed
        }
        checked.city = try ProductRules.text(address.city, field: field + ".city", max: 100, required: true)
        guard let country = country(address.country) else {
            throw .invalid(
                field + ".country",
                "Delivery goes to the European Union and its neighbours; '\(String(address.country.prefix(8)))' is not one of their country codes.",
                code: "unsupported_country")
        }
        checked.country = country.code
        let written = address.postalCode.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard let code = normalized(written, patterns: country.patterns) else {
            let examples = country.patterns.map { $0.replacingOccurrences(of: "#", with: "9") }
            throw .invalid(
                field + ".postalCode",
                "'\(String(address.postalCode.prefix(12)))' is not a postal code of \(country.nameEn) (like \(examples.joined(separator: " or ")))."
            )
        }
        checked.postalCode = code
        return checked
    }

    /// The code when it fits a pattern, also when written without its space (e.g. "1012AB").
    static func normalized(_ code: String, patterns: [String]) -> String? {
        for pattern in patterns {
            if fits(code, pattern) { return code }
            if pattern.contains(" ") {
                let bare = code.replacingOccurrences(of: " ", with: "")
                if fits(bare, pattern.replacingOccurrences(of: " ", with: "")) {
                    let at = pattern.firstIndex(of: " ")!.utf16Offset(in: pattern)
                    let index = bare.index(bare.startIndex, offsetBy: at)
                    return String(bare[..<index]) + " " + String(bare[index...])
                }
            }
        }
        return nil
    }

    static func fits(_ code: String, _ pattern: String) -> Bool {
        guard code.count == pattern.count else { return false }
        return zip(code, pattern).allSatisfy { character, slot in
            switch slot {
            case "#": character.isASCII && character.isNumber
            case "A": character.isASCII && character.isLetter
            case "?": character.isASCII && (character.isLetter || character.isNumber)
            default: character == slot
            }
        }
    }
}
