import Foundation

/// The rules for what viewers write in a show's chat: length, characters, links, blocked words.
public enum ChatText {
    /// The longest chat message, in characters (grapheme clusters).
    public static let maxLength = 300
    /// The longest display name.
    public static let maxNameLength = 40
    /// What replaces a link in a message from someone who is not staff, when the brand hides links.
    public static let hiddenLink = "[link]"

    /// A message as it will be broadcast: trimmed, checked, links hidden when asked.
    /// Throws a `DomainError` whose message tells the writer what to change.
    public static func message(_ raw: String, hideLinks: Bool) throws(DomainError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw DomainError.invalid("text", "The message is empty.", code: "empty_message") }
        guard text.count <= maxLength else {
            throw DomainError.invalid(
                "text", "A message has at most \(maxLength) characters (this one has \(text.count)).",
                code: "message_too_long")
        }
        try refuseControlCharacters(text, field: "text", allowNewlines: true)
        return hideLinks ? withoutLinks(text) : text
    }

    /// A display name: 1 to 40 characters on one line.
    public static func name(_ raw: String) throws(DomainError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= maxNameLength else {
            throw DomainError.invalid(
                "name", "A display name has 1 to \(maxNameLength) characters.", code: "invalid_name")
        }
        try refuseControlCharacters(name, field: "name", allowNewlines: false)
        return name
    }

    /// Control and format characters (other than a newline in a message) are refused: they hide
    /// text, reverse it or break the layout of every other viewer's chat.
    static func refuseControlCharacters(_ text: String, field: String, allowNewlines: Bool) throws(DomainError) {
        for scalar in text.unicodeScalars {
            if allowNewlines && scalar == "\n" { continue }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                // Zero-width joiners are format characters that emoji sequences need.
                if scalar == "\u{200D}" || scalar == "\u{FE0F}" { continue }
                throw DomainError.invalid(
                    field,
                    "The \(field == "text" ? "message" : field) contains an invisible or control character "
                        + "(U+\(String(scalar.value, radix: 16, uppercase: true))).",
                    code: "control_character")
            default: continue
            }
        }
    }

    /// `text` with every web address (scheme, `www.` or a bare domain with a known ending) replaced
    /// by `[link]`.
    public static func withoutLinks(_ text: String) -> String {
        var words: [Substring] = []
        var changed = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if looksLikeLink(word) {
                words.append(Substring(hiddenLink))
                changed = true
            } else {
                words.append(word)
            }
        }
        return changed ? words.joined(separator: " ") : text
    }

    static let linkEndings: Set<String> = [
        "com", "net", "org", "fr", "eu", "io", "co", "de", "be", "ch", "it", "es", "uk", "ly", "me", "shop",
        "store", "xyz", "info", "biz", "app", "link", "site", "online", "gg", "tv",
    ]

    static func looksLikeLink(_ word: Substring) -> Bool {
        let lower = word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "()[]<>\"'.,;:!?"))
        if lower.contains("://") || lower.hasPrefix("www.") { return true }
        // A bare domain: letters, a dot, and a known ending, maybe followed by a path.
        let host = lower.split(separator: "/", maxSplits: 1).first.map(String.init) ?? lower
        let labels = host.split(separator: ".")
        guard labels.count >= 2, let last = labels.last, linkEndings.contains(String(last)) else { return false }
        return labels.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }
    }

    /// The first blocked word or phrase found in `text`, compared without case or accents and on
    /// word boundaries ("ass" blocks "ass" but not "class"). Nil when the text is clean.
    public static func blockedWord(in text: String, list: [String]) -> String? {
        guard !list.isEmpty else { return nil }
        let words = folded(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let padded = " " + words.joined(separator: " ") + " "
        for entry in list {
            let needle = folded(entry).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
            if !needle.isEmpty && padded.contains(" \(needle) ") { return entry }
        }
        return nil
    }

    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The blocked words a brand saves: one per entry, trimmed, without duplicates, at most 500.
    public static func blockedWordList(_ words: [String]) throws(DomainError) -> [String] {
        var seen = Set<String>()
        var list: [String] = []
        for word in words {
            let entry = word.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !entry.isEmpty else { continue }
            guard entry.count <= 60 else {
                throw DomainError.invalid("chatBlockedWords", "A blocked word or phrase has at most 60 characters.")
            }
            if seen.insert(folded(entry)).inserted { list.append(entry) }
        }
        guard list.count <= 500 else {
            throw DomainError.invalid("chatBlockedWords", "A brand blocks at most 500 words or phrases.")
        }
        return list
    }
}
