import Foundation
import Testing

@testable import VitrineDomain

@Suite struct ICalendarTests {
    let start = Date(timeIntervalSince1970: 1_796_320_800)  // 2026-12-03T18:00:00Z, 19:00 in Paris

    @Test func writesUTCTimesAndEscapesText() {
        let text = ICalendar.calendar(
            name: "Maison Lumière",
            events: [
                .init(
                    uid: "abc@vitrine", start: start, end: start.addingTimeInterval(3600),
                    summary: "Rouge, velours; «Noël»", description: "Ligne 1\nLigne 2", url: "https://x.test/s",
                    sequence: 2, cancelled: false, stamp: start)
            ])
        #expect(text.contains("DTSTART:20261203T180000Z\r\n"))
        #expect(text.contains("DTEND:20261203T190000Z\r\n"))
        #expect(text.contains("SUMMARY:Rouge\\, velours\\; «Noël»\r\n"))
        #expect(text.contains("DESCRIPTION:Ligne 1\\nLigne 2\r\n"))
        #expect(text.contains("SEQUENCE:2\r\n"))
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
    }

    @Test func foldsLongLinesWithoutSplittingCharacters() {
        let folded = ICalendar.fold("SUMMARY:" + String(repeating: "é", count: 100))
        for line in folded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75)
        }
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == "SUMMARY:" + String(repeating: "é", count: 100))
    }
}
