import Foundation
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp

@Suite struct InvitationTests {
    @Test(arguments: TestDatabase.available)
    func newPersonJoinsByLinkOnce(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            // MUT
            let invite = try await client.call(
                .post, "/api/brands/\(brand.id)/invitations", as: owner,
                json: ["email": "Lea@Example.com", "role": "host"])
            // validate
            #expect(invite.status == .created)
            let link = try #require(invite.json["link"] as? String)
            #expect(link.hasPrefix("http://vitrine.test/invite/"))
            let token = String(link.split(separator: "/").last!)
            let listed = try await client.call(.get, "/api/brands/\(brand.id)/invitations", as: owner)
            #expect(!listed.text.contains(token), "the link is shown once, never listed")

            let view = try await client.call(.get, "/api/invitations/\(token)")
            #expect(view.json["email"] as? String == "lea@example.com")
            #expect(view.json["role"] as? String == "host")
            #expect(view.json["userExists"] as? Bool == false)
            let weak = try await client.call(
                .post, "/api/invitations/\(token)/accept", json: ["name": "Léa", "password": "short"])
            #expect(weak.errorField == "password")
            let accepted = try await client.call(
                .post, "/api/invitations/\(token)/accept", json: ["name": "Léa", "password": "a long enough password"])
            #expect(accepted.status == .ok)
            let memberships = accepted.json["memberships"] as? [[String: Any]] ?? []
            #expect(memberships.first?["role"] as? String == "host")
            let again = try await client.call(
                .post, "/api/invitations/\(token)/accept", json: ["name": "Léa", "password": "a long enough password"])
            #expect(again.status == .notFound, "a link works once")
            let host = try await client.login("lea@example.com", password: "a long enough password")
            #expect(try await client.call(.get, "/api/brands/\(brand.id)/products", as: host).status == .ok)
        }
    }

    @Test func existingPersonJoinsASecondBrandWithTheirPassword() async throws {
        let env = try await TestEnvironment.make()
        let first = try await env.brand("Maison A", owner: "owner-a@example.com")
        let second = try await env.brand("Maison B", owner: "owner-b@example.com")
        try await env.user("freelance@example.com", brand: first.id, role: .host)
        try await env.test { client in
            let ownerB = try await client.login("owner-b@example.com")
            let invite = try await client.call(
                .post, "/api/brands/\(second.id)/invitations", as: ownerB,
                json: ["email": "freelance@example.com", "role": "producer"])
            let token = String((invite.json["link"] as? String ?? "").split(separator: "/").last ?? "")
            #expect(try await client.call(.get, "/api/invitations/\(token)").json["userExists"] as? Bool == true)
            let wrong = try await client.call(
                .post, "/api/invitations/\(token)/accept", json: ["password": "not the password"])
            #expect(wrong.status == .unprocessableContent)
            let ok = try await client.call(
                .post, "/api/invitations/\(token)/accept", json: ["password": "correct horse battery"])
            #expect(ok.status == .ok)
            let roles = (ok.json["memberships"] as? [[String: Any]] ?? []).compactMap { $0["role"] as? String }.sorted()
            #expect(roles == ["host", "producer"], "one person, a role in each brand")
        }
    }

    @Test func adminCannotInviteAnOwner() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.user("admin@example.com", brand: brand.id, role: .admin)
        try await env.test { client in
            let admin = try await client.login("admin@example.com")
            let owner = try await client.call(
                .post, "/api/brands/\(brand.id)/invitations", as: admin,
                json: ["email": "x@example.com", "role": "owner"])
            #expect(owner.status == .forbidden)
            let bad = try await client.call(
                .post, "/api/brands/\(brand.id)/invitations", as: admin,
                json: ["email": "not-an-email", "role": "host"])
            #expect(bad.errorField == "email")
            let unknownRole = try await client.call(
                .post, "/api/brands/\(brand.id)/invitations", as: admin,
                json: ["email": "x@example.com", "role": "king"])
            #expect(unknownRole.errorField == "role")
        }
    }
}
