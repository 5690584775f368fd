import Foundation
import Testing
import VitrineDomain
import VitrineStore

@testable import VitrineApp

/// The stored side of live rooms, on SQLite and PostgreSQL: one vote per viewer, one entry per
/// e-mail even when entries race, a draw recorded once, bans by address.
@Suite struct LiveStoreTests {
    @Test(arguments: TestDatabase.available)
    func votesEntriesAndDrawsHoldUnderRaces(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        let other = try await env.brand("Autre", owner: "other@example.com")
        let scope = env.store.brand(brand.id)
        let show = try await scope.createShow(ShowInput(title: "Live"))
        let poll = try await scope.openPoll(showID: show.id, question: "Taille ?", options: ["S", "M"], at: 1.5)
        let giveaway = try await scope.openGiveaway(showID: show.id, title: "Foulard", rules: "Tirage", at: 2)

        // MUT: the same viewer votes 8 times at once; the same e-mail enters 8 times at once
        let votes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await scope.vote(showID: show.id, pollID: poll.id, viewerID: "viewer-1", option: 1)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let entries = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    (try? await scope.enterGiveaway(
                        showID: show.id, giveawayID: giveaway.id,
                        email: index % 2 == 0 ? "Lea@Example.com" : "lea@example.com",
                        name: "Léa", viewerID: "viewer-\(index)")) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        _ = try await scope.enterGiveaway(
            showID: show.id, giveawayID: giveaway.id, email: "marc@example.com", name: "Marc", viewerID: "v-2")

        // validate
        #expect(votes.filter { $0 }.count == 1)
        #expect(try await scope.closePoll(showID: show.id, pollID: poll.id).counts == [0, 1])
        await #expect(throws: DomainError.self) {
            try await scope.vote(showID: show.id, pollID: poll.id, viewerID: "viewer-2", option: 0)
        }
        #expect(entries.filter { $0 }.count == 1)
        let first = try await scope.drawGiveaway(showID: show.id, giveawayID: giveaway.id, seed: 7)
        let again = try await scope.drawGiveaway(showID: show.id, giveawayID: giveaway.id, seed: 8)
        #expect(
            [first.seed, first.winnerEmail] == [again.seed, again.winnerEmail] && again.seed == "7",
            "a giveaway is drawn once")
        #expect(first.entrants == ["lea@example.com", "marc@example.com"])
        #expect(first.winnerEmail == first.entrants?[GiveawayDraw.winnerIndex(seed: 7, count: 2)])
        await #expect(throws: DomainError.self) {
            try await env.store.brand(other.id).giveaways(showID: show.id)
        }
        await #expect(throws: DomainError.self) {
            try await scope.enterGiveaway(
                showID: show.id, giveawayID: giveaway.id, email: "late@example.com", name: "", viewerID: "v-3")
        }
        await env.cleanup()
    }

    @Test(arguments: TestDatabase.available)
    func theChatExportNamesTheAddressAViewerGave(database: TestDatabase) async throws {
        // setup: three viewers chat; one registered (confirmed) from its browser, one entered a
        // giveaway, one only registered without confirming
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        let scope = env.store.brand(brand.id)
        let show = try await scope.createShow(ShowInput(title: "Live"))
        let (_, token) = try await env.store.register(
            brandID: brand.id, showID: show.id, email: "Lea@Example.com", language: "fr", marketingConsent: false,
            viewerID: "viewer-lea-0001")
        _ = try await env.store.confirmRegistration(token: try #require(token))
        _ = try await env.store.register(
            brandID: brand.id, showID: show.id, email: "pending@example.com", language: "fr",
            marketingConsent: false, viewerID: "viewer-pending-1")
        let giveaway = try await scope.openGiveaway(showID: show.id, title: "Foulard", rules: "Tirage", at: 2)
        _ = try await scope.enterGiveaway(
            showID: show.id, giveawayID: giveaway.id, email: "marc@example.com", name: "Marc",
            viewerID: "viewer-marc-001")
        let records = [("viewer-lea-0001", "Léa"), ("viewer-marc-001", "Marc"), ("viewer-pending-1", "Anon")]
            .enumerated()
            .map { index, viewer in
                ChatRecord(
                    showID: show.id,
                    message: ChatMessage(
                        id: UUID(), name: viewer.1, text: "bonjour", staff: false, at: Double(index),
                        sentAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(index))),
                    viewerID: viewer.0, ip: nil)
            }
        try await scope.saveChat(records)

        // MUT
        let csv = try await scope.chatCSV(showID: show.id)

        // validate: the e-mail column holds what each viewer gave, nothing for an unconfirmed one
        let rows = csv.split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        #expect(rows.first?.last == "email")
        #expect(
            rows.dropFirst().map { [String($0[2]), String($0.last ?? "")] } == [
                ["Léa", "lea@example.com"], ["Marc", "marc@example.com"], ["Anon", ""],
            ])
        let registrants = try await scope.registrations(showID: show.id)
        #expect(Set(registrants.items.map(\.viewerId)) == ["viewer-lea-0001", "viewer-pending-1"])
        await env.cleanup()
    }

    @Test(arguments: TestDatabase.available)
    func aBanHoldsForTheAddressAndATimeoutEnds(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        let other = try await env.brand("Autre", owner: "other@example.com")
        let scope = env.store.brand(brand.id)
        // MUT
        let ban = try await scope.ban(
            viewerID: "troll-1", ip: "198.51.100.7", name: "Troll", reason: "spam", messageText: "x", until: nil)
        _ = try await scope.ban(
            viewerID: "hasty-1", ip: "198.51.100.9", name: "Pressé", reason: "", messageText: nil,
            until: Date().addingTimeInterval(-1))
        // validate
        #expect(try await scope.activeBan(viewerID: "new-id", ip: "198.51.100.7")?.id == ban.id)
        #expect(try await scope.activeBan(viewerID: "troll-1", ip: nil)?.id == ban.id)
        #expect(try await scope.activeBan(viewerID: "hasty-1", ip: "198.51.100.9") == nil, "the timeout is over")
        #expect(try await env.store.brand(other.id).activeBan(viewerID: "troll-1", ip: "198.51.100.7") == nil)
        await #expect(throws: DomainError.self) { try await env.store.brand(other.id).liftBan(ban.id) }
        _ = try await scope.liftBan(ban.id)
        #expect(try await scope.activeBan(viewerID: "troll-1", ip: "198.51.100.7") == nil)
        await env.cleanup()
    }
}
