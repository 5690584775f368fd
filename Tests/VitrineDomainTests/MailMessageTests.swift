import Foundation
import Testing

@testable import VitrineDomain

@Suite struct MailMessageTests {
    let message = MailMessage(
        from: "Maison <live@maison.test>", to: "lea@example.com",
        subject: "Invitation à rejoindre « Maison Lumière » sur Vitrine, le jeudi à 19 h",
        text: "Bonjour Léa,\nà jeudi !",
        html: "<p>Bonjour Léa,</p>", headers: ["List-Unsubscribe": "<https://x.test/u/1>"])

    @Test func rendersMultipartWithEncodedSubjectAndCRLF() {
        let text = message.rendered(date: Date(timeIntervalSince1970: 0), messageID: "m1@vitrine", boundary: "b1")
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"b1\"\r\n"))
        #expect(text.contains("List-Unsubscribe: <https://x.test/u/1>\r\n"))
        #expect(!text.contains("\n\n") || text.contains("\r\n\r\n"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
        let subject = text.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
        #expect(subject.first?.hasPrefix("Subject: =?UTF-8?B?") == true)
        #expect(subject.dropFirst().first?.hasPrefix(" =?UTF-8?B?") == true, "long subjects fold")
    }

    @Test func asciiSubjectsStayReadable() {
        #expect(MailMessage.encodedWord("Hello") == "Hello")
    }

    @Test func escapesHTML() {
        #expect(
            MailMessage.escapeHTML("<b>\"Léa\" & 'co'</b>") == "&lt;b&gt;&quot;Léa&quot; &amp; &#39;co&#39;&lt;/b&gt;")
    }
}

@Suite struct MailAttachmentTests {
    @Test func attachmentsMakeAMixedMessageAroundTheAlternative() {
        var message = MailMessage(from: "a@b.test", to: "c@d.test", subject: "Hi", text: "t", html: "<p>h</p>")
        message.attachments = [.init(filename: "show.ics", contentType: "text/calendar", content: "BEGIN:VCALENDAR")]
        let text = message.rendered(date: Date(timeIntervalSince1970: 0), messageID: "m@v", boundary: "b")
        #expect(text.contains("Content-Type: multipart/mixed; boundary=\"b\"\r\n"))
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"b-alt\"\r\n"))
        #expect(text.contains("Content-Disposition: attachment; filename=\"show.ics\"\r\n"))
        #expect(text.contains(Data("BEGIN:VCALENDAR".utf8).base64EncodedString()))
        #expect(text.hasSuffix("--b--\r\n"))
    }
}
