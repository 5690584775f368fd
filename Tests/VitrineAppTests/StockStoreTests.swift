import Foundation
import Testing
import VitrineDomain
import VitrineStore

/// Stock reservations on SQLite and PostgreSQL: nothing with the policy "deny" is ever held or
/// sold beyond its stock, under any concurrency, and expired holds give their units back.
@Suite struct StockStoreTests {
    /// Runs `body` on a fresh environment, closed whether it passes or throws.
    func withEnvironment(_ database: TestDatabase, _ body: (TestEnvironment) async throws -> Void) async throws {
        let env = try await TestEnvironment.make(database)
        do {
            try await body(env)
        } catch {
            await env.cleanup()
            throw error
        }
        await env.cleanup()
    }

    func variant(_ env: TestEnvironment, brand: Brand, onHand: Int, policy: InventoryPolicy = .deny) async throws
        -> UUID
    {
        var input = ProductInput(title: "Parfum du jardin \(UUID().uuidString.prefix(6))")
        input.status = .active
        var variant = VariantInput(
            sku: "P-\(UUID().uuidString.prefix(8))", price: Money(minorUnits: 8900, currency: "EUR"))
        variant.inventoryQuantity = onHand
        variant.inventoryPolicy = policy
        input.variants = [variant]
        return try await env.store.brand(brand.id).createProduct(input).variants[0].id
    }

    @Test(arguments: TestDatabase.available)
    func parallelCheckoutsHoldExactlyWhatThereIs(database: TestDatabase) async throws {
        // setup: 7 units, 20 buyers at once
        try await withEnvironment(database) { env in
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await variant(env, brand: brand, onHand: 7)
            // MUT
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await scope.reserve(variantID: id, quantity: 1)
                            return "held"
                        } catch let error as DomainError {
                            return error.code
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            // validate: 7 held, 13 told everything is in other checkouts, nothing more
            #expect(outcomes.filter { $0 == "held" }.count == 7)
            #expect(outcomes.filter { $0 == "all_reserved" }.count == 13, "\(outcomes)")
            let level = try await scope.stockLevel(variantID: id)
            #expect(level == StockLevel(onHand: 7, reserved: 7, soldUnacknowledged: 0))
            #expect(level.allReserved && !level.soldOut)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anExpiredHoldGivesItsUnitsBackAndALatePaymentTakesWhatIsLeft(database: TestDatabase) async throws {
        // setup: 2 units; a checkout holds both at 12:00 for 10 minutes
        try await withEnvironment(database) { env in
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await variant(env, brand: brand, onHand: 2)
            let noon = Date(timeIntervalSince1970: 1_800_000_000)
            let first = try await scope.reserve(variantID: id, quantity: 2, now: noon)
            // MUT: one second before expiry nothing is released; at expiry it is
            #expect(try await scope.releaseExpired(now: noon.addingTimeInterval(599)) == 0)
            #expect(try await scope.stockLevel(variantID: id).available == 0)
            #expect(try await scope.releaseExpired(now: noon.addingTimeInterval(600)) == 1)
            #expect(try await scope.releaseExpired(now: noon.addingTimeInterval(601)) == 0)
            // validate: the units are back ("available again")
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 2, reserved: 0, soldUnacknowledged: 0))
            // a payment confirmed after expiry still takes the units while they are there
            _ = try await scope.take(reservationID: first.id, now: noon.addingTimeInterval(700))
            #expect(
                try await scope.stockLevel(variantID: id) == StockLevel(onHand: 2, reserved: 0, soldUnacknowledged: 2))
            // taking twice (a retried confirmation) changes nothing
            _ = try await scope.take(reservationID: first.id)
            #expect(try await scope.stockLevel(variantID: id).soldUnacknowledged == 2)
            // a second checkout that expired while someone else bought: out of stock, nothing written
            let other = try await variant(env, brand: brand, onHand: 1)
            let late = try await scope.reserve(variantID: other, quantity: 1, now: noon)
            #expect(try await scope.releaseExpired(now: noon.addingTimeInterval(600)) == 1)
            _ = try await scope.reserve(variantID: other, quantity: 1, now: noon.addingTimeInterval(601))
            await #expect(throws: DomainError.self) { try await scope.take(reservationID: late.id) }
            #expect(
                try await scope.stockLevel(variantID: other)
                    == StockLevel(onHand: 1, reserved: 1, soldUnacknowledged: 0))
        }
    }

    @Test(arguments: TestDatabase.available)
    func viewersSeeAllReservedThenAvailableAgain(database: TestDatabase) async throws {
        try await withEnvironment(database) { env in
            // setup: a product with 3 units; a checkout holds all of them at noon
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await variant(env, brand: brand, onHand: 3)
            let product = try #require(
                try await scope.products(query: nil, status: nil, page: 1, perPage: 10).items.first)
            let noon = Date(timeIntervalSince1970: 1_800_000_000)
            _ = try await scope.reserve(variantID: id, quantity: 3, now: noon)
            // validate: "all reserved", not "sold out"
            #expect(
                try await scope.liveStock(productIDs: [product.id])[product.id]
                    == LiveStock(available: 0, soldOut: false, allReserved: true))
            // MUT: the store-wide expiry, as the schedule service runs it
            #expect(try await env.store.releaseExpiredReservations(now: noon.addingTimeInterval(600)) == 1)
            // validate: available again
            #expect(
                try await scope.liveStock(productIDs: [product.id])[product.id]
                    == LiveStock(available: 3, soldOut: false, allReserved: false))
            // sold for good: sold out
            let last = try await scope.reserve(variantID: id, quantity: 3, now: noon.addingTimeInterval(700))
            _ = try await scope.take(reservationID: last.id)
            #expect(
                try await scope.liveStock(productIDs: [product.id])[product.id]
                    == LiveStock(available: 0, soldOut: true, allReserved: false))
        }
    }

    @Test(arguments: TestDatabase.available)
    func randomCheckoutsKeepTheCountsTrue(database: TestDatabase) async throws {
        // setup: a bounded random run of reserve / take / release / expire on 30 units
        try await withEnvironment(database) { env in
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let scope = env.store.brand(brand.id)
            let id = try await variant(env, brand: brand, onHand: 30)
            var random = SplitMix64(seed: 20_261_123)
            var active: [UUID: (quantity: Int, expires: Date)] = [:]
            var sold = 0
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            // MUT
            for step in 0..<120 {
                let now = start.addingTimeInterval(Double(step) * 30)
                active = active.filter { $0.value.expires > now }  // holds older than 5 minutes expire
                switch random.next() % 4 {
                case 0, 1:
                    let quantity = Int(random.next() % 3) + 1
                    if let held = try? await scope.reserve(variantID: id, quantity: quantity, seconds: 300, now: now) {
                        active[held.id] = (quantity, held.expiresAt)
                    }
                case 2:
                    if let (reservation, hold) = active.first {
                        _ = try await scope.take(reservationID: reservation, now: now)
                        active[reservation] = nil
                        sold += hold.quantity
                    }
                default:
                    if let (reservation, _) = active.first {
                        #expect(try await scope.release(reservationID: reservation, now: now))
                        active[reservation] = nil
                    }
                }
                _ = try await scope.releaseExpired(now: now)
                let level = try await scope.stockLevel(variantID: id)
                // validate: never more held and sold than there is, and the counts match every hold
                #expect(level.reserved + level.soldUnacknowledged <= 30)
                #expect(level.available + level.reserved + level.soldUnacknowledged == 30)
                #expect(level.soldUnacknowledged == sold)
                #expect(level.reserved == active.values.map(\.quantity).reduce(0, +))
            }
            #expect(sold > 0 && sold <= 30)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anotherBrandsVariantAndAbsurdQuantitiesAreRefused(database: TestDatabase) async throws {
        try await withEnvironment(database) { env in
            let brand = try await env.brand("Maison", owner: "owner@example.com")
            let other = try await env.brand("Autre", owner: "other@example.com")
            let theirs = try await variant(env, brand: other, onHand: 5)
            let mine = try await variant(env, brand: brand, onHand: 5)
            let scope = env.store.brand(brand.id)
            await #expect(throws: DomainError.unknownVariantForTests) {
                try await scope.reserve(variantID: theirs, quantity: 1)
            }
            for quantity in [0, -3, 100] {
                await #expect(throws: DomainError.self) { try await scope.reserve(variantID: mine, quantity: quantity) }
            }
            // nothing was written
            #expect(try await env.store.brand(other.id).stockLevel(variantID: theirs).reserved == 0)
            #expect(try await scope.stockLevel(variantID: mine).reserved == 0)
            // a variant that sells beyond its stock is held whatever is left
            let open = try await variant(env, brand: brand, onHand: 0, policy: .continue)
            _ = try await scope.reserve(variantID: open, quantity: 3)
            #expect(try await scope.stockLevel(variantID: open).reserved == 3)
        }
    }
}

extension DomainError {
    static let unknownVariantForTests = DomainError(
        .notFound, code: "not_found", message: "This brand has no such variant.", field: "variantId")
}
