import Crypto
import Foundation
import NIOPosix
import VitrineDomain
import VitrineStore

/// Sends webhook deliveries: resolves the endpoint's host, refuses private and loopback addresses
/// (again at each attempt, so a host name that later resolves to one, DNS rebinding, is caught),
/// then POSTs the signed body with Debian's curl pinned to the address that was checked.
struct WebhookSender: Sendable {
    /// Loopback and private addresses allowed: for tests and local development only.
    let allowPrivate: Bool
    let clock: @Sendable () -> Date
    var timeout = 10

    /// `t=TIMESTAMP,v1=HEX`, where HEX is HMAC-SHA256 with the endpoint's secret over `TIMESTAMP.BODY`.
    static func signature(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// A failure to report in the delivery log (never holds the URL's path or query, which may carry secrets).
    struct Failure: Error {
        var status: Int?
        var message: String
    }

    /// Checks that `url` is one Vitrine may call: http(s), and every address of its host public.
    /// Returns the address to connect to.
    func check(_ url: String) async throws(DomainError) -> (URLComponents, IPAddress) {
        let components = try WebhookRules.validURL(url)
        let host = components.host ?? ""
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        return (components, try await OutboundAddress.publicAddress(host: host, port: port, allowPrivate: allowPrivate))
    }

    /// POSTs one delivery; returns the HTTP status (2xx) or throws a `Failure`.
    func send(_ attempt: WebhookAttempt, deliveryID: UUID) async throws -> Int {
        let components: URLComponents
        let address: IPAddress
        do {
            (components, address) = try await check(attempt.url)
        } catch {
            throw Failure(status: nil, message: error.message)
        }
        let host = components.host ?? ""
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        let timestamp = Int(clock().timeIntervalSince1970)
        let pinned = address.bytes.count == 16 ? "[\(address)]" : "\(address)"
        let arguments = [
            "curl", "--silent", "--show-error", "--max-time", "\(timeout)", "--proto", "=http,https",
            "--output", "/dev/null", "--write-out", "%{http_code}", "--resolve", "\(host):\(port):\(pinned)",
            "--request", "POST", "--header", "Content-Type: application/json",
            "--header", "User-Agent: Vitrine-Webhooks/1",
            "--header", "Vitrine-Event: \(attempt.event.rawValue)",
            "--header", "Vitrine-Event-Id: \(attempt.eventID.uuidString)",
            "--header", "Vitrine-Delivery: \(deliveryID.uuidString)",
            "--header",
            "Vitrine-Signature: \(Self.signature(secret: attempt.secret, timestamp: timestamp, body: attempt.body))",
            "--data-binary", "@-", "--url", attempt.url,
        ]
        let body = attempt.body
        let (exit, output, errors) = try await NIOThreadPool.singleton.runIfActive {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let input = Pipe()
            let output = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            input.fileHandleForWriting.write(Data(body.utf8))
            try input.fileHandleForWriting.close()
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (
                process.terminationStatus, String(decoding: out, as: UTF8.self),
                String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
        let status = Int(output.trimmingCharacters(in: .whitespaces)).flatMap { $0 == 0 ? nil : $0 }
        guard exit == 0 else {
            // curl's own words ("Failed to connect to host port 443", "Operation timed out") name the host, not the path.
            let reason = errors.replacingOccurrences(of: "curl: ", with: "")
            throw Failure(status: status, message: reason.isEmpty ? "curl exited with \(exit)" : reason)
        }
        guard let status, (200..<300).contains(status) else {
            let hint = status.map { (300..<400).contains($0) ? " (redirects are not followed)" : "" } ?? ""
            throw Failure(
                status: status, message: "The endpoint answered HTTP \(status.map(String.init) ?? "?")\(hint).")
        }
        return status
    }

    /// The job handler: one attempt of one delivery; a failure is recorded, then thrown for a retry.
    func handler(store: Store) -> JobHandler {
        { job in
            struct Payload: Decodable { var delivery: UUID }
            let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
            guard let attempt = try await store.webhookAttempt(payload.delivery) else { return }
            let final = job.attempt >= job.maxAttempts
            guard attempt.enabled else {
                try await store.recordWebhookAttempt(
                    payload.delivery, responseStatus: nil, error: "The endpoint is switched off: not sent.",
                    delivered: false, final: true)
                return
            }
            do {
                let status = try await send(attempt, deliveryID: payload.delivery)
                try await store.recordWebhookAttempt(
                    payload.delivery, responseStatus: status, error: nil, delivered: true, final: true)
            } catch let failure as Failure {
                try await store.recordWebhookAttempt(
                    payload.delivery, responseStatus: failure.status, error: failure.message, delivered: false,
                    final: final)
                throw JobError(message: "webhook delivery failed: \(failure.message)")
            }
        }
    }
}
