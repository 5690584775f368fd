import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import VitrineStore

/// Stripe's REST API, the parts Vitrine uses: PaymentIntents (created for an order, read back,
/// cancelled) and refunds. Form-encoded requests with the brand's secret key, an idempotency key
/// on every write (a retry never charges or refunds twice), a pinned API version. The key is
/// never logged, and errors carry Stripe's message only.
struct StripeClient: Sendable {
    /// `https://api.stripe.com`; a local server in tests.
    let baseURL: String
    let http: HTTPClient
    var timeout: TimeAmount = .seconds(20)
    static let apiVersion = "2024-06-20"

    struct PaymentIntent: Decodable, Sendable, Equatable {
        var id: String
        var amount: Int
        var currency: String
        var status: String
        var client_secret: String?
        var amount_received: Int?
        var metadata: [String: String]?
    }

    struct Refund: Decodable, Sendable, Equatable {
        var id: String
        var amount: Int
        var status: String?
        var payment_intent: String?
    }

    /// Stripe's error body: `{"error": {"type", "code", "message"}}`.
    struct ErrorEnvelope: Decodable {
        struct Detail: Decodable {
            var type: String?
            var code: String?
            var message: String?
        }
        var error: Detail
    }

    /// An answer other than 2xx, or no answer.
    struct Failure: Error, CustomStringConvertible {
        var status: Int?
        var type: String?
        var code: String?
        var message: String
        var description: String { "Stripe: \(message)" + (status.map { " (HTTP \($0))" } ?? "") }
    }

    func createPaymentIntent(
        secretKey: String, amount: Int, currency: String, description: String, metadata: [String: String],
        idempotencyKey: String
    ) async throws -> PaymentIntent {
        var form: [(String, String)] = [
            ("amount", String(amount)), ("currency", currency.lowercased()),
            // Cards, and the wallets that pay with one (Apple Pay, Google Pay): paid at once, in
            // place. Methods that leave the page for a bank's site, or that settle days later
            // (SEPA debit), do not fit a hold of minutes. 3-D Secure when the bank or the EU's
            // strong customer authentication asks for it, in Stripe.js's own frame.
            ("payment_method_types[0]", "card"),
            ("description", description),
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { form.append(("metadata[\(key)]", value)) }
        return try await call(.POST, "/v1/payment_intents", form: form, key: secretKey, idempotencyKey: idempotencyKey)
    }

    func paymentIntent(_ id: String, secretKey: String) async throws -> PaymentIntent {
        try await call(
            .GET, "/v1/payment_intents/\(try Self.pathID(id))", form: [], key: secretKey, idempotencyKey: nil)
    }

    func cancelPaymentIntent(_ id: String, secretKey: String, idempotencyKey: String) async throws -> PaymentIntent {
        try await call(
            .POST, "/v1/payment_intents/\(try Self.pathID(id))/cancel", form: [], key: secretKey,
            idempotencyKey: idempotencyKey)
    }

    func refund(
        paymentIntent: String, amount: Int, secretKey: String, metadata: [String: String], idempotencyKey: String
    )
        async throws -> Refund
    {
        var form: [(String, String)] = [("payment_intent", paymentIntent), ("amount", String(amount))]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { form.append(("metadata[\(key)]", value)) }
        return try await call(.POST, "/v1/refunds", form: form, key: secretKey, idempotencyKey: idempotencyKey)
    }

    static func pathID(_ id: String) throws -> String {
        guard !id.isEmpty, id.count <= 255, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { throw Failure(status: nil, type: nil, code: nil, message: "not a Stripe id") }
        return id
    }

    /// `application/x-www-form-urlencoded`, as Stripe's API takes it.
    static func formEncode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return form.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    func call<T: Decodable>(
        _ method: HTTPMethod, _ path: String, form: [(String, String)], key: String, idempotencyKey: String?
    ) async throws -> T {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Stripe-Version", value: Self.apiVersion)
        request.headers.add(name: "User-Agent", value: "Vitrine/1")
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncode(form)))
        }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw Failure(status: nil, type: nil, code: nil, message: "no answer from Stripe (\(type(of: error)))")
        }
        let data = Data(buffer: body)
        guard (200..<300).contains(response.status.code) else {
            let detail = try? JSONDecoder().decode(ErrorEnvelope.self, from: data).error
            throw Failure(
                status: Int(response.status.code), type: detail?.type, code: detail?.code,
                message: detail?.message ?? "HTTP \(response.status.code)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw Failure(
                status: Int(response.status.code), type: nil, code: nil, message: "an answer Vitrine cannot read")
        }
    }
}

/// Stripe's webhook signatures: `Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=HEX…]`, HEX being
/// HMAC-SHA256 with the endpoint's signing secret over `TIMESTAMP.BODY`.
enum StripeSignature {
    /// Five minutes either way, as Stripe's libraries allow.
    static let tolerance: TimeInterval = 300

    static func sign(payload: Data, secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=" + Secrets.hex(mac(payload: payload, secret: secret, timestamp: timestamp))
    }

    static func verify(payload: Data, header: String?, secret: String, now: Date) -> Bool {
        guard let header else { return false }
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(Secrets.hex(mac(payload: payload, secret: secret, timestamp: timestamp)).utf8)
        // Compared in constant time.
        return signatures.contains { candidate in
            let given = Array(candidate.utf8)
            guard given.count == expected.count else { return false }
            return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    static func mac(payload: Data, secret: String, timestamp: Int) -> [UInt8] {
        var signed = Data("\(timestamp).".utf8)
        signed.append(payload)
        return Array(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8))))
    }
}
