import Foundation

/// An e-mail: a plain-text part and an HTML part of the same message (multipart/alternative).
public struct MailMessage: Sendable, Codable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    /// Extra headers, e.g. `List-Unsubscribe` (values must be ASCII).
    public var headers: [String: String]
    /// Files sent along (an `.ics` of a rescheduled show).
    public var attachments: [Attachment] = []

    /// A file attached to a message.
    public struct Attachment: Sendable, Codable, Equatable {
        public var filename: String
        public var contentType: String
        public var content: String

        public init(filename: String, contentType: String, content: String) {
            self.filename = filename
            self.contentType = contentType
            self.content = content
        }
    }

    public init(from: String, to: String, subject: String, text: String, html: String, headers: [String: String] = [:])
    {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
    }

    /// The message as sent over SMTP: RFC 5322 headers, MIME parts in UTF-8 and base64, CRLF lines.
    public func rendered(date: Date, messageID: String, boundary: String) -> String {
        var lines = [
            "From: \(from)", "To: \(to)", "Subject: \(Self.encodedWord(subject))", "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(messageID)>", "MIME-Version: 1.0",
        ]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { lines.append("\(name): \(value)") }
        // With attachments: multipart/mixed holding the text/HTML alternative, then each file.
        let alternative = attachments.isEmpty ? boundary : boundary + "-alt"
        if !attachments.isEmpty {
            lines += ["Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "", "--\(boundary)"]
        }
        lines += [
            "Content-Type: multipart/alternative; boundary=\"\(alternative)\"", "", "--\(alternative)",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
        ]
        lines += Self.base64Lines(text)
        lines += [
            "--\(alternative)", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "",
        ]
        lines += Self.base64Lines(html)
        lines += ["--\(alternative)--", ""]
        for attachment in attachments {
            let name = attachment.filename.filter { $0.isASCII && $0 != "\"" && $0 != "\\" }
            lines += [
                "--\(boundary)", "Content-Type: \(attachment.contentType); charset=utf-8; name=\"\(name)\"",
                "Content-Disposition: attachment; filename=\"\(name)\"", "Content-Transfer-Encoding: base64", "",
            ]
            lines += Self.base64Lines(attachment.content)
        }
        if !attachments.isEmpty { lines += ["--\(boundary)--", ""] }
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 encoded words when the subject is not plain ASCII: each word short enough that every
    /// header line stays under 78 characters (mail software re-folds longer ones) and holding whole
    /// characters, words folded onto continuation lines.
    static func encodedWord(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if chunk.utf8.count + String(character).utf8.count > 39 {
                words.append("=?UTF-8?B?" + Data(chunk.utf8).base64EncodedString() + "?=")
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk.utf8).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(
                encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// Escapes text for the HTML part: user text never becomes markup.
    public static func escapeHTML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
