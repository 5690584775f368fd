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
        brandID: UUID, showID: UUID, email: String, language: String, marketingConsent: Bool
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
            if model.$id.exists && model.status == Registration.Status.confirmed.rawValue {
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
        if model.status == Registration.Status.pending.rawValue {
            model.status = Registration.Status.confirmed.rawValue
            model.confirmedAt = now
            try await model.save(on: db)
        }
        return model.registration
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
