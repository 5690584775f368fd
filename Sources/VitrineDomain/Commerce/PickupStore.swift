import Foundation

// The brand's stores where buyers may pick their order up: name, address, opening hours.

/// Opening hours of one day: `opens` to `closes`, 24-hour "HH:MM" local time. A day may have two
/// ranges (a lunch break); a day without any is closed.
public struct OpeningHours: Sendable, Codable, Equatable, Hashable {
    public enum Day: String, Sendable, Codable, CaseIterable {
        case mon, tue, wed, thu, fri, sat, sun
    }

    public var day: Day
    public var opens: String
    public var closes: String

    public init(day: Day, opens: String, closes: String) {
        self.day = day
        self.opens = opens
        self.closes = closes
    }
}

public struct PickupStore: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var address: PostalAddress
    public var openingHours: [OpeningHours]
    /// Off: buyers no longer see it (orders that name it keep it).
    public var active: Bool

    public init(id: UUID, name: String, address: PostalAddress, openingHours: [OpeningHours], active: Bool) {
        self.id = id
        self.name = name
        self.address = address
        self.openingHours = openingHours
        self.active = active
    }
}

/// A store as the team writes it (create: name and address required; change: fields sent).
public struct PickupStoreInput: Sendable, Codable, Equatable {
    public var name: String?
    public var address: PostalAddress?
    public var openingHours: [OpeningHours]?
    public var active: Bool?

    public init(
        name: String? = nil, address: PostalAddress? = nil, openingHours: [OpeningHours]? = nil, active: Bool? = nil
    ) {
        self.name = name
        self.address = address
        self.openingHours = openingHours
        self.active = active
    }
}

public enum PickupStoreRules {
    public static func apply(_ input: PickupStoreInput, to current: PickupStore?, id: UUID) throws(DomainError)
        -> PickupStore
    {
        var store =
            current
            ?? PickupStore(
                id: id, name: "", address: PostalAddress(line1: "", postalCode: "", city: "", country: "FR"),
                openingHours: [], active: true)
        if let name = input.name { store.name = try ProductRules.text(name, field: "name", max: 80, required: true) }
        if current == nil && input.name == nil {
            throw .invalid("name", "A store needs a name.", code: "missing_field")
        }
        if let address = input.address {
            store.address = try PostalRules.check(address, field: "address")
        } else if current == nil {
            throw .invalid("address", "A store needs an address.", code: "missing_field")
        }
        if let hours = input.openingHours {
            guard Dictionary(grouping: hours, by: \.day).values.allSatisfy({ $0.count <= 2 }) else {
                throw .invalid("openingHours", "At most two ranges a day.")
            }
            for (index, range) in hours.enumerated() {
                guard let opens = minutes(range.opens), let closes = minutes(range.closes), opens < closes else {
                    throw .invalid(
                        "openingHours[\(index)]", "Hours are \"HH:MM\", 24-hour, and a store closes after it opens.")
                }
            }
            store.openingHours = hours.sorted {
                let days = OpeningHours.Day.allCases
                return ($0.day == $1.day)
                    ? $0.opens < $1.opens : days.firstIndex(of: $0.day)! < days.firstIndex(of: $1.day)!
            }
        }
        if let active = input.active { store.active = active }
        return store
    }

    /// "HH:MM" → minutes since midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            text.allSatisfy({ $0 == ":" || ("0"..."9").contains($0) }), let hours = Int(parts[0]),
            let minutes = Int(parts[1]), (0...24).contains(hours), (0...59).contains(minutes),
            hours * 60 + minutes <= 1440
        else { return nil }
        return hours * 60 + minutes
    }
}
