import Foundation
import Testing
import VitrineDomain

@testable import VitrineApp

@Suite struct AuthTests {
    @Test func loginGivesSessionThatReachesMe() async throws {
        // setup
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison Test", owner: "owner@example.com")
        try await env.test { client in
            // MUT
            let session = try await client.login("owner@example.com")
            let me = try await client.call(.get, "/api/me", as: session)
            // validate
            #expect(me.status == .ok)
            #expect((me.json["user"] as? [String: Any])?["email"] as? String == "owner@example.com")
            let memberships = me.json["memberships"] as? [[String: Any]] ?? []
            #expect(memberships.count == 1)
            #expect((memberships.first?["brand"] as? [String: Any])?["id"] as? String == brand.id.uuidString)
            #expect(memberships.first?["role"] as? String == "owner")
        }
    }

    @Test func sessionCookieIsHttpOnlyAndLax() async throws {
        let env = try await TestEnvironment.make()
        try await env.user("a@example.com")
        try await env.test { client in
            let response = try await client.call(
                .post, "/api/auth/login", json: ["email": "A@Example.com", "password": "correct horse battery"])
            #expect(response.status == .ok)
            let cookie = response.headers[.setCookie] ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.lowercased().contains("samesite=lax"))
            #expect(!cookie.contains("Secure"), "plain http public URL: no Secure flag")
        }
    }

    @Test func secureCookieBehindTLS() async throws {
        let env = try await TestEnvironment.make(settings: ["public.url": "https://live.example.com"])
        try await env.user("a@example.com")
        try await env.test { client in
            let response = try await client.call(
                .post, "/api/auth/login", json: ["email": "a@example.com", "password": "correct horse battery"])
            #expect(response.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test func wrongPasswordIs401AndUnknownUserLooksTheSame() async throws {
        let env = try await TestEnvironment.make()
        try await env.user("a@example.com")
        try await env.test { client in
            let wrong = try await client.call(
                .post, "/api/auth/login", json: ["email": "a@example.com", "password": "nope nope nope"])
            let unknown = try await client.call(
                .post, "/api/auth/login", json: ["email": "b@example.com", "password": "nope nope nope"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            #expect(wrong.text == unknown.text)
        }
    }

    @Test func repeatedFailedLoginsGet429EvenWithTheRightPassword() async throws {
        let env = try await TestEnvironment.make(settings: ["auth.login.attempts": "3"])
        try await env.user("a@example.com")
        try await env.test { client in
            for _ in 0..<3 {
                let response = try await client.call(
                    .post, "/api/auth/login", json: ["email": "a@example.com", "password": "wrong password!"])
                #expect(response.status == .unauthorized)
            }
            let blocked = try await client.call(
                .post, "/api/auth/login", json: ["email": "a@example.com", "password": "correct horse battery"])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.errorCode == "too_many_attempts")
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test func cookieWriteWithoutCSRFTokenIs403() async throws {
        let env = try await TestEnvironment.make()
        _ = try await env.brand("Maison", owner: "a@example.com")
        try await env.test { client in
            let session = try await client.login("a@example.com")
            let cookie = try #require(session.cookie)
            let missing = try await client.call(
                .post, "/api/brands", as: .sessionWithoutCSRF(cookie: cookie), json: ["name": "Other"])
            #expect(missing.status == .forbidden)
            #expect(missing.errorCode == "csrf_token_missing")
            let wrong = try await client.call(
                .post, "/api/brands", as: .session(cookie: cookie, csrf: "forged"), json: ["name": "Other"])
            #expect(wrong.status == .forbidden)
            #expect(wrong.errorCode == "csrf_token_invalid")
            let brands = try await client.call(.get, "/api/brands", as: session)
            #expect(brands.items.count == 1, "nothing was created by the refused requests")
            let right = try await client.call(.post, "/api/brands", as: session, json: ["name": "Other"])
            #expect(right.status == .created)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        let env = try await TestEnvironment.make()
        try await env.user("a@example.com")
        try await env.test { client in
            let session = try await client.login("a@example.com")
            #expect(try await client.call(.post, "/api/auth/logout", as: session).status == .noContent)
            #expect(try await client.call(.get, "/api/me", as: session).status == .unauthorized)
        }
    }

    @Test func passwordChangeNeedsTheCurrentOneAndEndsOtherSessions() async throws {
        let env = try await TestEnvironment.make()
        try await env.user("a@example.com")
        try await env.test { client in
            let first = try await client.login("a@example.com")
            let second = try await client.login("a@example.com")
            let wrong = try await client.call(
                .post, "/api/me/password", as: first,
                json: ["currentPassword": "bad", "newPassword": "a new long password"])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.errorField == "currentPassword")
            let short = try await client.call(
                .post, "/api/me/password", as: first,
                json: ["currentPassword": "correct horse battery", "newPassword": "short"])
            #expect(short.errorField == "newPassword")
            let changed = try await client.call(
                .post, "/api/me/password", as: first,
                json: ["currentPassword": "correct horse battery", "newPassword": "a new long password"])
            #expect(changed.status == .noContent)
            #expect(try await client.call(.get, "/api/me", as: first).status == .ok)
            #expect(try await client.call(.get, "/api/me", as: second).status == .unauthorized)
            _ = try await client.login("a@example.com", password: "a new long password")
        }
    }

    @Test func revokedTokenIsRefused() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "a@example.com")
        try await env.test { client in
            let owner = try await client.login("a@example.com")
            let secret = try await client.token(brand: brand.id.uuidString, scopes: ["catalog:read"], as: owner)
            #expect(try await client.call(.get, "/api/brands/\(brand.id)/products", as: .token(secret)).status == .ok)
            let list = try await client.call(.get, "/api/brands/\(brand.id)/tokens", as: owner)
            let id = try #require(list.items.first?["id"] as? String)
            #expect(list.items.first?["secret"] == nil, "the secret is never listed")
            #expect(
                try await client.call(.delete, "/api/brands/\(brand.id)/tokens/\(id)", as: owner).status == .noContent)
            let refused = try await client.call(.get, "/api/brands/\(brand.id)/products", as: .token(secret))
            #expect(refused.status == .unauthorized)
            #expect(refused.errorCode == "invalid_token")
        }
    }
}
