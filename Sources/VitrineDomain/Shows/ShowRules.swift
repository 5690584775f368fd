import Foundation

/// A show as a client sends it; absent fields keep their value (patch) or take defaults (create).
public struct ShowInput: Sendable, Codable, Equatable {
    public var title: String?
    public var description: String?
    public var coverUrl: String?
    public var language: String?
    public var scheduledStart: Date?
    public var durationMinutes: Int?
    public var format: ShowFormat?
    public var accessCode: String?
    public var orientation: Orientation?
    public var autoPublishReplay: Bool?
    public var hosts: [UUID]?
    public var lineup: [LineupInput]?

    public init(title: String? = nil) { self.title = title }
}

/// One lineup entry as a client sends it: the product, and optionally a show price and a note.
public struct LineupInput: Sendable, Codable, Equatable {
    public var productId: UUID
    public var showPrice: Money?
    public var note: String?

    public init(productId: UUID, showPrice: Money? = nil, note: String? = nil) {
        self.productId = productId
        self.showPrice = showPrice
        self.note = note
    }
}

/// What the show rules need to know about the brand: its products, members and currency.
public struct ShowContext: Sendable {
    public var currency: String
    public var productIds: Set<UUID>
    public var memberIds: Set<UUID>
    public var now: Date

    public init(currency: String, productIds: Set<UUID>, memberIds: Set<UUID>, now: Date) {
        self.currency = currency
        self.productIds = productIds
        self.memberIds = memberIds
        self.now = now
    }
}

/// Validation of show details, shared by single shows and series.
public enum ShowRules {
    public static let durations = 5...600
    public static let maxLineup = 100

    /// Applies `input` over `show`, or names the first field at fault.
    public static func apply(_ input: ShowInput, to show: Show, context: ShowContext) throws(DomainError) -> Show {
        var show = show
        if let title = input.title {
            show.title = try ProductRules.text(title, field: "title", max: 200, required: true)
        }
        if let description = input.description {
            guard description.count <= 5000 else { throw .invalid("description", "At most 5000 characters.") }
            show.description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let cover = input.coverUrl {
            let trimmed = cover.trimmingCharacters(in: .whitespaces)
            guard trimmed.isEmpty || URLRules.isWebURL(trimmed) || trimmed.hasPrefix("/media/") else {
                throw .invalid("coverUrl", "The cover must be an http(s) URL.")
            }
            show.coverUrl = trimmed.isEmpty ? nil : trimmed
        }
        if let language = input.language {
            guard BrandRules.languages.contains(language) else {
                throw .invalid("language", "Unsupported language '\(language)'.")
            }
            show.language = language
        }
        if let start = input.scheduledStart {
            guard start > context.now else { throw .invalid("scheduledStart", "The start time must be in the future.") }
            show.scheduledStart = start
        }
        if let minutes = input.durationMinutes {
            guard durations.contains(minutes) else {
                throw .invalid(
                    "durationMinutes", "A show lasts \(durations.lowerBound) to \(durations.upperBound) minutes.")
            }
            show.durationMinutes = minutes
        }
        if let format = input.format {
            show.format = format
            if format == .public { show.accessCode = nil }
        }
        if let code = input.accessCode {
            let trimmed = code.trimmingCharacters(in: .whitespaces)
            guard
                trimmed.isEmpty
                    || (4...40).contains(trimmed.count)
                        && trimmed.unicodeScalars.allSatisfy({
                            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                                || $0 == "-"
                        })
            else { throw .invalid("accessCode", "The access code has 4 to 40 letters, digits or dashes.") }
            show.accessCode = trimmed.isEmpty ? nil : trimmed
        }
        if let orientation = input.orientation { show.orientation = orientation }
        if let auto = input.autoPublishReplay { show.autoPublishReplay = auto }
        if let hosts = input.hosts {
            for (index, host) in hosts.enumerated() where !context.memberIds.contains(host) {
                throw .invalid("hosts[\(index)]", "Not a member of this brand.")
            }
            show.hosts = Array(uniqued(hosts))
        }
        if let lineup = input.lineup { show.lineup = try Self.lineup(lineup, context: context) }
        return show
    }

    static func lineup(_ items: [LineupInput], context: ShowContext) throws(DomainError) -> [LineupItem] {
        guard items.count <= maxLineup else { throw .invalid("lineup", "A lineup has at most \(maxLineup) products.") }
        var seen = Set<UUID>()
        return try items.enumerated().map { index, item throws(DomainError) in
            guard context.productIds.contains(item.productId) else {
                throw .invalid("lineup[\(index)].productId", "Not a product of this brand.")
            }
            guard seen.insert(item.productId).inserted else {
                throw .invalid("lineup[\(index)].productId", "This product is already in the lineup.")
            }
            let price = try item.showPrice.map { price throws(DomainError) in
                try ProductRules.money(price, field: "lineup[\(index)].showPrice", currency: context.currency)
            }
            let note = try item.note.map { note throws(DomainError) in
                try ProductRules.text(note, field: "lineup[\(index)].note", max: 500)
            }
            return LineupItem(productId: item.productId, position: index + 1, showPrice: price, note: note)
        }
    }

    /// Two shows overlap when their time ranges intersect.
    public static func overlaps(_ a: Show, _ b: Show) -> Bool {
        guard let startA = a.scheduledStart, let startB = b.scheduledStart else { return false }
        let endA = startA.addingTimeInterval(Double(a.durationMinutes) * 60)
        let endB = startB.addingTimeInterval(Double(b.durationMinutes) * 60)
        return startA < endB && startB < endA
    }
}

/// Keeps the first of each element, in order.
private func uniqued<T: Hashable>(_ items: [T]) -> [T] {
    var seen = Set<T>()
    return items.filter { seen.insert($0).inserted }
}
