import Foundation

/// iCalendar (RFC 5545) files for shows: one show to add to a calendar, or a brand's feed.
/// Times are written in UTC (`…Z`), which every calendar shows in its own zone without a VTIMEZONE.
public enum ICalendar {
    /// One event of a calendar.
    public struct Event: Sendable, Equatable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String
        public var url: String?
        /// Raised at each reschedule or cancellation, so calendars replace their copy.
        public var sequence: Int
        public var cancelled: Bool
        public var stamp: Date

        public init(
            uid: String, start: Date, end: Date, summary: String, description: String, url: String?, sequence: Int,
            cancelled: Bool, stamp: Date
        ) {
            self.uid = uid
            self.start = start
            self.end = end
            self.summary = summary
            self.description = description
            self.url = url
            self.sequence = sequence
            self.cancelled = cancelled
            self.stamp = stamp
        }
    }

    /// A whole calendar, CRLF line ends and lines folded at 75 octets.
    public static func calendar(name: String, events: [Event]) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Vitrine//Live shows//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + escape(name),
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT", "UID:" + escape(event.uid), "DTSTAMP:" + utc(event.stamp),
                "DTSTART:" + utc(event.start),
                "DTEND:" + utc(event.end), "SEQUENCE:\(event.sequence)", "SUMMARY:" + escape(event.summary),
                "STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED"),
            ]
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + escape(event.description)) }
            if let url = event.url { lines.append("URL:" + url) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261203T180000Z`
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        return String(format: "%04d", c.year ?? 0) + two(c.month) + two(c.day) + "T" + two(c.hour) + two(c.minute)
            + two(c.second) + "Z"
    }

    /// TEXT values escape backslash, semicolon, comma and new lines (RFC 5545 §3.3.11).
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if scalar.properties.generalCategory == .control { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
