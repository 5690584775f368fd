import Foundation
import HummingbirdTesting
import Testing

@testable import VitrineApp

@Suite struct SimulcastAPITests {
    @Test func destinationsMustBeRTMPOnPublicAddressesAndKeepTheirKeyMasked() async throws {
        // setup
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.user("host@example.com", brand: brand.id, role: .host)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let host = try await client.login("host@example.com")
            let show = try await client.call(
                .post, "/api/brands/\(brand.id)/shows", as: owner, json: ["title": "Jeudi"])
            let base = "/api/brands/\(brand.id)/shows/\(show.json["id"] as? String ?? "")/destinations"
            // MUT / validate
            for (url, code) in [
                ("rtmp://127.0.0.1/live", "private_address"), ("rtmp://10.1.2.3/app", "private_address"),
                ("http://example.com/live", "invalid_field"), ("rtmp://user:pw@example.com/live", "invalid_field"),
            ] {
                let refused = try await client.call(
                    .post, base, as: owner, json: ["url": url, "streamKey": "abcd-1234"])
                #expect(refused.status == .unprocessableContent, "\(url): \(refused.text)")
                #expect(refused.errorCode == code, "\(url): \(refused.text)")
            }
            let noKey = try await client.call(.post, base, as: owner, json: ["url": "rtmp://8.8.8.8/live"])
            #expect(noKey.errorField == "streamKey")
            let spaced = try await client.call(
                .post, base, as: owner, json: ["url": "rtmp://8.8.8.8/live", "streamKey": "a b"])
            #expect(spaced.errorField == "streamKey")
            let added = try await client.call(
                .post, base, as: owner, json: ["url": "rtmps://8.8.8.8:443/rtmp/", "streamKey": "FB-secret-9876"])
            #expect(added.status == .created, "\(added.text)")
            #expect(added.json["url"] as? String == "rtmps://8.8.8.8:443/rtmp")
            #expect(added.json["keyHint"] as? String == "9876" && !added.text.contains("FB-secret"))
            #expect(try await client.call(.get, base, as: host).status == .forbidden, "producers and above")
            let id = added.json["id"] as? String ?? ""
            let paused = try await client.call(.patch, "\(base)/\(id)", as: owner, json: ["enabled": false])
            #expect(paused.json["enabled"] as? Bool == false)
            #expect(try await client.call(.delete, "\(base)/\(id)", as: owner).status == .noContent)
            #expect(try await client.call(.get, base, as: owner).items.isEmpty)
        }
    }
}
