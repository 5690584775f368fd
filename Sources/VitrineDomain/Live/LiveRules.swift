import Foundation

/// Checks of what the show's team sends to the live room: announcements, polls, giveaways.
public enum LiveRules {
    public static func announcement(_ raw: String?) throws(DomainError) -> String {
        try text(raw, field: "text", max: 500, what: "An announcement")
    }

    /// A poll: a question and 2 to 6 distinct options.
    public static func poll(question: String?, options: [String]?) throws(DomainError) -> (String, [String]) {
        let question = try text(question, field: "question", max: 200, what: "A poll's question")
        let options = (options ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard (2...6).contains(options.count) else {
            throw .invalid("options", "A poll has 2 to 6 options.")
        }
        for (index, option) in options.enumerated() {
            _ = try text(option, field: "options[\(index)]", max: 80, what: "An option")
        }
        guard Set(options).count == options.count else {
            throw .invalid("options", "Two options of the poll are the same.")
        }
        return (question, options)
    }

    /// A giveaway: a title and the rules entrants accept (or a link to them).
    public static func giveaway(title: String?, rules: String?) throws(DomainError) -> (String, String) {
        (
            try text(title, field: "title", max: 120, what: "A giveaway's title"),
            try text(rules, field: "rules", max: 2000, what: "A giveaway's rules")
        )
    }

    /// Timeouts last from 10 seconds to a day.
    public static func timeout(_ seconds: Int?) throws(DomainError) -> Int {
        let seconds = seconds ?? 300
        guard (10...86_400).contains(seconds) else {
            throw .invalid("seconds", "A timeout lasts from 10 seconds to 86400 (a day).")
        }
        return seconds
    }

    /// Slow mode: 0 (off) to 300 seconds between two messages of a viewer.
    public static func slowMode(_ seconds: Int?) throws(DomainError) -> Int {
        guard let seconds, (0...300).contains(seconds) else {
            throw .invalid("seconds", "Slow mode takes 0 (off) to 300 seconds.")
        }
        return seconds
    }

    static func text(_ raw: String?, field: String, max: Int, what: String) throws(DomainError) -> String {
        let value = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty, value.count <= max else {
            throw .invalid(field, "\(what) has 1 to \(max) characters.")
        }
        try ChatText.refuseControlCharacters(value, field: field, allowNewlines: true)
        return value
    }
}
