import FluentKit
import Foundation
import VitrineDomain

/// A viewer's request to be reminded of a show, as mails need it.
public struct Registration: Sendable, Equatable {
    public enum Status: String, Sendable { case pending, confirmed, unsubscribed }
    public var id: UUID
    public var brandID: UUID
    public var showID: UUID
    public var email: String
    public var language: String
    public var marketingConsent: Bool
    public var status: Status
    public var unsubscribeToken: String
}

extension Store {
    /// Registers `email` for a show, pending until confirmed. Returns the confirmation token to
    /// e-mail (a new one each time, so asking again re-sends a working link), or nil when the
    /// address is already confirmed.
    public func register(
        brandID: UUID, showID: UUID, email: String, language: String, marketingConsent: Bool,
        viewerID: String? = nil
    ) async throws -> (Registration, confirmToken: String?) {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard EmailRules.isValid(email) else {
            throw DomainError.invalid("email", "'\(email)' is not an e-mail address.")
        }
        let token = Secrets.generate()
        return try await db.transaction { db in
            let model =
                try await RegistrationModel.query(on: db).filter(\.$showID == showID).filter(\.$email == email).first()
                ?? RegistrationModel()
            if let viewerID { model.viewerID = viewerID }
            if model.$id.exists && model.status == Registration.Status.confirmed.rawValue {
                try await model.save(on: db)
                return (model.registration, nil)
            }
            if !model.$id.exists {
                model.brandID = brandID
                model.showID = showID
                model.email = email
                model.unsubscribeToken = Secrets.generate()
            }
            model.language = language
            model.marketingConsent = marketingConsent
            model.status = Registration.Status.pending.rawValue
            model.confirmTokenHash = Secrets.hash(token)
            try await model.save(on: db)
            return (model.registration, token)
        }
    }

    /// Confirms by the e-mailed token; nil when unknown.
    public func confirmRegistration(token: String) async throws -> Registration? {
        guard
            let model = try await RegistrationModel.query(on: db)
                .filter(\.$confirmTokenHash == Secrets.hash(token)).first()
        else { return nil }
        guard model.status == Registration.Status.pending.rawValue else { return model.registration }
        struct Payload: Encodable {
            struct Viewer: Encodable {
                var id: UUID
                var showId: UUID
                var email: String
                var language: String
                var marketingConsent: Bool
                var confirmedAt: Date
            }
            var registration: Viewer
        }
        let now = self.now
        return try await db.transaction { db in
            // Confirmed once, even when the link is opened twice at the same moment.
            try await self.lock("registrations", where: "id", equals: model.id!, on: db)
            guard let row = try await RegistrationModel.find(model.id, on: db),
                row.status == Registration.Status.pending.rawValue
            else { return try await RegistrationModel.find(model.id, on: db)?.registration ?? model.registration }
            row.status = Registration.Status.confirmed.rawValue
            row.confirmedAt = now
            try await row.save(on: db)
            let viewer = Payload.Viewer(
                id: row.id!, showId: row.showID, email: row.email, language: row.language,
                marketingConsent: row.marketingConsent, confirmedAt: now)
            try await self.brand(row.brandID).emit(.registrationCreated, data: Payload(registration: viewer), on: db)
            return row.registration
        }
    }

    /// One-click unsubscribe (RFC 8058); nil when the token is unknown.
    public func unsubscribe(token: String) async throws -> Registration? {
        guard let model = try await RegistrationModel.query(on: db).filter(\.$unsubscribeToken == token).first() else {
            return nil
        }
        if model.status != Registration.Status.unsubscribed.rawValue {
            model.status = Registration.Status.unsubscribed.rawValue
            model.unsubscribedAt = now
            try await model.save(on: db)
        }
        return model.registration
    }

    public func registration(_ id: UUID) async throws -> Registration? {
        try await RegistrationModel.find(id, on: db)?.registration
    }

    /// Confirmed registrations of a show, for "we are live" and reminders.
    public func confirmedRegistrations(showID: UUID) async throws -> [Registration] {
        try await RegistrationModel.query(on: db).filter(\.$showID == showID)
            .filter(\.$status == Registration.Status.confirmed.rawValue).all().map(\.registration)
    }

    /// A show whatever its brand, for job handlers that start from ids they stored themselves.
    public func showForJob(_ id: UUID) async throws -> (Show, Brand)? {
        guard let model = try await ShowModel.find(id, on: db) else { return nil }
        let scope = brand(model.brandID)
        return (try await scope.show(id), try await scope.settings())
    }
}

extension RegistrationModel {
    var registration: Registration {
        Registration(
            id: id!, brandID: brandID, showID: showID, email: email, language: language,
            marketingConsent: marketingConsent, status: Registration.Status(rawValue: status) ?? .pending,
            unsubscribeToken: unsubscribeToken)
    }
}

/// A registration as the brand's team sees it (never its tokens).
public struct Registrant: Sendable, Codable, Equatable {
    public var id: UUID
    public var email: String
    public var language: String
    public var marketingConsent: Bool
    public var status: String
    public var createdAt: Date
    public var confirmedAt: Date?
    public var unsubscribedAt: Date?
    /// The live viewer id the registration came with: their chat messages carry this address in
    /// the chat export.
    public var viewerId: String?
}

/// A show's registrations, newest first, with the counts per status.
public struct RegistrantList: Sendable, Codable, Equatable {
    public var pending: Int
    public var confirmed: Int
    public var unsubscribed: Int
    /// Confirmed registrants who accepted the brand's marketing e-mails.
    public var marketingConsents: Int
    public var items: [Registrant]
}

extension BrandScope {
    public func registrations(showID: UUID) async throws -> RegistrantList {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        let rows = try await RegistrationModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).sort(\.$createdAt, .descending).all()
        let items = rows.map {
            Registrant(
                id: $0.id!, email: $0.email, language: $0.language, marketingConsent: $0.marketingConsent,
                status: $0.status, createdAt: $0.createdAt ?? Date(), confirmedAt: $0.confirmedAt,
                unsubscribedAt: $0.unsubscribedAt, viewerId: $0.viewerID)
        }
        func count(_ status: Registration.Status) -> Int { items.count { $0.status == status.rawValue } }
        return RegistrantList(
            pending: count(.pending), confirmed: count(.confirmed), unsubscribed: count(.unsubscribed),
            marketingConsents: items.count {
                $0.status == Registration.Status.confirmed.rawValue && $0.marketingConsent
            },
            items: items)
    }
}
