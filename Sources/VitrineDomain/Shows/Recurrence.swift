import Foundation

/// A weekly rule: on these weekdays, at this local time, in this time zone ("every Thursday at 19:00, Paris").
///
/// Occurrences keep the local wall-clock time across daylight-saving changes: 19:00 in Paris is 18:00Z in
/// winter (UTC+1) and 17:00Z in summer (UTC+2). Two edge cases are settled once and for all:
/// - a local time that does not exist (spring-forward gap, e.g. 02:30 on the last Sunday of March in Paris)
///   moves to the first valid instant after the gap (03:00 local);
/// - a local time that exists twice (fall-back overlap, e.g. 02:30 on the last Sunday of October in Paris)
///   takes the FIRST of the two instants (still on summer time).
public struct WeeklyRule: Sendable, Codable, Equatable {
    /// ISO weekdays: 1 = Monday … 7 = Sunday; at least one, no duplicates (kept sorted).
    public var weekdays: [Int]
    /// Local hour, 0...23.
    public var hour: Int
    /// Local minute, 0...59.
    public var minute: Int
    /// IANA time zone name, e.g. "Europe/Paris".
    public var timeZone: String

    /// Validates and builds a rule; weekdays are stored sorted.
    /// Throws `DomainError.invalid` on the field at fault: "weekdays", "hour", "minute" or "timeZone".
    public init(weekdays: [Int], hour: Int, minute: Int, timeZone: String) throws(DomainError) {
        guard !weekdays.isEmpty else { throw .invalid("weekdays", "Pick at least one day of the week.") }
        guard weekdays.allSatisfy({ (1...7).contains($0) }) else {
            throw .invalid("weekdays", "Days of the week go from 1 (Monday) to 7 (Sunday).")
        }
        guard Set(weekdays).count == weekdays.count else {
            throw .invalid("weekdays", "Each day of the week may appear only once.")
        }
        guard (0...23).contains(hour) else { throw .invalid("hour", "The hour goes from 0 to 23.") }
        guard (0...59).contains(minute) else { throw .invalid("minute", "The minute goes from 0 to 59.") }
        guard TimeZone(identifier: timeZone) != nil else {
            throw .invalid("timeZone", "Unknown time zone; use an IANA name such as Europe/Paris.")
        }
        self.weekdays = weekdays.sorted()
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    private enum CodingKeys: String, CodingKey { case weekdays, hour, minute, timeZone }

    /// Decodes and validates like `init(weekdays:hour:minute:timeZone:)`; a broken rule is a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                weekdays: container.decode([Int].self, forKey: .weekdays),
                hour: container.decode(Int.self, forKey: .hour),
                minute: container.decode(Int.self, forKey: .minute),
                timeZone: container.decode(String.self, forKey: .timeZone))
        } catch let error as DomainError {
            throw DecodingError.dataCorruptedError(
                forKey: CodingKeys(stringValue: error.field ?? "") ?? .weekdays, in: container,
                debugDescription: error.message)
        }
    }

    /// The UTC instants of occurrences strictly after `after` and not later than `after + weeks*7 days`, in order.
    /// Each one is built from local date components in the rule's zone (see the type's notes on DST).
    public func occurrences(after: Date, weeks: Int = 8) -> [Date] {
        guard weeks > 0 else { return [] }
        let end = after.addingTimeInterval(Double(weeks) * 7 * 86_400)
        let start = Self.utc.dateComponents([.year, .month, .day], from: after.addingTimeInterval(-86_400))
        guard let first = Self.utc.date(from: start) else { return [] }
        var result: [Date] = []
        // Local days are walked on a UTC calendar (no DST there), from the day before `after` to past `end`.
        for offset in 0...(weeks * 7 + 2) {
            guard let day = Self.utc.date(byAdding: .day, value: offset, to: first) else { continue }
            let isoWeekday = (Self.utc.component(.weekday, from: day) + 5) % 7 + 1
            guard weekdays.contains(isoWeekday) else { continue }
            var local = Self.utc.dateComponents([.year, .month, .day], from: day)
            (local.hour, local.minute) = (hour, minute)
            if let instant = instant(of: local), instant > after, instant <= end { result.append(instant) }
        }
        return result
    }

    /// The local date (year-month-day in the rule's zone) of an occurrence, used as a stable key: "2026-03-26".
    public func localDay(of instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    private var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Paris")! }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The instant at which the rule's zone shows these local components: the first one if the time exists
    /// twice, the end of the gap if it does not exist.
    private func instant(of local: DateComponents) -> Date? {
        guard let wall = Self.utc.date(from: local) else { return nil }  // the wall-clock time, read as UTC
        let zone = self.zone
        let offsets = Set([-86_400.0, 0, 86_400].map { Double(zone.secondsFromGMT(for: wall + $0)) })
        let candidates = offsets.map { wall - $0 }.sorted()
        // A candidate is real when the zone's offset at that instant is the one it was built with.
        if let exact = candidates.first(where: { Double(zone.secondsFromGMT(for: $0)) == wall.timeIntervalSince($0) }) {
            return exact
        }
        // In a gap: the offset changes between the earliest and latest candidates; find the change, to the second.
        guard var low = candidates.first, var high = candidates.last else { return nil }
        let before = zone.secondsFromGMT(for: low)
        while high.timeIntervalSince(low) > 1 {
            let half = (high.timeIntervalSince(low) / 2).rounded(.down)
            let middle = low + half
            if zone.secondsFromGMT(for: middle) == before { low = middle } else { high = middle }
        }
        return high
    }
}
