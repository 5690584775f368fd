import FluentKit
import Foundation
import SQLKit
import VitrineDomain

extension BrandScope {
    /// The brand's pick-up stores; with `activeOnly`, those buyers may choose.
    public func pickupStores(activeOnly: Bool = false) async throws -> [PickupStore] {
        let condition: SQLQueryString = activeOnly ? " AND active = \(bind: true)" : ""
        return try await sql.raw(
            "SELECT * FROM pickup_stores WHERE brand_id = \(bind: brandID)" + condition + " ORDER BY name, id"
        ).all().map(Self.pickupStore)
    }

    public func pickupStore(_ id: UUID) async throws -> PickupStore {
        guard
            let row = try await sql.raw(
                "SELECT * FROM pickup_stores WHERE id = \(bind: id) AND brand_id = \(bind: brandID)"
            ).all().first
        else { throw DomainError.notFound }
        return try Self.pickupStore(row)
    }

    public func createPickupStore(_ input: PickupStoreInput) async throws -> PickupStore {
        let store = try PickupStoreRules.apply(input, to: nil, id: UUID())
        try await sql.raw(
            """
            INSERT INTO pickup_stores (id, brand_id, name, address, opening_hours, active, created_at)
            VALUES (\(bind: store.id), \(bind: brandID), \(bind: store.name), \(bind: try Self.json(store.address)),
            \(bind: try Self.json(store.openingHours)), \(bind: store.active), \(bind: self.store.now))
            """
        ).run()
        return store
    }

    public func updatePickupStore(_ id: UUID, _ input: PickupStoreInput) async throws -> PickupStore {
        let updated = try PickupStoreRules.apply(input, to: try await pickupStore(id), id: id)
        try await sql.raw(
            """
            UPDATE pickup_stores SET name = \(bind: updated.name), address = \(bind: try Self.json(updated.address)),
            opening_hours = \(bind: try Self.json(updated.openingHours)), active = \(bind: updated.active)
            WHERE id = \(bind: id) AND brand_id = \(bind: brandID)
            """
        ).run()
        return updated
    }

    /// Deletes a store no order names; one that an order names is turned off instead.
    public func deletePickupStore(_ id: UUID) async throws -> PickupStore? {
        _ = try await pickupStore(id)
        let named = try await sql.raw(
            "SELECT id FROM orders WHERE brand_id = \(bind: brandID) AND pickup_store_id = \(bind: id) LIMIT 1"
        ).all()
        guard named.isEmpty else { return try await updatePickupStore(id, PickupStoreInput(active: false)) }
        try await sql.raw("DELETE FROM pickup_stores WHERE id = \(bind: id) AND brand_id = \(bind: brandID)").run()
        return nil
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func pickupStore(_ row: any SQLRow) throws -> PickupStore {
        let decoder = JSONDecoder()
        return PickupStore(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            address: try decoder.decode(
                PostalAddress.self, from: Data(try row.decode(column: "address", as: String.self).utf8)),
            openingHours: (try? decoder.decode(
                [OpeningHours].self, from: Data(try row.decode(column: "opening_hours", as: String.self).utf8))) ?? [],
            active: try row.decode(column: "active", as: Bool.self))
    }
}
