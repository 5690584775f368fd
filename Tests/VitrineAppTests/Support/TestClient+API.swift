import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// How a test request authenticates.
enum Caller: Sendable {
    case anonymous
    case session(cookie: String, csrf: String)
    /// A session that forgets to send its CSRF token.
    case sessionWithoutCSRF(cookie: String)
    case token(String)
}

/// A decoded answer: status, headers and the JSON body (when there is one).
struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

extension TestClientProtocol {
    /// Sends a request with a JSON body (a dictionary, array or raw bytes/string) as `caller`.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as caller: Caller = .anonymous, json: Any? = nil,
        raw: [UInt8]? = nil, contentType: String = "application/json"
    ) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        switch caller {
        case .anonymous: break
        case .session(let cookie, let csrf):
            headers[.cookie] = "vitrine_session=\(cookie)"
            headers[HTTPField.Name("X-CSRF-Token")!] = csrf
        case .sessionWithoutCSRF(let cookie):
            headers[.cookie] = "vitrine_session=\(cookie)"
        case .token(let secret):
            headers[.authorization] = "Bearer \(secret)"
        }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = contentType
        } else if let raw {
            body = ByteBuffer(bytes: raw)
            headers[.contentType] = contentType
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            APIResponse(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// Logs in and returns the session caller.
    func login(_ email: String, password: String = "correct horse battery") async throws -> Caller {
        let response = try await call(.post, "/api/auth/login", json: ["email": email, "password": password])
        try #require(response.status == .ok, "login of \(email) failed: \(response.text)")
        let setCookie = try #require(response.headers[.setCookie])
        let cookie = try #require(
            setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        let csrf = try #require(response.json["csrfToken"] as? String)
        return .session(cookie: cookie, csrf: csrf)
    }

    /// Creates an API token with these scopes through the API, as `owner`.
    func token(brand: String, scopes: [String], as owner: Caller) async throws -> String {
        let response = try await call(
            .post, "/api/brands/\(brand)/tokens", as: owner, json: ["name": "test", "scopes": scopes])
        try #require(response.status == .created, "token creation failed: \(response.text)")
        return try #require(response.json["secret"] as? String)
    }
}

extension Caller {
    var cookie: String? {
        switch self {
        case .session(let cookie, _), .sessionWithoutCSRF(let cookie): cookie
        default: nil
        }
    }
}
