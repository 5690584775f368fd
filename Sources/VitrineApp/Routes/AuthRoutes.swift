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
        router.post("/api/auth/password-reset", use: requestReset)
        router.post("/api/auth/password-reset/confirm", use: confirmReset)
    }

    struct ResetRequest: Decodable { var email: String }
    struct ResetConfirm: Decodable {
        var token: String
        var newPassword: String
    }

    /// Always 202, whether the address has an account or not, so the answer reveals nothing.
    /// When it has one and e-mail is on, a link valid one hour is sent.
    @Sendable func requestReset(request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: ResetRequest.self, context: context)
        let email = input.email.trimmingCharacters(in: .whitespaces).lowercased()
        let keys = ["reset:" + email, "reset-ip:" + (context.remoteAddress?.ipAddress ?? "unknown")]
        try await services.limiter.refuseIfLimited(keys: keys, what: "reset requests")
        await services.limiter.recordFailure(keys: keys)
        if services.mail.isEnabled, let credentials = try await services.store.credentials(email: email) {
            let token = try await services.store.createPasswordReset(userID: credentials.user.id)
            // In the language of the person's first brand; French by default.
            var english = false
            if let first = try await services.store.memberships(userID: credentials.user.id).first {
                english = try await services.store.brand(first.brand.id).settings().languages.first == "en"
            }
            try await services.mail.send(
                TeamMail.passwordReset(
                    to: email, name: credentials.user.name, link: "\(services.config.publicURL)/reset/\(token)",
                    french: !english),
                brandID: nil)
        }
        return Response(status: .accepted)
    }

    @Sendable func confirmReset(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let input = try await request.decode(as: ResetConfirm.self, context: context)
        try Passwords.check(input.newPassword, field: "newPassword")
        guard input.token.count <= 100,
            let user = try await services.store.resetPassword(
                token: input.token, passwordHash: try await services.passwords.hash(input.newPassword))
        else {
            throw APIError(
                .notFound, code: "not_found",
                message: "This reset link is unknown, used or expired; ask for a new one.",
                field: "token")
        }
        await services.limiter.reset(keys: ["email:" + user.email])
        return .noContent
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: LoginInput.self, context: context)
        let email = input.email.trimmingCharacters(in: .whitespaces).lowercased()
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        let keys = ["email:" + email, "ip:" + address]
        try await services.limiter.refuseIfLimited(keys: keys, what: "failed logins")
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
