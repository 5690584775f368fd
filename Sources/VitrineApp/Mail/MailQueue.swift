import Foundation
import VitrineDomain
import VitrineStore

/// Puts e-mails on the durable job queue; a no-op when no SMTP server is configured.
struct MailQueue: Sendable {
    let store: Store
    /// The sender; nil when e-mail is off.
    let from: String?

    var isEnabled: Bool { from != nil }

    /// Queues `message` (its `from` is filled in); returns false when e-mail is off.
    @discardableResult
    func send(_ message: MailMessage, brandID: UUID?, uniqueKey: String? = nil) async throws -> Bool {
        guard let from else { return false }
        var message = message
        message.from = from
        let payload = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        return try await store.enqueue(
            Mailer.jobKind, payload: payload, brandID: brandID, uniqueKey: uniqueKey, maxAttempts: 12)
    }
}

/// The e-mails about a brand's team, in French or English.
enum TeamMail {
    static func invitation(to email: String, brand: Brand, role: Role, link: String) -> MailMessage {
        let french = brand.languages.first != "en"
        let name = brand.name
        let subject =
            french ? "Invitation à rejoindre « \(name) » sur Vitrine" : "You are invited to join “\(name)” on Vitrine"
        let intro =
            french
            ? "Vous êtes invité·e à rejoindre l’équipe de \(name) (rôle : \(role.rawValue))."
            : "You are invited to join the team of \(name) (role: \(role.rawValue))."
        let action = french ? "Accepter l’invitation" : "Accept the invitation"
        let expiry =
            french ? "Ce lien est valable 7 jours et ne sert qu’une fois." : "This link works once, for 7 days."
        let text = "\(intro)\n\n\(action) : \(link)\n\n\(expiry)\n"
        let html = """
            <!doctype html><html lang="\(french ? "fr" : "en")"><body style="font-family:sans-serif">
            <p>\(MailMessage.escapeHTML(intro))</p>
            <p><a href="\(MailMessage.escapeHTML(link))">\(MailMessage.escapeHTML(action))</a></p>
            <p style="color:#666">\(MailMessage.escapeHTML(expiry))</p>
            </body></html>
            """
        return MailMessage(from: "", to: email, subject: subject, text: text, html: html)
    }

    static func passwordReset(to email: String, name: String, link: String, french: Bool) -> MailMessage {
        let subject = french ? "Choisir un nouveau mot de passe Vitrine" : "Choose a new Vitrine password"
        let hello = french ? "Bonjour \(name)," : "Hello \(name),"
        let intro =
            french
            ? "Quelqu’un (vous, sans doute) a demandé à changer le mot de passe de votre compte Vitrine."
            : "Someone (probably you) asked to change the password of your Vitrine account."
        let action = french ? "Choisir un nouveau mot de passe" : "Choose a new password"
        let note =
            french
            ? "Ce lien est valable une heure et ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message."
            : "This link works once, for one hour. If you did not ask for it, ignore this message."
        let text = "\(hello)\n\n\(intro)\n\n\(action) : \(link)\n\n\(note)\n"
        let html = """
            <!doctype html><html lang="\(french ? "fr" : "en")"><body style="font-family:sans-serif">
            <p>\(MailMessage.escapeHTML(hello))</p><p>\(MailMessage.escapeHTML(intro))</p>
            <p><a href="\(MailMessage.escapeHTML(link))">\(MailMessage.escapeHTML(action))</a></p>
            <p style="color:#666">\(MailMessage.escapeHTML(note))</p>
            </body></html>
            """
        return MailMessage(from: "", to: email, subject: subject, text: text, html: html)
    }
}
