import Foundation
import Hummingbird
import VitrineDomain
import VitrineLive
import VitrineStore

/// "Remind me": viewers register for a public show by e-mail (double opt-in), confirm by the
/// e-mailed link, and unsubscribe in one click from any e-mail.
struct AudienceRoutes {
    let services: AppServices
    let publicRoutes: PublicRoutes
    var audience: Audience { services.audience }
    var showRoutes: PublicShowRoutes { PublicShowRoutes(services: services, publicRoutes: publicRoutes) }

    struct RegisterInput: Decodable {
        var email: String
        var language: String?
        /// Explicit consent to marketing e-mails; false unless the viewer ticked it.
        var marketingConsent: Bool?
        /// For a private show: the guest's link token, or the show's access code.
        var guest: String?
        var accessCode: String?
        /// The live viewer id this browser uses in the show's room (docs/realtime.md): the
        /// brand's chat export then shows this address beside that viewer's messages.
        var viewerId: String?
    }
    struct RegisterResult: ResponseEncodable { var status: String }

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/public/brands/{slug}/shows/{showId}/registrations", use: registerViewer)
        router.get("/api/public/registrations/confirm/{token}", use: confirm)
        router.get("/api/public/unsubscribe/{token}", use: unsubscribePage)
        router.post("/api/public/unsubscribe/{token}", use: unsubscribe)
        router.get("/api/public/feedback/{token}", use: surveyPage)
        router.post("/api/public/feedback/{token}", use: answerSurvey)
    }

    /// The survey: five choices and a comment, as a plain HTML form (no script needed).
    @Sendable func surveyPage(request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard token.count <= 100, let (show, _, _) = try await services.store.survey(token: token) else {
            return HTMLPage.unknownLink
        }
        let french = show.language != "en"
        let choices = (1...5).map { n in
            "<label style=\"margin-right:1em\"><input type=\"radio\" name=\"rating\" value=\"\(n)\" required> \(n)</label>"
        }.joined()
        let body = """
            <h1>\(MailMessage.escapeHTML(show.title))</h1>
            <form method="post" action="/api/public/feedback/\(MailMessage.escapeHTML(token))">
            <fieldset><legend>\(french ? "Votre note (1 = décevant, 5 = excellent)" : "Your rating (1 = poor, 5 = excellent)")</legend>\(choices)</fieldset>
            <p><label>\(french ? "Un commentaire ?" : "A comment?")<br><textarea name="comment" maxlength="2000" rows="4" cols="40"></textarea></label></p>
            <button type="submit">\(french ? "Envoyer" : "Send")</button></form>
            """
        return HTMLPage.response(lang: french ? "fr" : "en", title: show.title, body: body)
    }

    /// Takes the form (`rating=1..5&comment=…`, URL-encoded) or the same fields as JSON.
    @Sendable func answerSurvey(request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        let text = String(decoding: Data(buffer: buffer), as: UTF8.self)
        var fields: [String: String] = [:]
        if request.headers[.contentType]?.contains("json") == true {
            struct Answer: Decodable { var rating: Int; var comment: String? }
            let answer = try APIJSON.decode(Answer.self, from: Data(buffer: buffer))
            fields["rating"] = String(answer.rating)
            fields["comment"] = answer.comment
        } else {
            fields = Self.formFields(text)
        }
        guard let rating = fields["rating"].flatMap({ Int($0) }) else {
            throw APIError(
                .unprocessableContent, code: "invalid_field", message: "Choose a rating from 1 to 5.", field: "rating")
        }
        guard token.count <= 100,
            try await services.store.answerSurvey(token: token, rating: rating, comment: fields["comment"])
        else {
            return HTMLPage.unknownLink
        }
        return HTMLPage.message(
            status: .ok, french: true, title: "Merci ! · Thank you!",
            text: "Votre avis est enregistré. · Your answer is saved.")
    }

    @Sendable func registerViewer(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = services.store.brand(try await publicRoutes.brandID(context))
        let input = try await request.decode(as: RegisterInput.self, context: context)
        guard
            let show = try await showRoutes.viewable(
                scope, id: try context.parameters.id("showId"), guest: input.guest, code: input.accessCode,
                context: context),
            show.status == .scheduled || show.status == .live
        else { throw APIError.notFound }
        if let viewerID = input.viewerId, !LiveConnection.isValidViewerID(viewerID) {
            throw APIError(
                .unprocessableContent, code: "invalid_field",
                message: "viewerId is 8 to 64 letters, digits, - or _.", field: "viewerId")
        }
        let pending = try await register(
            scope: scope, show: show, email: input.email, language: input.language ?? "fr",
            marketingConsent: input.marketingConsent ?? false, viewerID: input.viewerId, context: context)
        var response = try RegisterResult(status: pending ? "pending" : "confirmed")
            .response(from: request, context: context)
        response.status = .accepted
        return response
    }

    /// Registers `email` for a public show and e-mails the confirmation link; true while the address
    /// awaits confirmation, false when it was already confirmed. Used by the API and the show page's form.
    func register(
        scope: BrandScope, show: Show, email: String, language: String, marketingConsent: Bool,
        viewerID: String? = nil, context: AppRequestContext
    ) async throws -> Bool {
        guard language == "fr" || language == "en" else {
            throw APIError(
                .unprocessableContent, code: "invalid_field", message: "language is fr or en.", field: "language")
        }
        guard services.mail.isEnabled else {
            throw APIError(
                .conflict, code: "email_unavailable",
                message: "Reminders need e-mail, which this server does not send.")
        }
        let keys = [
            "register:" + email.lowercased(), "register-ip:" + (context.remoteAddress?.ipAddress ?? "unknown"),
        ]
        try await services.limiter.refuseIfLimited(keys: keys, what: "requests")
        await services.limiter.recordFailure(keys: keys)
        let (registration, token) = try await services.store.register(
            brandID: scope.brandID, showID: show.id, email: email, language: language,
            marketingConsent: marketingConsent, viewerID: viewerID)
        if let token {
            try await services.mail.send(
                AudienceMail.confirmation(
                    registration, show: show, brand: try await scope.settings(), base: services.config.publicURL,
                    token: token),
                brandID: scope.brandID)
        }
        return token != nil
    }
    @Sendable func confirm(request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard token.count <= 100, let registration = try await services.store.confirmRegistration(token: token),
            let (show, _) = try await services.store.showForJob(registration.showID)
        else {
            return HTMLPage.message(
                status: .notFound, french: true, title: "Lien inconnu · Unknown link",
                text: "Ce lien de confirmation est inconnu. · This confirmation link is unknown.")
        }
        if registration.status == .confirmed { try await audience.scheduleReminders(registration, show: show) }
        let french = registration.language != "en"
        return HTMLPage.message(
            status: .ok, french: french, title: french ? "C’est noté" : "You are registered",
            text: french
                ? "Vous recevrez un rappel avant « \(show.title) »." : "You will get a reminder before “\(show.title)”."
        )
    }

    /// A GET never unsubscribes (mail scanners follow links): it shows a button that POSTs.
    @Sendable func unsubscribePage(request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let body = """
            <form method="post" action="/api/public/unsubscribe/\(MailMessage.escapeHTML(token))">
            <p>Ne plus recevoir d’e-mails pour ce live ? · Stop e-mails about this show?</p>
            <button type="submit">Me désinscrire · Unsubscribe</button></form>
            """
        return HTMLPage.response(lang: "fr", title: "Vitrine", body: body)
    }

    @Sendable func unsubscribe(request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard token.count <= 100, let registration = try await services.store.unsubscribe(token: token) else {
            return HTMLPage.unknownLink
        }
        let french = registration.language != "en"
        return HTMLPage.message(
            status: .ok, french: french, title: french ? "Désinscription faite" : "Unsubscribed",
            text: french
                ? "Vous ne recevrez plus d’e-mails pour ce live." : "You will get no more e-mails about this show.")
    }

    /// One name or value of an `application/x-www-form-urlencoded` body.
    static func formDecoded(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    /// The fields of an `application/x-www-form-urlencoded` body (a repeated name keeps its last value).
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(formDecoded)
            if parts.count == 2 { fields[parts[0]] = parts[1] } else if parts.count == 1 { fields[parts[0]] = "" }
        }
        return fields
    }
}
