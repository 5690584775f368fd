import Foundation
import NIOPosix
import VitrineDomain
import VitrineStore

/// Where e-mail goes: an SMTP server (host, port, STARTTLS, login), or nowhere when unset.
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var startTLS: Bool
    public var username: String?
    public var password: String?
    public var from: String
    /// A CA certificate file to trust for STARTTLS (a private mail relay), besides the system's.
    public var caCertificate: String?
}

/// Sends e-mail through Debian's curl, which speaks SMTP with STARTTLS and authentication: one
/// process per message, the password passed on its standard input, never on its command line.
struct Mailer: Sendable {
    let settings: SMTPSettings

    func send(_ message: MailMessage) async throws {
        let settings = self.settings
        let rendered = message.rendered(
            date: Date(), messageID: "\(UUID().uuidString.lowercased())@vitrine",
            boundary: "vitrine-" + UUID().uuidString.lowercased())
        try await NIOThreadPool.singleton.runIfActive {
            let file = NSTemporaryDirectory() + "vitrine-mail-" + UUID().uuidString
            // Readable by this user only: the message may hold a one-time link.
            guard
                FileManager.default.createFile(
                    atPath: file, contents: Data(rendered.utf8), attributes: [.posixPermissions: 0o600])
            else { throw JobError(message: "could not write the message to \(NSTemporaryDirectory())") }
            defer { try? FileManager.default.removeItem(atPath: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            var arguments = [
                "curl", "--silent", "--show-error", "--max-time", "60", "--config", "-",
                "--url", "smtp://\(settings.host):\(settings.port)", "--mail-from", Self.address(settings.from),
                "--mail-rcpt", Self.address(message.to), "--upload-file", file,
            ]
            if settings.startTLS { arguments.append("--ssl-reqd") }
            if let ca = settings.caCertificate { arguments += ["--cacert", ca] }
            process.arguments = arguments
            let input = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            var config = ""
            if let user = settings.username {
                config = "user = \"\(Self.quoted(user)):\(Self.quoted(settings.password ?? ""))\"\n"
            }
            input.fileHandleForWriting.write(Data(config.utf8))
            try input.fileHandleForWriting.close()
            let stderr = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let reason = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw JobError(message: "SMTP delivery to \(settings.host):\(settings.port) failed: \(reason)")
            }
        }
    }

    /// `Maison <shop@example.com>` → `shop@example.com`
    static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return text }
        return String(text[text.index(after: open)..<close])
    }

    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// The job kind that sends one message; its payload is the message as JSON.
    static let jobKind = "mail.send"

    /// The job handler: decodes the message and sends it.
    var handler: JobHandler {
        { job in
            let message = try JSONDecoder().decode(MailMessage.self, from: Data(job.payload.utf8))
            try await send(message)
        }
    }
}
