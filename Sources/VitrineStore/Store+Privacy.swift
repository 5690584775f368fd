import FluentKit
import SQLKit
import Foundation
import VitrineDomain

final class PrivacyRequestModel: Model, @unchecked Sendable {
    static let schema = "privacy_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "kind") var kind: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// What a viewer asks of their data (GDPR articles 15 and 17).
public enum PrivacyRequestKind: String, Sendable, Codable {
    case export, delete
}

/// Everything Vitrine holds about one viewer's e-mail address, across brands.
public struct PersonalData: Sendable, Codable, Equatable {
    public struct RegistrationRecord: Sendable, Codable, Equatable {
        public var brand: String
        public var show: String
        public var showStart: Date?
        public var status: String
        public var language: String
        public var marketingConsent: Bool
        public var registeredAt: Date?
        public var confirmedAt: Date?
        public var unsubscribedAt: Date?
        public var rating: Int?
        public var comment: String?
    }
    /// An order the address placed, as the brand keeps it.
    public struct OrderRecord: Sendable, Codable, Equatable {
        public var brand: String
        public var number: String
        public var placedAt: Date
        public var status: String
        public var name: String
        public var phone: String?
        public var address: String?
        public var total: Money
        public var lines: [String]
        public var marketingConsent: Bool
    }
    /// A chat message the person sent (under a viewer id their orders or registrations carry).
    public struct ChatRecord: Sendable, Codable, Equatable {
        public var brand: String
        public var show: String
        public var name: String
        public var text: String
        public var sentAt: Date
    }
    /// A cart of theirs (same link), with what it holds now.
    public struct CartRecord: Sendable, Codable, Equatable {
        public var brand: String
        public var createdAt: Date
        public var lines: [String]
    }
    public var email: String
    public var registrations: [RegistrationRecord]
    public var orders: [OrderRecord] = []
    public var chat: [ChatRecord] = []
    public var carts: [CartRecord] = []
}

extension Store {
    public static let privacyRequestLifetime: TimeInterval = 24 * 3600

    /// A confirmation token for a request about `email`, or nil when Vitrine holds nothing about it.
    public func createPrivacyRequest(email: String, kind: PrivacyRequestKind) async throws -> (
        String, language: String
    )? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard EmailRules.isValid(email) else {
            throw DomainError.invalid("email", "'\(email)' is not an e-mail address.")
        }
        let registration = try await RegistrationModel.query(on: db).filter(\.$email == email)
            .sort(\.$createdAt, .descending).first()
        let orderLanguage = try await sql.raw(
            "SELECT language FROM orders WHERE email = \(bind: email) ORDER BY created_at DESC LIMIT 1"
        ).all().first?.decode(column: "language", as: String.self)
        guard let language = registration?.language ?? orderLanguage else { return nil }
        let token = Secrets.generate()
        let model = PrivacyRequestModel()
        model.email = email
        model.kind = kind.rawValue
        model.tokenHash = Secrets.hash(token)
        model.expiresAt = now.addingTimeInterval(Self.privacyRequestLifetime)
        try await model.create(on: db)
        return (token, language)
    }

    /// The confirmed request behind a token, nil when unknown or expired.
    public func privacyRequest(token: String) async throws -> (email: String, kind: PrivacyRequestKind)? {
        guard
            let model = try await PrivacyRequestModel.query(on: db).filter(\.$tokenHash == Secrets.hash(token)).first(),
            model.expiresAt > now, let kind = PrivacyRequestKind(rawValue: model.kind)
        else { return nil }
        return (model.email, kind)
    }

    public func personalData(email: String) async throws -> PersonalData {
        let registrations = try await RegistrationModel.query(on: db).filter(\.$email == email).sort(\.$createdAt).all()
        var records: [PersonalData.RegistrationRecord] = []
        for registration in registrations {
            let show = try await ShowModel.find(registration.showID, on: db)
            let brand = try await BrandModel.find(registration.brandID, on: db)
            let feedback = try await FeedbackModel.query(on: db).filter(\.$registrationID == registration.id!).first()
            records.append(
                .init(
                    brand: brand?.name ?? "", show: show?.title ?? "", showStart: show?.scheduledStart,
                    status: registration.status, language: registration.language,
                    marketingConsent: registration.marketingConsent, registeredAt: registration.createdAt,
                    confirmedAt: registration.confirmedAt, unsubscribedAt: registration.unsubscribedAt,
                    rating: feedback?.rating, comment: feedback?.comment))
        }
        var orders: [PersonalData.OrderRecord] = []
        for row in try await sql.raw(
            """
            SELECT o.id, o.brand_id, b.name AS brand, o.number, o.created_at, o.status, o.name, o.phone, o.address,
            o.total, o.currency, o.marketing_consent FROM orders o JOIN brands b ON b.id = o.brand_id
            WHERE o.email = \(bind: email) ORDER BY o.created_at
            """
        ).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let lines = try await sql.raw(
                "SELECT quantity, title, variant_title FROM order_lines WHERE order_id = \(bind: id) ORDER BY position"
            ).all().map {
                "\(try $0.decode(column: "quantity", as: Int.self)) × \(try $0.decode(column: "title", as: String.self)) \(try $0.decode(column: "variant_title", as: String.self))"
                    .trimmingCharacters(in: .whitespaces)
            }
            orders.append(
                .init(
                    brand: try row.decode(column: "brand", as: String.self),
                    number: try row.decode(column: "number", as: String.self),
                    placedAt: try row.decode(column: "created_at", as: Date.self),
                    status: try row.decode(column: "status", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    phone: try row.decode(column: "phone", as: String?.self),
                    address: try row.decode(column: "address", as: String?.self),
                    total: Money(
                        minorUnits: try row.decode(column: "total", as: Int.self),
                        currency: try row.decode(column: "currency", as: String.self)), lines: lines,
                    marketingConsent: try row.decode(column: "marketing_consent", as: Bool.self)))
        }
        var data = PersonalData(email: email, registrations: records, orders: orders)
        let viewers = try await viewerIDs(email: email, on: sql)
        if !viewers.isEmpty {
            for row in try await sql.raw(
                """
                SELECT b.name AS brand, s.title AS show, c.name, c.text, c.sent_at FROM chat_messages c
                JOIN brands b ON b.id = c.brand_id JOIN shows s ON s.id = c.show_id
                WHERE c.viewer_id IN (\(binds: viewers)) AND c.staff = \(bind: false) ORDER BY c.sent_at
                """
            ).all() {
                data.chat.append(
                    .init(
                        brand: try row.decode(column: "brand", as: String.self),
                        show: try row.decode(column: "show", as: String.self),
                        name: try row.decode(column: "name", as: String.self),
                        text: try row.decode(column: "text", as: String.self),
                        sentAt: try row.decode(column: "sent_at", as: Date.self)))
            }
            for row in try await sql.raw(
                """
                SELECT c.id, b.name AS brand, c.created_at FROM carts c JOIN brands b ON b.id = c.brand_id
                WHERE c.viewer_id IN (\(binds: viewers)) ORDER BY c.created_at
                """
            ).all() {
                let lines = try await sql.raw(
                    """
                    SELECT l.quantity, p.title FROM cart_lines l JOIN variants v ON v.id = l.variant_id
                    JOIN products p ON p.id = v.product_id WHERE l.cart_id = \(bind: try row.decode(column: "id", as: UUID.self))
                    """
                ).all().map {
                    "\(try $0.decode(column: "quantity", as: Int.self)) × \(try $0.decode(column: "title", as: String.self))"
                }
                data.carts.append(
                    .init(
                        brand: try row.decode(column: "brand", as: String.self),
                        createdAt: try row.decode(column: "created_at", as: Date.self), lines: lines))
            }
        }
        return data
    }

    /// The viewer ids a person's orders and registrations carry: the link to what they did in a
    /// player (chat, cart) under no name but that id.
    func viewerIDs(email: String, on sql: any SQLDatabase) async throws -> [String] {
        var ids = Set<String>()
        for row in try await sql.raw(
            """
            SELECT viewer_id FROM orders WHERE email = \(bind: email) AND viewer_id IS NOT NULL
            UNION SELECT viewer_id FROM registrations WHERE email = \(bind: email) AND viewer_id IS NOT NULL
            """
        ).all() {
            if let id = try row.decode(column: "viewer_id", as: String?.self), !id.isEmpty { ids.insert(id) }
        }
        return Array(ids)
    }

    /// Erases every registration (and survey answer) of `email`, and its pending requests, in one
    /// transaction. Returns how many registrations went.
    public func erasePersonalData(email: String) async throws -> Int {
        try await db.transaction { db in
            // Their chat messages and carts, found through the viewer ids of their orders and
            // registrations (read before those go).
            let viewers = try await self.viewerIDs(email: email, on: db as! any SQLDatabase)
            if !viewers.isEmpty {
                try await (db as! any SQLDatabase).raw(
                    """
                    UPDATE chat_messages SET text = \(bind: ""), name = \(bind: ""), ip = NULL,
                    deleted_at = COALESCE(deleted_at, \(bind: self.now))
                    WHERE viewer_id IN (\(binds: viewers)) AND staff = \(bind: false)
                    """
                ).run()
                // What their carts' checkouts hold goes back first.
                for row in try await (db as! any SQLDatabase).raw(
                    """
                    SELECT r.id, r.brand_id FROM stock_reservations r JOIN carts c ON c.id = r.cart_id
                    WHERE c.viewer_id IN (\(binds: viewers)) AND r.state = 'active' ORDER BY r.variant_id
                    """
                ).all() {
                    _ = try await self.brand(try row.decode(column: "brand_id", as: UUID.self)).release(
                        try row.decode(column: "id", as: UUID.self), now: self.now, on: db as! any SQLDatabase)
                }
                try await (db as! any SQLDatabase).raw(
                    "DELETE FROM carts WHERE viewer_id IN (\(binds: viewers))"
                ).run()
                // Attribution keeps its counts, without the viewer.
                try await (db as! any SQLDatabase).raw(
                    "UPDATE cart_events SET viewer_id = NULL WHERE viewer_id IN (\(binds: viewers))"
                ).run()
            }
            let ids = try await RegistrationModel.query(on: db).filter(\.$email == email).all(\.$id)
            if !ids.isEmpty {
                try await FeedbackModel.query(on: db).filter(\.$registrationID ~~ ids).delete()
                try await RegistrationModel.query(on: db).filter(\.$id ~~ ids).delete()
            }
            // The buyer's orders, to find the webhook bodies that carried them.
            let orderIDs = try await (db as! any SQLDatabase).raw(
                "SELECT id FROM orders WHERE email = \(bind: email)"
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            // Orders stay for the brand's accounts (amounts, lines, dates), without the person.
            try await (db as! any SQLDatabase).raw(
                """
                UPDATE orders SET email = \(bind: "erased@invalid"), name = \(bind: ""), phone = NULL, address = NULL,
                viewer_id = NULL, marketing_consent = \(bind: false) WHERE email = \(bind: email)
                """
            ).run()
            // Uses of promotions stay counted (a code's limit in all), without the person.
            try await (db as! any SQLDatabase).raw(
                "UPDATE promotion_uses SET email = \(bind: "erased@invalid") WHERE email = \(bind: email.lowercased())"
            ).run()
            // Webhook bodies of the buyer's orders (order.*) that were delivered (or gave up): kept as a
            // log entry, without the body. Those still to be sent go as they are: the brand's shop
            // needs the order.
            for id in orderIDs {
                try await (db as! any SQLDatabase).raw(
                    """
                    UPDATE webhook_deliveries SET body = \(bind: "{\"erased\":true}")
                    WHERE status <> \(bind: WebhookDelivery.Status.pending.rawValue)
                    AND body LIKE \(bind: "%\"id\":\"" + id.uuidString + "\"%")
                    """
                ).run()
            }
            try await PrivacyRequestModel.query(on: db).filter(\.$email == email).delete()
            return ids.count
        }
    }

    /// A request is used once.
    public func closePrivacyRequest(token: String) async throws {
        try await PrivacyRequestModel.query(on: db).filter(\.$tokenHash == Secrets.hash(token)).delete()
    }
}
