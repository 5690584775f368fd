/// A light e-mail check: one `@`, a dotted domain, no spaces or control characters.
public enum EmailRules {
    public static func isValid(_ email: String) -> Bool {
        guard (3...254).contains(email.count) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return !email.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0 == "<" || $0 == ">" }
    }
}
