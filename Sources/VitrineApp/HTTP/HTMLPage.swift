import Hummingbird
import VitrineDomain

/// The few server-made HTML pages (links in e-mails): one shell, text escaped by the callers.
enum HTMLPage {
    /// `body` is HTML that the caller built with every user text escaped.
    static func response(status: HTTPResponse.Status = .ok, lang: String, title: String, body: String) -> Response {
        let html = """
            <!doctype html><html lang="\(lang)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width"><meta name="robots" content="noindex">
            <title>\(MailMessage.escapeHTML(title))</title></head><body style="font-family:sans-serif">
            \(body)</body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A message page: a heading and a sentence.
    static func message(status: HTTPResponse.Status, french: Bool, title: String, text: String) -> Response {
        response(
            status: status, lang: french ? "fr" : "en", title: title,
            body: "<h1>\(MailMessage.escapeHTML(title))</h1><p>\(MailMessage.escapeHTML(text))</p>")
    }

    /// A link that is unknown, used or expired.
    static var unknownLink: Response {
        message(status: .notFound, french: true, title: "Lien inconnu · Unknown link", text: "")
    }
}
