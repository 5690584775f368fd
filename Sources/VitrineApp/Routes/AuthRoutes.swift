import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Login, logout, the current person and password change.
struct AuthRoutes {
    let services: AppServices

    struct LoginInput: Decodable {
        var email: String
        var password: String
    }

    struct PasswordInput: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    /// What a logged-in person sees of themselves.
    struct Me: ResponseEncodable {
        var user: User
        var memberships: [Membership]
        var csrfToken: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/auth/login", use: login)
        router.post("/api/auth/logout", use: logout)
        router.get("/api/me", use: me)
        router.post("/api/me/password", use: changePassword)
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: LoginInput.self, context: context)
        let email = input.email.trimmingCharacters(in: .whitespaces).lowercased()
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        let keys = ["email:" + email, "ip:" + address]
        if let wait = await services.limiter.retryAfter(keys: keys) {
            var error = APIError(
                .tooManyRequests, code: "too_many_attempts",
                message: "Too many failed logins; try again in \(wait) seconds.")
            error.headers[.retryAfter] = String(wait)
            throw error
        }
        let credentials = try await services.store.credentials(email: email)
        // Verify against a fixed hash when the e-mail is unknown, so timing does not reveal accounts.
        let hash = credentials?.passwordHash ?? "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5Y7vkxMSV4qE5h2J0y3wnYEe7YpDFlu"
        let valid = try await services.passwords.verify(input.password, hash: hash)
        guard let credentials, valid else {
            await services.limiter.recordFailure(keys: keys)
            throw APIError(.unauthorized, code: "invalid_credentials", message: "Wrong e-mail or password.")
        }
        await services.limiter.reset(keys: ["email:" + email])
        return try await startSession(user: credentials.user, request: request, context: context)
    }

    /// Creates a session and answers with the person, their brands and the CSRF token.
    func startSession(user: User, request: Request, context: AppRequestContext) async throws -> Response {
        let (token, session) = try await services.store.createSession(userID: user.id)
        let memberships = try await services.store.memberships(userID: user.id)
        var response = try Me(user: user, memberships: memberships, csrfToken: session.csrfToken)
            .response(from: request, context: context)
        response.setCookie(sessionCookie(value: token, maxAge: Int(Store.sessionLifetime)))
        return response
    }

    func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: AuthMiddleware.cookieName, value: value, maxAge: maxAge, path: "/",
            secure: services.config.secureCookies, httpOnly: true, sameSite: .lax)
    }

    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> Response {
        let session = try services.access.session(context)
        try await services.store.deleteSession(id: session.id)
        var response = Response(status: .noContent)
        response.setCookie(sessionCookie(value: "", maxAge: 0))
        return response
    }

    @Sendable func me(request: Request, context: AppRequestContext) async throws -> Me {
        let session = try services.access.session(context)
        let memberships = try await services.store.memberships(userID: session.user.id)
        return Me(user: session.user, memberships: memberships, csrfToken: session.csrfToken)
    }

    @Sendable func changePassword(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let session = try services.access.session(context)
        let input = try await request.decode(as: PasswordInput.self, context: context)
        guard let credentials = try await services.store.credentials(userID: session.user.id),
            try await services.passwords.verify(input.currentPassword, hash: credentials.passwordHash)
        else {
            throw APIError(
                .unprocessableContent, code: "wrong_password", message: "The current password is wrong.",
                field: "currentPassword")
        }
        try Passwords.check(input.newPassword, field: "newPassword")
        let hash = try await services.passwords.hash(input.newPassword)
        try await services.store.setPassword(userID: session.user.id, passwordHash: hash, keepingSession: session.id)
        return .noContent
    }
}
