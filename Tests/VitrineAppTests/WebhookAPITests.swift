import Foundation
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp

@Suite struct WebhookAPITests {
    @Test func loopbackPrivateAndNonHTTPAddressesAreRefused() async throws {
        // setup
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let base = "/api/brands/\(brand.id)/webhooks"
            for (url, code) in [
                ("http://127.0.0.1:9/hook", "private_address"), ("http://localhost/hook", "private_address"),
                ("http://[::1]/hook", "private_address"), ("https://10.0.0.8/hook", "private_address"),
                ("http://169.254.169.254/latest/meta-data", "private_address"),
                ("ftp://shop.example/", "invalid_field"),
                ("https://shop.invalid/hook", "unresolvable_host"),
            ] {
                // MUT
                let refused = try await client.call(
                    .post, base, as: owner, json: ["url": url, "events": ["show.live"]])
                // validate
                #expect(refused.status == .unprocessableContent, "\(url): \(refused.text)")
                #expect(refused.errorCode == code, "\(url): \(refused.text)")
            }
            #expect(try await client.call(.get, base, as: owner).items.isEmpty, "nothing was half-written")
        }
    }

    @Test(arguments: TestDatabase.available)
    func eventsAreQueuedWithTheChangeTheyReport(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database, settings: ["webhooks.private.allowed": "true"])
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.user("producer@example.com", brand: brand.id, role: .producer)
        let other = try await env.brand("Autre", owner: "other@example.com")
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let producer = try await client.login("producer@example.com")
            let base = "/api/brands/\(brand.id)/webhooks"
            // MUT
            let created = try await client.call(
                .post, base, as: owner,
                json: ["url": "http://127.0.0.1:9/hook", "events": ["show.live", "registration.created"]])
            // validate
            #expect(created.status == .created, "\(created.text)")
            let secret = try #require(created.json["secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))
            let endpoint = try #require(created.json["endpoint"] as? [String: Any])
            let id = try #require(endpoint["id"] as? String)
            #expect(endpoint["secretHint"] as? String == String(secret.suffix(4)))
            let listed = try await client.call(.get, base, as: owner)
            #expect(listed.items.count == 1)
            #expect(!listed.text.contains(secret), "the secret is masked in lists")
            let revealed = try await client.call(.post, "\(base)/\(id)/secret", as: owner)
            #expect(revealed.json["secret"] as? String == secret)
            #expect(try await client.call(.get, base, as: producer).status == .forbidden, "owners and admins only")
            let foreign = try await client.call(.get, "/api/brands/\(other.id)/webhooks/\(id)", as: owner)
            #expect(foreign.status == .forbidden || foreign.status == .notFound)

            let shows = "/api/brands/\(brand.id)/shows"
            let show = try await client.call(
                .post, shows, as: owner,
                json: ["title": "Jeudi", "scheduledStart": Date().addingTimeInterval(3600).formatted(.iso8601)])
            let showID = try #require(show.json["id"] as? String)
            _ = try await client.call(.post, "\(shows)/\(showID)/transitions", as: owner, json: ["event": "live"])
            _ = try await client.call(.post, "\(shows)/\(showID)/transitions", as: owner, json: ["event": "ended"])
            let deliveries = try await client.call(.get, "\(base)/\(id)/deliveries", as: owner).items
            #expect(deliveries.map { $0["event"] as? String } == ["show.live"], "only the subscribed event")
            let body = try #require(deliveries.first?["body"] as? String)
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(payload["type"] as? String == "show.live")
            #expect(payload["brandId"] as? String == brand.id.uuidString)
            let data = payload["data"] as? [String: Any]
            #expect((data?["show"] as? [String: Any])?["status"] as? String == "live")
            #expect(!body.contains("live_"), "no stream key in a webhook")

            let test = try await client.call(.post, "\(base)/\(id)/test", as: owner)
            #expect(test.status == .accepted)
            #expect(test.json["event"] as? String == "webhook.test")
            // The application's job runner may already be attempting them: any status counts.
            let jobs = try await client.call(.get, "/api/brands/\(brand.id)/jobs", as: owner).items
            #expect(jobs.filter { $0["kind"] as? String == "webhook.deliver" }.count == 2)
            let filtered = try await client.call(.get, "/api/brands/\(brand.id)/jobs?status=nonsense", as: owner)
            #expect(filtered.status == .badRequest)
            let retryPending = try await client.call(
                .post, "\(base)/\(id)/deliveries/\(test.json["id"] as? String ?? "")/retry", as: owner)
            #expect(retryPending.errorCode == "delivery_pending")

            let off = try await client.call(.patch, "\(base)/\(id)", as: owner, json: ["enabled": false])
            #expect(off.json["enabled"] as? Bool == false)
            let rotated = try await client.call(.post, "\(base)/\(id)/secret/rotate", as: owner)
            #expect(rotated.json["secret"] as? String != secret)
            #expect(try await client.call(.delete, "\(base)/\(id)", as: owner).status == .noContent)
            #expect(try await client.call(.get, "\(base)/\(id)/deliveries", as: owner).status == .notFound)
        }
    }
}
