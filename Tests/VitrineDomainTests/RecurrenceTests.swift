import Foundation
import Testing

@testable import VitrineDomain

@Suite struct RecurrenceTests {
    func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad date \(text)") }
        return date
    }

    func iso(_ dates: [Date]) -> [String] {
        dates.map { ISO8601DateFormatter().string(from: $0) }
    }

    func field(of body: () throws(DomainError) -> WeeklyRule) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            #expect(error.kind == .invalid)
            return error.field
        }
    }

    @Test func thursdayEveningInParisKeepsItsLocalTimeAcrossSpringForward() throws {
        let rule = try WeeklyRule(weekdays: [4], hour: 19, minute: 0, timeZone: "Europe/Paris")
        let found = rule.occurrences(after: date("2026-03-15T12:00:00Z"), weeks: 3)
        #expect(iso(found) == ["2026-03-19T18:00:00Z", "2026-03-26T18:00:00Z", "2026-04-02T17:00:00Z"])
        #expect(found.map(rule.localDay) == ["2026-03-19", "2026-03-26", "2026-04-02"])
    }

    @Test func thursdayEveningInParisKeepsItsLocalTimeAcrossFallBack() throws {
        let rule = try WeeklyRule(weekdays: [4], hour: 19, minute: 0, timeZone: "Europe/Paris")
        let found = rule.occurrences(after: date("2026-10-18T12:00:00Z"), weeks: 2)
        #expect(iso(found) == ["2026-10-22T17:00:00Z", "2026-10-29T18:00:00Z"])
    }

    @Test func twoWeekdaysGiveTwoOccurrencesAWeekInOrder() throws {
        let rule = try WeeklyRule(weekdays: [4, 1], hour: 19, minute: 30, timeZone: "Europe/Paris")
        #expect(rule.weekdays == [1, 4], "kept sorted")
        let found = rule.occurrences(after: date("2026-01-04T12:00:00Z"), weeks: 2)  // a Sunday
        #expect(
            iso(found) == [
                "2026-01-05T18:30:00Z", "2026-01-08T18:30:00Z", "2026-01-12T18:30:00Z", "2026-01-15T18:30:00Z",
            ])
        #expect(found == found.sorted())
    }

    @Test func eightWeeksGiveEightOccurrencesForOneWeekday() throws {
        let rule = try WeeklyRule(weekdays: [4], hour: 19, minute: 0, timeZone: "Europe/Paris")
        let after = date("2026-03-01T09:00:00Z")
        let found = rule.occurrences(after: after)
        #expect(found.count == 8)
        #expect(found.allSatisfy { $0 > after && $0 <= after.addingTimeInterval(8 * 7 * 86_400) })
        #expect(rule.occurrences(after: after, weeks: 0).isEmpty)
    }

    @Test func anOccurrenceExactlyAtAfterIsExcludedAndOneExactlyAtTheEndIsKept() throws {
        let rule = try WeeklyRule(weekdays: [4], hour: 19, minute: 0, timeZone: "Europe/Paris")
        let found = rule.occurrences(after: date("2026-01-08T18:00:00Z"), weeks: 2)
        #expect(iso(found) == ["2026-01-15T18:00:00Z", "2026-01-22T18:00:00Z"])
    }

    @Test func aTimeInTheSpringGapMovesToTheEndOfTheGap() throws {
        let rule = try WeeklyRule(weekdays: [7], hour: 2, minute: 30, timeZone: "Europe/Paris")
        let found = rule.occurrences(after: date("2026-03-21T12:00:00Z"), weeks: 2)
        #expect(iso(found) == ["2026-03-22T01:30:00Z", "2026-03-29T01:00:00Z"], "03:00 CEST, not 03:30")
        #expect(rule.localDay(of: found[1]) == "2026-03-29")
    }

    @Test func aTimeThatExistsTwiceTakesTheFirstInstant() throws {
        let rule = try WeeklyRule(weekdays: [7], hour: 2, minute: 30, timeZone: "Europe/Paris")
        let found = rule.occurrences(after: date("2026-10-24T12:00:00Z"), weeks: 2)
        #expect(iso(found) == ["2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z"], "02:30 CEST, not 02:30 CET")
    }

    @Test func newYorkFollowsItsOwnDaylightSavingDates() throws {
        let rule = try WeeklyRule(weekdays: [2], hour: 20, minute: 0, timeZone: "America/New_York")
        let spring = rule.occurrences(after: date("2026-02-28T00:00:00Z"), weeks: 2)
        #expect(iso(spring) == ["2026-03-04T01:00:00Z", "2026-03-11T00:00:00Z"])  // Tuesdays 3 and 10 March
        #expect(spring.map(rule.localDay) == ["2026-03-03", "2026-03-10"], "the local day, not the UTC one")
        let autumn = rule.occurrences(after: date("2026-10-25T00:00:00Z"), weeks: 2)
        #expect(iso(autumn) == ["2026-10-28T00:00:00Z", "2026-11-04T01:00:00Z"])
        let gap = try WeeklyRule(weekdays: [7], hour: 2, minute: 15, timeZone: "America/New_York")
        #expect(iso(gap.occurrences(after: date("2026-03-05T00:00:00Z"), weeks: 1)) == ["2026-03-08T07:00:00Z"])
        let overlap = try WeeklyRule(weekdays: [7], hour: 1, minute: 30, timeZone: "America/New_York")
        #expect(iso(overlap.occurrences(after: date("2026-10-29T00:00:00Z"), weeks: 1)) == ["2026-11-01T05:30:00Z"])
    }

    @Test func invalidInputsNameTheirField() {
        let cases: [(weekdays: [Int], hour: Int, minute: Int, zone: String, field: String)] = [
            ([0], 19, 0, "UTC", "weekdays"), ([8], 19, 0, "UTC", "weekdays"), ([], 19, 0, "UTC", "weekdays"),
            ([4, 4], 19, 0, "UTC", "weekdays"), ([4], 24, 0, "UTC", "hour"), ([4], -1, 0, "UTC", "hour"),
            ([4], 19, 60, "UTC", "minute"), ([4], 19, 0, "Mars/Base", "timeZone"), ([4], 19, 0, "", "timeZone"),
        ]
        for item in cases {
            #expect(
                field { () throws(DomainError) in
                    try WeeklyRule(weekdays: item.weekdays, hour: item.hour, minute: item.minute, timeZone: item.zone)
                } == item.field, "\(item)")
        }
    }

    @Test func localDayUsesTheRuleZone() throws {
        let paris = try WeeklyRule(weekdays: [4], hour: 0, minute: 30, timeZone: "Europe/Paris")
        #expect(paris.localDay(of: date("2026-03-25T23:30:00Z")) == "2026-03-26")
        #expect(paris.localDay(of: date("2026-03-26T12:00:00Z")) == "2026-03-26")
        let found = paris.occurrences(after: date("2026-03-23T00:00:00Z"), weeks: 1)
        #expect(iso(found) == ["2026-03-25T23:30:00Z"])
        #expect(found.map(paris.localDay) == ["2026-03-26"])
    }

    @Test func codableRoundTripsAndRejectsBrokenRules() throws {
        let rule = try WeeklyRule(weekdays: [4], hour: 19, minute: 0, timeZone: "Europe/Paris")
        let data = try JSONEncoder().encode(rule)
        #expect(try JSONDecoder().decode(WeeklyRule.self, from: data) == rule)
        let broken = Data(#"{"weekdays":[9],"hour":19,"minute":0,"timeZone":"Europe/Paris"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WeeklyRule.self, from: broken) }
    }
}
