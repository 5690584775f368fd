import Hummingbird

/// Headers that keep pages and API answers from being sniffed, framed or scripted from elsewhere.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        // Public, cookie-free reads may be made from brands' sites (the embed's shows widget).
        let path = request.uri.path
        if request.method == .get && (path.hasPrefix("/api/public/") || path == "/api/oembed") {
            response.headers[.accessControlAllowOrigin] = "*"
        }
        if !request.uri.path.hasPrefix("/api/") && response.headers[.init("Content-Security-Policy")!] == nil {
            // The admin and invitation pages are never framed; the player (`PlayerRoutes`) sets its
            // own policy, framed by the brand's sites.
            response.headers[.init("X-Frame-Options")!] = "DENY"
            response.headers[.init("Content-Security-Policy")!] =
                "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        }
        return response
    }
}
