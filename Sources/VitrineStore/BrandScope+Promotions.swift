import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// A promotion as stored, with what the team sees of it.
struct PromotionRow: Sendable {
    var promotion: Promotion
    var title: String
    var brandID: UUID
    var active: Bool
    var uses: Int
    var createdAt: Date

    var view: PromotionView {
        PromotionView(promotion, title: title, active: active, uses: uses, createdAt: createdAt)
    }

    init(_ row: any SQLRow) throws {
        let currency = try row.decode(column: "currency", as: String.self)
        let value: Promotion.Value =
            if let amount = try row.decode(column: "amount_off", as: Int?.self) {
                .fixed(Money(minorUnits: amount, currency: currency))
            } else {
                .percentage(try row.decode(column: "percent_off", as: Int?.self) ?? 0)
            }
        promotion = Promotion(
            id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String?.self),
            value: value,
            minimumOrder: try row.decode(column: "minimum_order", as: Int?.self).map {
                Money(minorUnits: $0, currency: currency)
            }, startsAt: try row.decode(column: "starts_at", as: Date?.self),
            endsAt: try row.decode(column: "ends_at", as: Date?.self),
            showId: try row.decode(column: "show_id", as: UUID?.self),
            usageLimit: try row.decode(column: "usage_limit", as: Int?.self),
            perCustomerLimit: try row.decode(column: "per_customer_limit", as: Int?.self))
        title = try row.decode(column: "title", as: String.self)
        brandID = try row.decode(column: "brand_id", as: UUID.self)
        active = try row.decode(column: "active", as: Bool.self)
        uses = try row.decode(column: "uses", as: Int.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
    }
}

extension BrandScope {
    public func promotions() async throws -> [PromotionView] {
        try await sql.raw(
            "SELECT * FROM promotions WHERE brand_id = \(bind: brandID) ORDER BY created_at DESC"
        ).all().map { try PromotionRow($0).view }
    }

    public func promotion(_ id: UUID) async throws -> PromotionView {
        guard let row = try await promotionRow(id, on: sql) else { throw DomainError.notFound }
        return row.view
    }

    func promotionRow(_ id: UUID, on sql: any SQLDatabase) async throws -> PromotionRow? {
        try await sql.raw(
            "SELECT * FROM promotions WHERE id = \(bind: id) AND brand_id = \(bind: brandID)"
        ).all().first.map(PromotionRow.init)
    }

    public func createPromotion(_ input: PromotionInput) async throws -> PromotionView {
        let brand = try await settings()
        let (promotion, title) = try PromotionRules.apply(input, to: nil, id: UUID(), currency: brand.currency)
        try await checkShow(promotion.showId)
        let now = store.now
        do {
            try await write(promotion, title: title, active: input.active ?? true, now: now, new: true, on: sql)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError(
                .conflict, code: "code_taken", message: "The brand already has a promotion with this code.",
                field: "code")
        }
        return try await self.promotion(promotion.id)
    }

    public func updatePromotion(_ id: UUID, _ input: PromotionInput) async throws -> PromotionView {
        let brand = try await settings()
        guard let row = try await promotionRow(id, on: sql) else { throw DomainError.notFound }
        let (promotion, title) = try PromotionRules.apply(
            input, to: (row.promotion, row.title), id: id, currency: brand.currency)
        try await checkShow(promotion.showId)
        try await write(
            promotion, title: title, active: input.active ?? row.active, now: store.now, new: false, on: sql)
        return try await self.promotion(id)
    }

    /// Deletes a promotion never used; one that was is turned off instead (its orders keep it).
    public func deletePromotion(_ id: UUID) async throws -> PromotionView? {
        guard let row = try await promotionRow(id, on: sql) else { throw DomainError.notFound }
        if row.uses == 0 {
            // Only while still unused: an order that used it meanwhile keeps it (turned off below).
            let deleted = try await sql.raw(
                "DELETE FROM promotions WHERE id = \(bind: id) AND brand_id = \(bind: brandID) AND uses = 0 RETURNING id"
            ).all()
            if !deleted.isEmpty { return nil }
        }
        try await sql.raw(
            "UPDATE promotions SET active = \(bind: false), updated_at = \(bind: store.now) WHERE id = \(bind: id)"
        ).run()
        return try await promotion(id)
    }

    private func checkShow(_ id: UUID?) async throws {
        guard let id else { return }
        guard try await showModel(id, on: db) != nil else {
            throw DomainError(.notFound, code: "not_found", message: "The brand has no such show.", field: "showId")
        }
    }

    private func write(
        _ promotion: Promotion, title: String, active: Bool, now: Date, new: Bool, on sql: any SQLDatabase
    )
        async throws
    {
        var percent: Int?
        var amount: Int?
        var currency = try await settings().currency
        switch promotion.value {
        case .percentage(let basisPoints): percent = basisPoints
        case .fixed(let money):
            amount = money.minorUnits
            currency = money.currency
        }
        if new {
            try await sql.raw(
                """
                INSERT INTO promotions (id, brand_id, code, title, percent_off, amount_off, currency, minimum_order,
                starts_at, ends_at, show_id, usage_limit, per_customer_limit, active, uses, created_at, updated_at)
                VALUES (\(bind: promotion.id), \(bind: brandID), \(bind: promotion.code), \(bind: title), \(bind: percent),
                \(bind: amount), \(bind: currency), \(bind: promotion.minimumOrder?.minorUnits), \(bind: promotion.startsAt),
                \(bind: promotion.endsAt), \(bind: promotion.showId), \(bind: promotion.usageLimit),
                \(bind: promotion.perCustomerLimit), \(bind: active), \(bind: 0), \(bind: now), \(bind: now))
                """
            ).run()
        } else {
            try await sql.raw(
                """
                UPDATE promotions SET title = \(bind: title), percent_off = \(bind: percent), amount_off = \(bind: amount),
                currency = \(bind: currency), minimum_order = \(bind: promotion.minimumOrder?.minorUnits),
                starts_at = \(bind: promotion.startsAt), ends_at = \(bind: promotion.endsAt),
                show_id = \(bind: promotion.showId), usage_limit = \(bind: promotion.usageLimit),
                per_customer_limit = \(bind: promotion.perCustomerLimit), active = \(bind: active),
                updated_at = \(bind: now)
                WHERE id = \(bind: promotion.id) AND brand_id = \(bind: brandID)
                """
            ).run()
        }
    }
}

/// The promotions a batch of orders (or a cart) may use: by code, and the automatic offers of
/// their shows; which shows are live; what each promotion was used for so far, in all and by
/// each buyer.
struct PromotionsForSale {
    var byCode: [String: PromotionRow] = [:]
    var automatic: [UUID: [PromotionRow]] = [:]
    var liveShows: Set<UUID> = []
    var uses: [UUID: Int] = [:]
    var usesByBuyer: [String: Int] = [:]

    /// The promotion for these lines: the code's (or its refusal), else the best automatic offer
    /// of a live show, or none. `subtotal` is the lines' total before any discount.
    func choose(brandID: UUID, code: String?, showId: UUID?, email: String?, subtotal: Money, now: Date)
        -> Result<Promotion?, DomainError>
    {
        let live = showId.flatMap { liveShows.contains($0) ? $0 : nil }
        func context(_ promotion: Promotion) -> PromotionContext {
            PromotionContext(
                now: now, liveShowId: live, usesSoFar: uses[promotion.id] ?? 0,
                usesByThisBuyer: email.map { usesByBuyer["\(promotion.id)|\($0.lowercased())"] ?? 0 } ?? 0)
        }
        if let code {
            guard let row = byCode["\(brandID)|\(PromotionRules.normalise(code: code))"], row.active else {
                return .failure(
                    DomainError(
                        .invalid, code: "unknown_promotion", message: "This code is not one of the brand's.",
                        field: "promotionCode"))
            }
            if let refusal = Pricing.refusal(of: row.promotion, subtotal: subtotal, context: context(row.promotion)) {
                return .failure(refusal)
            }
            return .success(row.promotion)
        }
        guard let live else { return .success(nil) }
        let offers = (automatic[live] ?? []).filter {
            $0.active && $0.brandID == brandID
                && Pricing.refusal(of: $0.promotion, subtotal: subtotal, context: context($0.promotion)) == nil
        }
        func off(_ promotion: Promotion) -> Int {
            switch promotion.value {
            case .percentage(let basisPoints): subtotal.minorUnits * basisPoints / 10000
            case .fixed(let amount): min(amount.minorUnits, subtotal.minorUnits)
            }
        }
        return .success(offers.map(\.promotion).max { off($0) < off($1) })
    }
}

extension Store {
    /// Loads what `PromotionsForSale` needs; on PostgreSQL the promotions are locked (their use
    /// counts are written by this transaction).
    func promotionsForSale(
        codes: [(brand: UUID, code: String)], shows: [UUID], emails: [String], lock: Bool, on sql: any SQLDatabase
    ) async throws -> PromotionsForSale {
        var result = PromotionsForSale()
        let forUpdate: SQLQueryString = lock && isPostgres ? " FOR UPDATE" : ""
        // Found first, then read (and locked) in one query in id order: two batches never lock
        // the same promotions in two orders.
        var ids: [UUID] = []
        for (brand, group) in Dictionary(grouping: codes, by: \.brand) {
            let normalised = Array(Set(group.map { PromotionRules.normalise(code: $0.code) }))
            ids += try await sql.raw(
                "SELECT id FROM promotions WHERE brand_id = \(bind: brand) AND code IN (\(binds: normalised))"
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
        }
        if !shows.isEmpty {
            ids += try await sql.raw(
                """
                SELECT id FROM promotions WHERE show_id IN (\(binds: shows)) AND code IS NULL AND active = \(bind: true)
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
        }
        var rows: [PromotionRow] = []
        if !ids.isEmpty {
            rows = try await sql.raw(
                "SELECT * FROM promotions WHERE id IN (\(binds: Array(Set(ids)))) ORDER BY id" + forUpdate
            ).all().map(PromotionRow.init)
        }
        if !shows.isEmpty {
            for row in try await sql.raw(
                "SELECT id FROM shows WHERE id IN (\(binds: shows)) AND status = 'live'"
            ).all() {
                result.liveShows.insert(try row.decode(column: "id", as: UUID.self))
            }
        }
        for row in rows {
            if let code = row.promotion.code {
                result.byCode["\(row.brandID)|\(code)"] = row
            } else if let show = row.promotion.showId {
                result.automatic[show, default: []].append(row)
            }
            result.uses[row.promotion.id] = row.uses
        }
        let limited = rows.filter { $0.promotion.perCustomerLimit != nil }.map(\.promotion.id)
        let buyers = Array(Set(emails.map { $0.lowercased() }))
        if !limited.isEmpty && !buyers.isEmpty {
            for chunk in buyers.chunks(of: 500) {
                for row in try await sql.raw(
                    """
                    SELECT promotion_id, email, COUNT(*) AS n FROM promotion_uses
                    WHERE promotion_id IN (\(binds: limited)) AND email IN (\(binds: chunk)) GROUP BY promotion_id, email
                    """
                ).all() {
                    result.usesByBuyer[
                        "\(try row.decode(column: "promotion_id", as: UUID.self))|\(try row.decode(column: "email", as: String.self))"
                    ] = try row.decode(column: "n", as: Int.self)
                }
            }
        }
        return result
    }
}
