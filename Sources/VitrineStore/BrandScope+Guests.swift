import FluentKit
import Foundation
import VitrineDomain

/// An invited guest of a private show, as the brand's team sees it (never the link's token).
public struct ShowGuest: Sendable, Codable, Equatable {
    public var id: UUID
    public var email: String
    public var name: String
    public var createdAt: Date
    /// When the guest last opened their link.
    public var lastOpenedAt: Date?
    public var revokedAt: Date?
}

/// Private shows' guests: each gets a personal link (shown once, e-mailed, stored hashed) that
/// opens the show without the access code; revoking it closes that link only.
extension BrandScope {
    public func guests(showID: UUID) async throws -> [ShowGuest] {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        return try await ShowGuestModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID)
            .sort(\.$createdAt).all().map(\.guest)
    }

    /// Invites `email` to a private show, or gives an invited guest a new link (the old one stops
    /// working). Returns the guest and the link's token, which the caller shows once and e-mails.
    public func inviteGuest(showID: UUID, email: String, name: String?) async throws -> (ShowGuest, token: String) {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard EmailRules.isValid(email) else {
            throw DomainError.invalid("email", "'\(email)' is not an e-mail address.")
        }
        let name = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.count <= 120, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw DomainError.invalid("name", "The name has at most 120 characters, without control characters.") }
        let token = Secrets.generate(prefix: "guest_")
        return try await db.transaction { db in
            guard let show = try await self.showModel(showID, on: db) else { throw DomainError.notFound }
            guard show.format == ShowFormat.private.rawValue else {
                throw DomainError(
                    .conflict, code: "show_not_private",
                    message: "Only private shows have guests: anyone may watch a public show.")
            }
            guard [ShowStatus.draft, .scheduled, .live].map(\.rawValue).contains(show.status) else {
                throw DomainError(
                    .conflict, code: "show_not_upcoming", message: "The show is \(show.status): nobody can be invited.")
            }
            let count = try await ShowGuestModel.query(on: db).filter(\.$showID == showID).count()
            let model =
                try await ShowGuestModel.query(on: db).filter(\.$showID == showID).filter(\.$email == email).first()
                ?? ShowGuestModel()
            if !model.$id.exists {
                // One-to-few: a private show is for a circle of customers, not a mailing list.
                guard count < 500 else {
                    throw DomainError(
                        .conflict, code: "too_many_guests", message: "A private show has at most 500 guests.")
                }
                model.brandID = self.brandID
                model.showID = showID
                model.email = email
            }
            if !name.isEmpty || !model.$id.exists { model.name = name }
            model.tokenHash = Secrets.hash(token)
            model.revokedAt = nil
            try await model.save(on: db)
            return (model.guest, token)
        }
    }

    public func revokeGuest(showID: UUID, guestID: UUID) async throws -> ShowGuest {
        guard
            let model = try await ShowGuestModel.query(on: db).filter(\.$brandID == brandID)
                .filter(\.$showID == showID).filter(\.$id == guestID).first()
        else { throw DomainError.notFound }
        if model.revokedAt == nil {
            model.revokedAt = store.now
            try await model.save(on: db)
        }
        return model.guest
    }

    /// A show as viewers may see it: a public one, or a private one opened with a guest's link or
    /// its access code. Nil otherwise (and for drafts), so a private show is never told apart from
    /// one that does not exist.
    public func viewableShow(_ id: UUID, guestToken: String? = nil, accessCode: String? = nil) async throws -> Show? {
        guard let model = try await showModel(id, on: db),
            let status = ShowStatus(rawValue: model.status), Self.publicStatuses.contains(status)
        else { return nil }
        if model.format == ShowFormat.private.rawValue {
            var allowed = false
            if let guestToken, guestToken.count <= 100,
                let guest = try await ShowGuestModel.query(on: db).filter(\.$brandID == brandID)
                    .filter(\.$showID == id).filter(\.$tokenHash == Secrets.hash(guestToken)).first(),
                guest.revokedAt == nil
            {
                guest.lastOpenedAt = store.now
                try await guest.save(on: db)
                allowed = true
            } else if let accessCode, let expected = model.accessCode,
                Secrets.hash(accessCode.trimmingCharacters(in: .whitespaces).uppercased())
                    == Secrets.hash(expected.uppercased())
            {
                // Compared as hashes: the time taken says nothing about how much of the code was right.
                allowed = true
            }
            guard allowed else { return nil }
        }
        return try await assemble([model])[0]
    }
}

extension ShowGuestModel {
    var guest: ShowGuest {
        ShowGuest(
            id: id!, email: email, name: name, createdAt: createdAt ?? Date(), lastOpenedAt: lastOpenedAt,
            revokedAt: revokedAt)
    }
}

extension BrandScope {
    /// Whether `id` is a private show viewers could open with its access code (for the code form).
    public func isPrivateShow(_ id: UUID) async throws -> Bool {
        guard let model = try await showModel(id, on: db), let status = ShowStatus(rawValue: model.status) else {
            return false
        }
        return model.format == ShowFormat.private.rawValue && Self.publicStatuses.contains(status)
    }
}
