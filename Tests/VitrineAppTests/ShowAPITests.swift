import Foundation
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp
@testable import VitrineDomain
import VitrineStore

@Suite struct ShowAPITests {
    static func future(hours: Double) -> String {
        Date().addingTimeInterval(hours * 3600).formatted(.iso8601)
    }

    @Test(arguments: TestDatabase.available)
    func scheduleGoLiveEndAndReplay(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.user("host@example.com", brand: brand.id, role: .host)
        try await env.user("other-host@example.com", brand: brand.id, role: .host)
        var input = ProductInput(title: "Rouge")
        input.variants = [VariantInput(sku: "R-1", price: Money(minorUnits: 2490, currency: "EUR"))]
        let product = try await env.store.brand(brand.id).createProduct(input)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let host = try await client.login("host@example.com")
            let otherHost = try await client.login("other-host@example.com")
            let members = try await client.call(.get, "/api/brands/\(brand.id)/members", as: owner).items
            let hostMember = try #require(
                members.first { ($0["user"] as? [String: Any])?["email"] as? String == "host@example.com" }?["id"]
                    as? String)
            let base = "/api/brands/\(brand.id)/shows"
            // MUT
            let created = try await client.call(
                .post, base, as: owner,
                json: [
                    "title": "Jeudi beauté", "scheduledStart": Self.future(hours: 24), "durationMinutes": 45,
                    "hosts": [hostMember],
                    "lineup": [
                        [
                            "productId": product.id.uuidString, "showPrice": ["amount": 1990, "currency": "EUR"],
                            "note": "teinte Cerise",
                        ]
                    ],
                ])
            // validate
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["status"] as? String == "scheduled")
            let id = try #require(created.json["id"] as? String)
            let lineup = created.json["lineup"] as? [[String: Any]] ?? []
            #expect((lineup.first?["showPrice"] as? [String: Any])?["amount"] as? Int == 1990)
            #expect(!created.text.contains("live_"), "the stream key is never in the show")
            #expect((created.json["streamKeyHint"] as? String)?.count == 4)

            let denied = try await client.call(.post, "\(base)/\(id)/stream-key", as: otherHost)
            #expect(denied.status == .forbidden, "a host of another show")
            let key = try await client.call(.post, "\(base)/\(id)/stream-key", as: host)
            #expect(key.status == .ok)
            let streamKey = try #require(key.json["streamKey"] as? String)
            #expect(streamKey.hasSuffix(created.json["streamKeyHint"] as? String ?? "?"))
            #expect(key.json["server"] as? String == "rtmp://vitrine.test/live")
            let rotated = try await client.call(.post, "\(base)/\(id)/stream-key/rotate", as: host)
            #expect(rotated.json["streamKey"] as? String != streamKey)

            let early = try await client.call(.post, "\(base)/\(id)/transitions", as: host, json: ["event": "ended"])
            #expect(early.status == .conflict)
            #expect(early.errorCode == "invalid_transition")
            let live = try await client.call(.post, "\(base)/\(id)/transitions", as: host, json: ["event": "live"])
            #expect(live.json["status"] as? String == "live")
            let ended = try await client.call(.post, "\(base)/\(id)/transitions", as: host, json: ["event": "ended"])
            #expect(ended.json["status"] as? String == "ended")
            #expect(ended.json["replayPublished"] as? Bool == true)
            let back = try await client.call(.post, "\(base)/\(id)/transitions", as: owner, json: ["event": "live"])
            #expect(back.status == .conflict, "no going back from ended")
            let edit = try await client.call(.patch, "\(base)/\(id)", as: owner, json: ["title": "Autre"])
            #expect(edit.errorCode == "show_not_editable")
            let history = try await client.call(.get, "\(base)/\(id)/history", as: owner).items
            #expect(
                history.compactMap { $0["event"] as? String } == ["scheduled", "live", "ended", "replay_published"])
            #expect(history[1]["memberId"] as? String == hostMember)
        }
    }

    @Test func badShowInputIsRefusedByField() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        let other = try await env.brand("Autre", owner: "other@example.com")
        var input = ProductInput(title: "Ailleurs")
        input.variants = [VariantInput(price: Money(minorUnits: 100, currency: "EUR"))]
        let foreign = try await env.store.brand(other.id).createProduct(input)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let base = "/api/brands/\(brand.id)/shows"
            let past = try await client.call(
                .post, base, as: owner, json: ["title": "Hier", "scheduledStart": "2020-01-01T18:00:00Z"])
            #expect(past.errorField == "scheduledStart")
            let lineup = try await client.call(
                .post, base, as: owner, json: ["title": "X", "lineup": [["productId": foreign.id.uuidString]]])
            #expect(lineup.status == .unprocessableContent)
            #expect(lineup.errorField == "lineup[0].productId")
            let duration = try await client.call(.post, base, as: owner, json: ["title": "X", "durationMinutes": 2])
            #expect(duration.errorField == "durationMinutes")
            let format = try await client.call(.post, base, as: owner, json: ["title": "X", "format": "secret"])
            #expect(format.errorField == "format")
            let missed = try await client.call(.post, base, as: owner, json: ["title": "Brouillon"])
            let id = try #require(missed.json["id"] as? String)
            #expect(missed.json["status"] as? String == "draft")
            let byHand = try await client.call(.post, "\(base)/\(id)/transitions", as: owner, json: ["event": "missed"])
            #expect(byHand.errorField == "event")
            let privateShow = try await client.call(
                .post, base, as: owner, json: ["title": "VIP", "format": "private"])
            #expect((privateShow.json["accessCode"] as? String)?.count == 8, "a private show gets an access code")
            #expect(try await client.call(.get, "\(base)?status=draft", as: owner).json["total"] as? Int == 2)
        }
    }

    @Test func aHostCannotPresentTwoShowsAtOnce() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let member = try #require(
                try await client.call(.get, "/api/brands/\(brand.id)/members", as: owner).items.first?["id"] as? String)
            let base = "/api/brands/\(brand.id)/shows"
            let start = Self.future(hours: 48)
            let first = try await client.call(
                .post, base, as: owner, json: ["title": "A", "scheduledStart": start, "hosts": [member]])
            #expect(first.status == .created)
            let second = try await client.call(
                .post, base, as: owner, json: ["title": "B", "scheduledStart": start, "hosts": [member]])
            #expect(second.status == .conflict)
            #expect(second.errorCode == "schedule_overlap")
            let otherTime = try await client.call(
                .post, base, as: owner,
                json: ["title": "C", "scheduledStart": Self.future(hours: 50), "hosts": [member]])
            #expect(otherTime.status == .created)
        }
    }
}

@Suite struct MissedShowTests {
    @Test(arguments: TestDatabase.available)
    func aShowNotLiveHalfAnHourAfterItsStartIsMissed(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        var input = ShowInput(title: "Jeudi")
        input.scheduledStart = Date().addingTimeInterval(3600)
        let show = try await env.store.brand(brand.id).createShow(input)
        let startedOnTime = try await env.store.brand(brand.id).createShow(
            {
                var other = input; other.title = "Vendredi"; return other
            }())
        _ = try await env.store.brand(brand.id).transition(startedOnTime.id, .live, memberID: nil)
        // MUT: the same database seen 80 and 100 minutes later.
        let soon = try await Store(
            location: env.config.database, logger: .init(label: "t"), clock: { Date().addingTimeInterval(80 * 60) })
        let notYet = try await soon.markMissedShows()
        await soon.shutdown()
        let later = try await Store(
            location: env.config.database, logger: .init(label: "t"), clock: { Date().addingTimeInterval(100 * 60) })
        let marked = try await later.markMissedShows()
        await later.shutdown()
        // validate
        #expect(notYet.isEmpty, "80 minutes after creation is 20 minutes after the start")
        #expect(marked == [show.id], "the live show is not missed")
        #expect(try await env.store.brand(brand.id).show(show.id).status == .missed)
        #expect(try await env.store.brand(brand.id).history(show.id).map(\.event) == [.scheduled, .missed])
        await env.cleanup()
    }
}

@Suite struct PublicShowTests {
    @Test func viewersSeePublicShowsOnlyAndGetACalendarThatFollowsChanges() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison Lumière", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let base = "/api/brands/\(brand.id)/shows"
            // Whole seconds, as the API carries them.
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 86400 * 3).rounded(.down))
            let show = try await client.call(
                .post, base, as: owner,
                json: [
                    "title": "Jeudi, beauté; «Noël»", "scheduledStart": start.formatted(.iso8601),
                    "durationMinutes": 45,
                ])
            let id = try #require(show.json["id"] as? String)
            _ = try await client.call(
                .post, base, as: owner,
                json: [
                    "title": "VIP", "format": "private",
                    "scheduledStart": start.addingTimeInterval(86400).formatted(.iso8601),
                ])
            _ = try await client.call(.post, base, as: owner, json: ["title": "Brouillon"])

            let list = try await client.call(.get, "/api/public/brands/\(brand.slug)/shows")
            #expect(list.items.compactMap { $0["title"] as? String } == ["Jeudi, beauté; «Noël»"])
            #expect(list.items.first?["hosts"] == nil && list.items.first?["accessCode"] == nil)

            let ics = try await client.call(.get, "/api/public/brands/\(brand.slug)/shows/\(id)/calendar.ics")
            #expect(ics.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(ics.text.contains("SUMMARY:Jeudi\\, beauté\\; «Noël»\r\n"))
            #expect(ics.text.contains("SEQUENCE:0\r\n"))
            #expect(
                ics.text.contains("DTSTART:" + ICalendar.utc(start)))

            _ = try await client.call(
                .patch, "\(base)/\(id)", as: owner,
                json: ["scheduledStart": start.addingTimeInterval(3600).formatted(.iso8601)])
            let moved = try await client.call(.get, "/api/public/brands/\(brand.slug)/calendar.ics")
            #expect(moved.text.contains("SEQUENCE:1\r\n"), "a reschedule raises SEQUENCE")
            #expect(!moved.text.contains("VIP") && !moved.text.contains("Brouillon"))
            _ = try await client.call(.post, "\(base)/\(id)/transitions", as: owner, json: ["event": "cancelled"])
            let cancelled = try await client.call(.get, "/api/public/brands/\(brand.slug)/calendar.ics")
            #expect(cancelled.text.contains("STATUS:CANCELLED\r\n"))
            #expect(cancelled.text.contains("SEQUENCE:2\r\n"))
            #expect(try await client.call(.get, "/api/public/brands/\(brand.slug)/shows").items.isEmpty)
        }
    }
}
