import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// A viewer downloads or erases what Vitrine holds about their e-mail address, after confirming
/// by an e-mailed link (GDPR articles 15 and 17). Orders will be anonymised, not deleted, when the
/// commerce issue brings them.
struct PrivacyRoutes {
    let services: AppServices

    struct RequestInput: Decodable {
        var email: String
        var request: PrivacyRequestKind
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/public/privacy", use: request)
        router.get("/api/public/privacy/{token}", use: page)
        router.post("/api/public/privacy/{token}", use: carryOut)
    }

    /// Always 202, whether anything is held or not, so the answer reveals nothing.
    @Sendable func request(request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: RequestInput.self, context: context)
        guard services.mail.isEnabled else {
            throw APIError(
                .conflict, code: "email_unavailable",
                message: "Confirming by e-mail is needed, and this server sends no e-mail.")
        }
        let keys = [
            "privacy:" + input.email.lowercased(), "privacy-ip:" + (context.remoteAddress?.ipAddress ?? "unknown"),
        ]
        try await services.limiter.refuseIfLimited(keys: keys, what: "requests")
        await services.limiter.recordFailure(keys: keys)
        if let (token, language) = try await services.store.createPrivacyRequest(
            email: input.email, kind: input.request)
        {
            let french = language != "en"
            let link = "\(services.config.publicURL)/api/public/privacy/\(token)"
            let what =
                switch (input.request, french) {
                case (.export, true): "télécharger les données que nous avons sur votre adresse"
                case (.export, false): "download the data we hold about your address"
                case (.delete, true): "effacer les données que nous avons sur votre adresse"
                case (.delete, false): "erase the data we hold about your address"
                }
            let line = french ? "Vous avez demandé à \(what)." : "You asked to \(what)."
            let note =
                french
                ? "Ce lien est valable 24 heures. Si vous n’avez rien demandé, ignorez ce message."
                : "This link works for 24 hours. If you did not ask, ignore this message."
            let message = MailMessage(
                from: "", to: input.email.lowercased(),
                subject: french ? "Vos données sur Vitrine" : "Your data on Vitrine",
                text: "\(line)\n\n\(french ? "Confirmer" : "Confirm") : \(link)\n\n\(note)\n",
                html: "<p>\(MailMessage.escapeHTML(line))</p><p><a href=\"\(MailMessage.escapeHTML(link))\">"
                    + "\(french ? "Confirmer" : "Confirm")</a></p><p>\(MailMessage.escapeHTML(note))</p>")
            try await services.mail.send(message, brandID: nil)
        }
        return Response(status: .accepted)
    }

    /// A GET shows a button (mail scanners follow links); the POST acts.
    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard token.count <= 100, let (_, kind) = try await services.store.privacyRequest(token: token) else {
            return HTMLPage.unknownLink
        }
        let label =
            kind == .export ? "Télécharger mes données · Download my data" : "Effacer mes données · Erase my data"
        let body = """
            <form method="post" action="/api/public/privacy/\(MailMessage.escapeHTML(token))">
            <button type="submit">\(label)</button></form>
            """
        return HTMLPage.response(lang: "fr", title: "Vitrine", body: body)
    }

    @Sendable func carryOut(request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard token.count <= 100, let (email, kind) = try await services.store.privacyRequest(token: token) else {
            return HTMLPage.unknownLink
        }
        switch kind {
        case .export:
            let data = try await services.store.personalData(email: email)
            try await services.store.closePrivacyRequest(token: token)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"vitrine-data.json\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(data))))
        case .delete:
            let count = try await services.store.erasePersonalData(email: email)
            return HTMLPage.message(
                status: .ok, french: true, title: "Données effacées · Data erased",
                text: "\(count) inscription(s) effacée(s). · \(count) registration(s) erased.")
        }
    }
}
