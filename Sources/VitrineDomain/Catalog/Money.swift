import Foundation

/// An amount in minor units (cents) of an ISO 4217 currency. Prices include VAT.
public struct Money: Sendable, Hashable, Codable {
    public var minorUnits: Int
    public var currency: String

    enum CodingKeys: String, CodingKey {
        case minorUnits = "amount"
        case currency
    }

    public init(minorUnits: Int, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Parses a decimal amount such as `24.90` or `24` into minor units (two decimals).
    /// Returns nil for anything else: no thousands separators, no signs, at most two decimals.
    public static func parseMinorUnits(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 12 else { return nil }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
            whole.allSatisfy({ $0.isASCII && $0.isNumber }), let units = Int(whole)
        else { return nil }
        var cents = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(fraction)
            else { return nil }
            cents = fraction.count == 1 ? value * 10 : value
        }
        return units * 100 + cents
    }

    /// `24.90` for 2490: the plain decimal form used in CSV files.
    public static func decimalString(minorUnits: Int) -> String {
        let sign = minorUnits < 0 ? "-" : ""
        let value = minorUnits.magnitude
        let cents = value % 100
        return "\(sign)\(value / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
