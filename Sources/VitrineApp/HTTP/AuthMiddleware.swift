import Foundation
import HTTPTypes
import Hummingbird
import VitrineStore

/// Finds who is calling (session cookie or bearer token) and enforces CSRF on cookie writes.
/// Routes then ask `Access` what that identity may do.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "vitrine_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        // Public routes never act as the session, so they need no CSRF token: an unsubscribe form
        // works for a viewer who is also logged in to the admin app.
        let isPublic = request.uri.path.hasPrefix("/api/public/")
        // Only the Bearer scheme is ours: a Basic header from a proxy in front is ignored.
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            guard
                let token = try await store.token(
                    secret: String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            else {
                throw APIError(.unauthorized, code: "invalid_token", message: "The API token is unknown or revoked.")
            }
            context.identity = .token(token)
        } else if !isPublic, let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty,
            let session = try await store.session(token: cookie)
        {
            if Self.isWrite(request.method) {
                guard let sent = request.headers[Self.csrfHeader] else {
                    throw APIError(
                        .forbidden, code: "csrf_token_missing",
                        message: "Send the X-CSRF-Token header with the token from /api/me.")
                }
                guard Self.constantTimeEqual(sent, session.csrfToken) else {
                    throw APIError(.forbidden, code: "csrf_token_invalid", message: "The X-CSRF-Token header is wrong.")
                }
            }
            context.identity = .session(session)
        }
        return try await next(request, context)
    }

    static func isWrite(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
