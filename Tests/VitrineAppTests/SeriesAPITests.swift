import Foundation
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp

@Suite struct SeriesAPITests {
    /// (ISO weekday, hour, minute) of an instant in Paris.
    static func paris(_ iso: String) throws -> (Int, Int, Int) {
        let date = try Date(iso, strategy: .iso8601)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        return ((parts.weekday! + 5) % 7 + 1, parts.hour!, parts.minute!)
    }

    static func shows(_ client: any TestClientProtocol, brand: UUID, as caller: Caller) async throws -> [[String: Any]]
    {
        try await client.call(.get, "/api/brands/\(brand)/shows?perPage=100", as: caller).items
    }

    @Test(arguments: TestDatabase.available)
    func weeklySeriesKeepsLocalTimeAndFollowsChanges(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            // MUT
            let created = try await client.call(
                .post, "/api/brands/\(brand.id)/series", as: owner,
                json: ["title": "Le jeudi beauté", "weekdays": [4], "localTime": "19:00", "durationMinutes": 45])
            // validate
            #expect(created.status == .created, "\(created.text)")
            let seriesID = try #require(created.json["id"] as? String)
            #expect((created.json["rule"] as? [String: Any])?["timeZone"] as? String == "Europe/Paris")
            var shows = try await Self.shows(client, brand: brand.id, as: owner)
            #expect(shows.count == 8, "8 weeks ahead")
            for show in shows {
                let start = try #require(show["scheduledStart"] as? String)
                let (weekday, hour, minute) = try Self.paris(start)
                #expect(weekday == 4 && hour == 19 && minute == 0, "\(start) is Thursday 19:00 in Paris")
                #expect(show["status"] as? String == "scheduled")
                #expect(show["seriesId"] as? String == seriesID)
                #expect(show["streamKeyHint"] as? String == created.json["streamKeyHint"] as? String, "one key for all")
            }
            let firstID = try #require(shows.first?["id"] as? String)
            let edited = try await client.call(
                .patch, "/api/brands/\(brand.id)/shows/\(firstID)", as: owner, json: ["title": "Spécial Noël"])
            #expect(edited.json["detached"] as? Bool == true)

            let moved = try await client.call(
                .patch, "/api/brands/\(brand.id)/series/\(seriesID)", as: owner,
                json: ["localTime": "20:30", "title": "Le jeudi beauté (nouvel horaire)"])
            #expect(moved.status == .ok, "\(moved.text)")
            shows = try await Self.shows(client, brand: brand.id, as: owner)
            #expect(shows.count == 8, "moving the time creates no duplicate")
            for show in shows {
                let (_, hour, minute) = try Self.paris(show["scheduledStart"] as? String ?? "")
                if show["id"] as? String == firstID {
                    #expect(hour == 19 && show["title"] as? String == "Spécial Noël", "the edited show keeps its edits")
                } else {
                    #expect(hour == 20 && minute == 30)
                    #expect(show["title"] as? String == "Le jeudi beauté (nouvel horaire)")
                }
            }

            let friday = try await client.call(
                .patch, "/api/brands/\(brand.id)/series/\(seriesID)", as: owner, json: ["weekdays": [5]])
            #expect(friday.status == .ok)
            shows = try await Self.shows(client, brand: brand.id, as: owner)
            let scheduled = shows.filter { $0["status"] as? String == "scheduled" }
            let cancelled = shows.filter { $0["status"] as? String == "cancelled" }
            #expect(cancelled.count == 7, "the Thursdays that were not edited by hand are cancelled")
            #expect(scheduled.filter { try! Self.paris($0["scheduledStart"] as! String).0 == 5 }.count == 8)

            let both = try await client.call(
                .patch, "/api/brands/\(brand.id)/series/\(seriesID)", as: owner, json: ["weekdays": [4, 5]])
            #expect(both.status == .ok)
            shows = try await Self.shows(client, brand: brand.id, as: owner)
            let thursdays = shows.filter {
                $0["status"] as? String == "scheduled" && (try? Self.paris($0["scheduledStart"] as! String).0) == 4
            }
            #expect(thursdays.count == 8, "Thursdays the series gave up come back; the detached one stays")

            let key = try await client.call(.post, "/api/brands/\(brand.id)/series/\(seriesID)/stream-key", as: owner)
            let showKey = try await client.call(
                .post, "/api/brands/\(brand.id)/shows/\(try #require(scheduled.last?["id"] as? String))/stream-key",
                as: owner)
            #expect(key.json["streamKey"] as? String == showKey.json["streamKey"] as? String)
        }
    }

    @Test func badSeriesInputIsRefusedByField() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let url = "/api/brands/\(brand.id)/series"
            let time = try await client.call(
                .post, url, as: owner, json: ["title": "X", "weekdays": [4], "localTime": "25:00"])
            #expect(time.errorField == "localTime")
            let day = try await client.call(
                .post, url, as: owner, json: ["title": "X", "weekdays": [8], "localTime": "19:00"])
            #expect(day.errorField == "weekdays")
            let missing = try await client.call(.post, url, as: owner, json: ["title": "X", "localTime": "19:00"])
            #expect(missing.errorField == "weekdays")
            #expect(try await client.call(.get, url, as: owner).items.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSeriesThatWouldMakeAHostPresentTwoShowsAtOnceIsRefusedWhole(database: TestDatabase) async throws {
        // setup: a host presents a one-off show in 3 days at 19:00 Paris time
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.user("host@example.com", brand: brand.id, role: .host)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let members = try await client.call(.get, "/api/brands/\(brand.id)/members", as: owner).items
            let host = try #require(
                members.first { ($0["user"] as? [String: Any])?["email"] as? String == "host@example.com" }?["id"]
                    as? String)
            var paris = Calendar(identifier: .gregorian)
            paris.timeZone = TimeZone(identifier: "Europe/Paris")!
            let day = paris.date(byAdding: .day, value: 3, to: paris.startOfDay(for: Date()))!
            let start = paris.date(bySettingHour: 19, minute: 0, second: 0, of: day)!
            let oneOff = try await client.call(
                .post, "/api/brands/\(brand.id)/shows", as: owner,
                json: ["title": "Soirée unique", "scheduledStart": start.formatted(.iso8601), "hosts": [host]])
            #expect(oneOff.status == .created)
            // ISO weekday of that day: Monday 1 … Sunday 7.
            let weekday = (paris.component(.weekday, from: day) + 5) % 7 + 1
            // MUT
            let refused = try await client.call(
                .post, "/api/brands/\(brand.id)/series", as: owner,
                json: ["title": "Chaque semaine", "weekdays": [weekday], "localTime": "19:30", "hosts": [host]])
            // validate
            #expect(refused.status == .conflict, "\(refused.text)")
            #expect(refused.errorCode == "schedule_overlap")
            #expect(refused.text.contains("Soirée unique"))
            #expect(try await client.call(.get, "/api/brands/\(brand.id)/series", as: owner).items.isEmpty)
            let shows = try await Self.shows(client, brand: brand.id, as: owner)
            #expect(shows.map { $0["title"] as? String } == ["Soirée unique"], "nothing half-made")
            let elsewhere = try await client.call(
                .post, "/api/brands/\(brand.id)/series", as: owner,
                json: ["title": "Chaque semaine", "weekdays": [weekday], "localTime": "21:00", "hosts": [host]])
            #expect(elsewhere.status == .created, "at another time it is fine")
        }
    }
}
