import Foundation
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp

@Suite struct ShowGuestTests {
    @Test(arguments: TestDatabase.available)
    func aGuestsLinkOrTheAccessCodeOpensAPrivateShowAndNothingElseDoes(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.user("host@example.com", brand: brand.id, role: .host)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let host = try await client.login("host@example.com")
            let shows = "/api/brands/\(brand.id)/shows"
            let start = Date().addingTimeInterval(86400).formatted(.iso8601)
            let open = try await client.call(
                .post, shows, as: owner, json: ["title": "Public", "scheduledStart": start])
            let openID = try #require(open.json["id"] as? String)
            let refused = try await client.call(
                .post, "\(shows)/\(openID)/guests", as: owner, json: ["email": "vip@example.com"])
            #expect(refused.errorCode == "show_not_private")
            let made = try await client.call(
                .post, shows, as: owner,
                json: [
                    "title": "Clientes privées", "format": "private", "accessCode": "VIP-2026", "scheduledStart": start,
                ])
            let id = try #require(made.json["id"] as? String)
            let page = "/api/public/brands/\(brand.slug)/shows/\(id)"

            // MUT
            let invited = try await client.call(
                .post, "\(shows)/\(id)/guests", as: owner, json: ["email": "VIP@example.com", "name": "Léa"])
            // validate
            #expect(invited.status == .created, "\(invited.text)")
            let link = try #require(invited.json["link"] as? String)
            let token = try #require(link.components(separatedBy: "guest=").last)
            #expect(token.hasPrefix("guest_") && link.hasPrefix("http://vitrine.test/b/\(brand.slug)/shows/"))
            #expect(invited.json["emailed"] as? Bool == false, "no SMTP server in this test")
            #expect(try await client.call(.get, page).status == .notFound, "private without a link or code")
            #expect(try await client.call(.get, "\(page)?guest=\(token)").status == .ok)
            #expect(try await client.call(.get, "\(page)?code=vip-2026").status == .ok, "codes ignore case")
            #expect(try await client.call(.get, "\(page)?code=VIP-2025").status == .notFound)
            #expect(try await client.call(.get, "\(page)/calendar.ics?guest=\(token)").status == .ok)
            let listed = try await client.call(.get, "\(shows)/\(id)/guests", as: owner).items
            #expect(listed.map { $0["email"] as? String } == ["vip@example.com"])
            #expect(listed.first?["lastOpenedAt"] != nil, "opening the link is recorded")
            #expect(!(try await client.call(.get, "\(shows)/\(id)/guests", as: owner).text.contains(token)))
            #expect(try await client.call(.get, "\(shows)/\(id)/guests", as: host).status == .forbidden)

            let again = try await client.call(
                .post, "\(shows)/\(id)/guests", as: owner, json: ["email": "vip@example.com"])
            let newToken = try #require((again.json["link"] as? String)?.components(separatedBy: "guest=").last)
            #expect(
                try await client.call(.get, "\(page)?guest=\(token)").status == .notFound, "a new link replaces the old"
            )
            let guestID = try #require(again.json["guest"] as? [String: Any])["id"] as? String ?? ""
            let revoked = try await client.call(.delete, "\(shows)/\(id)/guests/\(guestID)", as: owner)
            #expect(revoked.json["revokedAt"] != nil)
            #expect(try await client.call(.get, "\(page)?guest=\(newToken)").status == .notFound, "revoked")
            let bad = try await client.call(.post, "\(shows)/\(id)/guests", as: owner, json: ["email": "nope"])
            #expect(bad.status == .unprocessableContent && bad.errorCode == "invalid_field")
        }
    }
}
