import Foundation
import Synchronization
import HummingbirdTesting
import Testing
import VitrineDomain

@testable import VitrineApp

/// One request per action, made against a brand that has a product with SKU `PROBE-1`.
enum ActionProbe {
    static func call(_ action: Action, brand: UUID, as caller: Caller, client: any TestClientProtocol) async throws
        -> APIResponse
    {
        let base = "/api/brands/\(brand)"
        switch action {
        case .viewBrand: return try await client.call(.get, base, as: caller)
        case .editBrandSettings:
            return try await client.call(.patch, base, as: caller, json: ["accentColor": "#123456"])
        case .viewMembers: return try await client.call(.get, base + "/members", as: caller)
        case .manageMembers: return try await client.call(.get, base + "/invitations", as: caller)
        case .manageOwners:
            return try await client.call(
                .post, base + "/invitations", as: caller, json: ["email": "next-owner@example.com", "role": "owner"])
        case .manageTokens: return try await client.call(.get, base + "/tokens", as: caller)
        case .viewCatalog: return try await client.call(.get, base + "/products", as: caller)
        case .editCatalog:
            return try await client.call(.post, base + "/products", as: caller, json: ["title": "Probe \(UUID())"])
        case .importCatalog:
            let csv =
                "Handle,Title,Variant SKU,Variant Price,Option1 Name,Option1 Value\nprobe-import,Probe,,9.90,Title,Default Title\n"
            return try await client.call(
                .post, base + "/imports", as: caller, raw: Array(csv.utf8), contentType: "text/csv")
        case .pushStock:
            return try await client.call(
                .post, base + "/stock", as: caller, json: ["items": [["sku": "PROBE-1", "quantity": 7]]])
        case .viewShows: return try await client.call(.get, base + "/shows", as: caller)
        case .manageShows: return try await client.call(.post, base + "/shows", as: caller, json: ["title": "Probe"])
        case .presentShow:
            let shows = try await client.call(.get, base + "/shows?status=draft", as: .token(probeToken(brand)))
            let id = shows.items.first { $0["title"] as? String == "Probe show" }?["id"] as? String ?? ""
            return try await client.call(.post, base + "/shows/\(id)/stream-key", as: caller)
        case .viewAudience:
            let shows = try await client.call(.get, base + "/shows?status=draft", as: .token(probeToken(brand)))
            let id = shows.items.first { $0["title"] as? String == "Probe show" }?["id"] as? String ?? ""
            return try await client.call(.get, base + "/shows/\(id)/registrations", as: caller)
        case .manageWebhooks: return try await client.call(.get, base + "/webhooks", as: caller)
        case .viewJobs: return try await client.call(.get, base + "/jobs", as: caller)
        case .moderateLive: return try await client.call(.get, base + "/bans", as: caller)
        case .viewOrders: return try await client.call(.get, base + "/orders", as: caller)
        case .manageOrders:
            // A buyer places an order on the brand's public endpoint; the caller cancels it.
            let (slug, variant) = sales.withLock { $0[brand]! }
            let order = try await client.call(
                .post, "/api/public/brands/\(slug)/orders",
                json: [
                    "idempotencyKey": UUID().uuidString, "email": "buyer@example.com", "name": "Buyer",
                    "acceptTerms": true,
                    "address": ["line1": "1 rue de la Paix", "postalCode": "75002", "city": "Paris", "country": "FR"],
                    "lines": [["variantId": variant.uuidString, "quantity": 1]],
                ] as [String: Any])
            let id = (order.json["order"] as? [String: Any])?["id"] as? String ?? ""
            return try await client.call(.post, base + "/orders/\(id)/cancel", as: caller, json: [:] as [String: Any])
        }
    }

    /// A product with SKU `PROBE-1`, a show hosted by every `host` member, and a reading token.
    static func seed(_ env: TestEnvironment, brand: UUID) async throws {
        let scope = env.store.brand(brand)
        var input = ProductInput(title: "Probe")
        input.status = .active
        input.variants = [VariantInput(sku: "PROBE-1", price: Money(minorUnits: 990, currency: "EUR"))]
        _ = try await scope.createProduct(input)
        // Sold without counting (the probes of stock.push set PROBE-1's stock).
        var sold = ProductInput(title: "Probe for orders")
        sold.status = .active
        var variant = VariantInput(sku: "PROBE-ORDER", price: Money(minorUnits: 990, currency: "EUR"))
        variant.inventoryPolicy = .continue
        sold.variants = [variant]
        let product = try await scope.createProduct(sold)
        let slug = try await scope.settings().slug
        sales.withLock { $0[brand] = (slug, product.variants[0].id) }
        var show = ShowInput(title: "Probe show")
        show.hosts = try await scope.members().filter { $0.role == .host }.map(\.id)
        _ = try await scope.createShow(show)
        tokens.withLock { $0[brand] = "" }
        let (_, secret) = try await scope.createToken(name: "probe", scopes: [.showsRead])
        tokens.withLock { $0[brand] = secret }
    }

    static let tokens = Mutex<[UUID: String]>([:])
    /// The brand's slug and its probe variant, for orders.
    static let sales = Mutex<[UUID: (String, UUID)]>([:])
    static func probeToken(_ brand: UUID) -> String { tokens.withLock { $0[brand] ?? "" } }
}

@Suite struct RoleMatrixTests {
    @Test(arguments: TestDatabase.available)
    func everyRoleCanDoExactlyWhatTheTableSays(database: TestDatabase) async throws {
        // setup
        let env = try await TestEnvironment.make(database)
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        for role in Role.allCases where role != .owner {
            try await env.user("\(role.rawValue)@example.com", brand: brand.id, role: role)
        }
        try await ActionProbe.seed(env, brand: brand.id)
        try await env.test { client in
            for role in Role.allCases {
                let caller = try await client.login("\(role.rawValue)@example.com")
                for action in Action.allCases {
                    // MUT
                    let response = try await ActionProbe.call(action, brand: brand.id, as: caller, client: client)
                    // validate
                    if role.allows(action) {
                        #expect(
                            (200..<300).contains(response.status.code),
                            "\(role) \(action.rawValue): \(response.status) \(response.text)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) \(action.rawValue): \(response.status)")
                    }
                }
            }
        }
    }

    @Test func eachTokenScopeAllowsWhatItNamesAndNothingElse() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await ActionProbe.seed(env, brand: brand.id)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            for scope in TokenScope.allCases {
                let secret = try await client.token(brand: brand.id.uuidString, scopes: [scope.rawValue], as: owner)
                for action in Action.allCases {
                    let response = try await ActionProbe.call(
                        action, brand: brand.id, as: .token(secret), client: client)
                    if TokenScope.required(for: action) == scope {
                        #expect(
                            (200..<300).contains(response.status.code), "\(scope) \(action.rawValue): \(response.text)")
                    } else {
                        #expect(response.status == .forbidden, "\(scope) \(action.rawValue): \(response.status)")
                    }
                }
                // Personal routes never accept tokens.
                #expect(try await client.call(.get, "/api/me", as: .token(secret)).status == .forbidden)
                #expect(try await client.call(.get, "/api/brands", as: .token(secret)).status == .forbidden)
            }
        }
    }

    @Test func docsRolesTableMatchesTheCode() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/roles.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var seen = Set<Action>()
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let action = Action(rawValue: cells[0]) else { continue }
            seen.insert(action)
            let roles: [Role] = [.owner, .admin, .producer, .host, .moderator]
            for (index, role) in roles.enumerated() {
                #expect((cells[index + 1] == "yes") == role.allows(action), "\(action.rawValue) × \(role)")
            }
            #expect(cells[6] == (TokenScope.required(for: action)?.rawValue ?? "—"), "\(action.rawValue) scope")
        }
        #expect(seen == Set(Action.allCases), "every action has a row")
    }

    @Test func adminCannotTouchOwnersAndTheLastOwnerStays() async throws {
        let env = try await TestEnvironment.make()
        let brand = try await env.brand("Maison", owner: "owner@example.com")
        try await env.user("admin@example.com", brand: brand.id, role: .admin)
        try await env.test { client in
            let owner = try await client.login("owner@example.com")
            let admin = try await client.login("admin@example.com")
            let members = try await client.call(.get, "/api/brands/\(brand.id)/members", as: owner).items
            let ownerMember = try #require(members.first { $0["role"] as? String == "owner" }?["id"] as? String)
            let adminMember = try #require(members.first { $0["role"] as? String == "admin" }?["id"] as? String)
            let demote = try await client.call(
                .patch, "/api/brands/\(brand.id)/members/\(ownerMember)", as: admin, json: ["role": "host"])
            #expect(demote.status == .forbidden)
            let promote = try await client.call(
                .patch, "/api/brands/\(brand.id)/members/\(adminMember)", as: admin, json: ["role": "owner"])
            #expect(promote.status == .forbidden)
            let last = try await client.call(.delete, "/api/brands/\(brand.id)/members/\(ownerMember)", as: owner)
            #expect(last.status == .conflict)
            #expect(last.errorCode == "last_owner")
            let host = try await client.call(
                .patch, "/api/brands/\(brand.id)/members/\(adminMember)", as: admin, json: ["role": "host"])
            #expect(host.status == .ok)
            #expect(host.json["role"] as? String == "host")
        }
    }
}
