import Foundation
import VitrineDomain
import VitrineStore

/// The e-mails viewers get about a show they registered for, in their language (FR or EN), each
/// with a one-click unsubscribe (RFC 8058).
enum AudienceMail {
    static func unsubscribeURL(_ base: String, _ registration: Registration) -> String {
        "\(base)/api/public/unsubscribe/\(registration.unsubscribeToken)"
    }

    static func when(_ show: Show, brand: Brand, french: Bool) -> String {
        guard let start = show.scheduledStart else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: french ? "fr_FR" : "en_GB")
        formatter.timeZone = TimeZone(identifier: brand.timeZone) ?? TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = french ? "EEEE d MMMM 'à' HH:mm" : "EEEE d MMMM 'at' HH:mm"
        return formatter.string(from: start)
    }

    static func message(
        to registration: Registration, base: String, subject: String, lines: [String], action: (String, String)?,
        more: [(String, String)] = []
    ) -> MailMessage {
        let actions = (action.map { [$0] } ?? []) + more
        let french = registration.language != "en"
        let unsubscribe = unsubscribeURL(base, registration)
        let footer = french ? "Ne plus recevoir ces messages :" : "Stop these e-mails:"
        var text = lines.joined(separator: "\n\n") + "\n\n"
        for (label, url) in actions { text += "\(label) : \(url)\n\n" }
        text += "\(footer) \(unsubscribe)\n"
        var html = "<!doctype html><html lang=\"\(french ? "fr" : "en")\"><body style=\"font-family:sans-serif\">"
        for line in lines { html += "<p>\(MailMessage.escapeHTML(line))</p>" }
        for (label, url) in actions {
            html += "<p><a href=\"\(MailMessage.escapeHTML(url))\">\(MailMessage.escapeHTML(label))</a></p>"
        }
        html +=
            "<p style=\"color:#666;font-size:small\">\(MailMessage.escapeHTML(footer)) "
            + "<a href=\"\(MailMessage.escapeHTML(unsubscribe))\">\(french ? "se désinscrire" : "unsubscribe")</a></p></body></html>"
        return MailMessage(
            from: "", to: registration.email, subject: subject, text: text, html: html,
            headers: ["List-Unsubscribe": "<\(unsubscribe)>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"])
    }

    static func confirmation(_ registration: Registration, show: Show, brand: Brand, base: String, token: String)
        -> MailMessage
    {
        let french = registration.language != "en"
        let link = "\(base)/api/public/registrations/confirm/\(token)"
        return message(
            to: registration, base: base,
            subject: french
                ? "Confirmez votre rappel pour « \(show.title) »" : "Confirm your reminder for “\(show.title)”",
            lines: [
                french
                    ? "Vous avez demandé un rappel pour le live « \(show.title) » de \(brand.name), \(when(show, brand: brand, french: true))."
                    : "You asked to be reminded of “\(show.title)”, live from \(brand.name) on \(when(show, brand: brand, french: false)).",
                french
                    ? "Confirmez votre adresse pour recevoir le rappel (si ce n’est pas vous, ignorez ce message)."
                    : "Confirm your address to get the reminder (if this was not you, ignore this message).",
            ], action: (french ? "Confirmer" : "Confirm", link))
    }

    static func reminder(_ registration: Registration, show: Show, brand: Brand, base: String, minutes: Int)
        -> MailMessage
    {
        let french = registration.language != "en"
        let lead =
            minutes >= 60
            ? (french ? "demain" : "tomorrow") : (french ? "dans \(minutes) minutes" : "in \(minutes) minutes")
        return message(
            to: registration, base: base,
            subject: french ? "Rappel : « \(show.title) » \(lead)" : "Reminder: “\(show.title)” \(lead)",
            lines: [
                french
                    ? "« \(show.title) » de \(brand.name) commence \(when(show, brand: brand, french: true))."
                    : "“\(show.title)” from \(brand.name) starts on \(when(show, brand: brand, french: false))."
            ], action: (french ? "Voir la page du live" : "See the show's page", showPage(base, brand, show, french)))
    }

    static func live(_ registration: Registration, show: Show, brand: Brand, base: String) -> MailMessage {
        let french = registration.language != "en"
        return message(
            to: registration, base: base,
            subject: french ? "En direct maintenant : « \(show.title) »" : "Live now: “\(show.title)”",
            lines: [
                french
                    ? "\(brand.name) est en direct avec « \(show.title) »."
                    : "\(brand.name) is live with “\(show.title)”."
            ], action: (french ? "Rejoindre le live" : "Join the show", showPage(base, brand, show, french)))
    }

    /// The show's public page, in the viewer's language (the player takes over from it with the player issue).
    static func showPage(_ base: String, _ brand: Brand, _ show: Show, _ french: Bool) -> String {
        "\(base)/b/\(brand.slug)/shows/\(show.id.uuidString.lowercased())?lang=\(french ? "fr" : "en")"
    }
}

extension AudienceMail {
    /// What happened to a show registrants must hear about.
    enum Notice: String, Codable {
        case rescheduled, cancelled, missed
    }

    static func notice(
        _ kind: Notice, _ registration: Registration, show: Show, brand: Brand, base: String, calendar: String
    ) -> MailMessage {
        let french = registration.language != "en"
        let title = show.title
        let (subject, line): (String, String) =
            switch (kind, french) {
            case (.rescheduled, true):
                (
                    "Nouvel horaire : « \(title) »",
                    "« \(title) » de \(brand.name) aura lieu \(when(show, brand: brand, french: true)). Le calendrier joint remplace l’ancien."
                )
            case (.rescheduled, false):
                (
                    "New time: “\(title)”",
                    "“\(title)” from \(brand.name) now starts on \(when(show, brand: brand, french: false)). The attached calendar file replaces the old one."
                )
            case (.cancelled, true): ("Annulé : « \(title) »", "\(brand.name) a annulé le live « \(title) ». Désolés !")
            case (.cancelled, false):
                ("Cancelled: “\(title)”", "\(brand.name) cancelled the live show “\(title)”. Sorry!")
            case (.missed, true):
                ("« \(title) » n’a pas eu lieu", "Le live « \(title) » de \(brand.name) n’a pas commencé. Désolés !")
            case (.missed, false):
                ("“\(title)” did not take place", "The live show “\(title)” from \(brand.name) did not start. Sorry!")
            }
        var message = AudienceMail.message(to: registration, base: base, subject: subject, lines: [line], action: nil)
        message.attachments = [
            .init(filename: "show.ics", contentType: "text/calendar; method=PUBLISH", content: calendar)
        ]
        return message
    }
}

extension AudienceMail {
    /// After the show: thanks, and a two-question survey (the replay link joins when the player exists).
    static func after(
        _ registration: Registration, show: Show, brand: Brand, base: String, survey: String, replay: Bool = false
    ) -> MailMessage {
        let french = registration.language != "en"
        return message(
            to: registration, base: base,
            subject: french ? "Merci ! Votre avis sur « \(show.title) » ?" : "Thank you! How was “\(show.title)”?",
            lines: [
                french
                    ? "Merci d’avoir suivi « \(show.title) » de \(brand.name)."
                    : "Thank you for following “\(show.title)” from \(brand.name).",
                french
                    ? "Une note de 1 à 5 et un mot si vous le souhaitez : cela prend dix secondes."
                    : "A rating from 1 to 5 and a word if you like: it takes ten seconds.",
            ], action: (french ? "Donner mon avis" : "Rate the show", survey),
            more: replay ? [(french ? "Revoir le live" : "Watch the replay", showPage(base, brand, show, french))] : [])
    }
}

extension AudienceMail {
    /// A personal invitation to a private show: its link (which opens the show without the access
    /// code), the time, and the calendar file. In the show's language; no unsubscribe link: it is
    /// one message the brand chose to send, not a subscription.
    static func guestInvitation(
        to email: String, name: String, show: Show, brand: Brand, link: String, calendar: String
    ) -> MailMessage {
        let french = show.language != "en"
        let hello = name.isEmpty ? (french ? "Bonjour," : "Hello,") : (french ? "Bonjour \(name)," : "Hello \(name),")
        let lines = [
            hello,
            french
                ? "\(brand.name) vous invite au live privé « \(show.title) », \(when(show, brand: brand, french: true))."
                : "\(brand.name) invites you to the private live show “\(show.title)” on \(when(show, brand: brand, french: false)).",
            french
                ? "Ce lien est personnel : il vous ouvre le live sans code d’accès. Ne le transférez pas."
                : "This link is yours: it opens the show without an access code. Please do not forward it.",
        ]
        let label = french ? "Ouvrir mon invitation" : "Open my invitation"
        let text = lines.joined(separator: "\n\n") + "\n\n\(label) : \(link)\n"
        var html = "<!doctype html><html lang=\"\(french ? "fr" : "en")\"><body style=\"font-family:sans-serif\">"
        for line in lines { html += "<p>\(MailMessage.escapeHTML(line))</p>" }
        html += "<p><a href=\"\(MailMessage.escapeHTML(link))\">\(MailMessage.escapeHTML(label))</a></p></body></html>"
        var message = MailMessage(
            from: "", to: email,
            subject: french ? "Invitation : « \(show.title) »" : "Invitation: “\(show.title)”", text: text, html: html)
        message.attachments = [
            .init(filename: "show.ics", contentType: "text/calendar; method=PUBLISH", content: calendar)
        ]
        return message
    }
}
