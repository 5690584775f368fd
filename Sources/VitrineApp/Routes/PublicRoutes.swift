import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// Routes without authentication: invitation links and published brand content only.
struct PublicRoutes {
    let services: AppServices
    let auth: AuthRoutes

    struct InvitationView: ResponseEncodable {
        var brand: BrandSummary
        var email: String
        var role: Role
        var userExists: Bool
    }
    struct AcceptInput: Decodable {
        var name: String?
        var password: String?
    }
    struct PublicBrand: ResponseEncodable {
        var name: String
        var slug: String
        var logoUrl: String?
        var accentColor: String
        var languages: [String]
    }
    /// A product as viewers see it: no internal status, VAT rate or timestamps.
    struct PublicProduct: ResponseEncodable {
        var id: UUID
        var handle: String
        var title: String
        var descriptionHtml: String
        var vendor: String
        var productType: String
        var tags: [String]
        var optionNames: [String]
        var images: [ProductImage]
        var variants: [PublicVariant]
    }
    /// A variant as viewers see it: whether it can be bought, not the stock figures or barcode.
    struct PublicVariant: Encodable {
        var id: UUID
        var sku: String?
        var options: [String]
        var price: Money
        var compareAtPrice: Money?
        var available: Bool

        init(_ variant: Variant) {
            id = variant.id
            sku = variant.sku
            options = variant.options
            price = variant.price
            compareAtPrice = variant.compareAtPrice
            available = variant.inventoryPolicy != .deny || variant.inventoryQuantity > 0
        }
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/invitations/{token}", use: invitation)
        router.post("/api/invitations/{token}/accept", use: accept)
        router.get("/api/public/brands/{slug}", use: brand)
        router.get("/api/public/brands/{slug}/products/{handle}", use: product)
    }

    func pending(_ context: AppRequestContext) async throws -> (PendingInvitation, String) {
        let token = try context.parameters.require("token")
        guard token.count <= 100, let pending = try await services.store.invitation(token: token) else {
            throw APIError.notFound
        }
        return (pending, token)
    }

    @Sendable func invitation(request: Request, context: AppRequestContext) async throws -> InvitationView {
        let (pending, _) = try await pending(context)
        return InvitationView(
            brand: pending.brand, email: pending.invitation.email, role: pending.invitation.role,
            userExists: pending.userExists)
    }

    /// Joins the brand: a new person sets a name and password; an existing one proves their password.
    @Sendable func accept(request: Request, context: AppRequestContext) async throws -> Response {
        let (pending, token) = try await pending(context)
        let input = try await request.decode(as: AcceptInput.self, context: context)
        let email = pending.invitation.email
        let user: User
        if let credentials = try await services.store.credentials(email: email) {
            // Same limits as the login form: an invitation must not become a way to guess passwords.
            let keys = ["email:" + email, "ip:" + (context.remoteAddress?.ipAddress ?? "unknown")]
            try await services.limiter.refuseIfLimited(keys: keys, what: "failed attempts")
            guard let password = input.password,
                try await services.passwords.verify(password, hash: credentials.passwordHash)
            else {
                await services.limiter.recordFailure(keys: keys)
                throw APIError(
                    .unprocessableContent, code: "wrong_password", message: "The password of \(email) is wrong.",
                    field: "password")
            }
            user = credentials.user
        } else {
            let name = try ProductRules.text(input.name ?? "", field: "name", max: 120, required: true)
            guard let password = input.password else {
                throw APIError(
                    .unprocessableContent, code: "missing_field", message: "'password' is required.", field: "password")
            }
            try Passwords.check(password, field: "password")
            user = try await services.store.createUser(
                email: email, name: name, passwordHash: try await services.passwords.hash(password))
        }
        try await services.store.acceptInvitation(token: token, userID: user.id)
        return try await auth.startSession(user: user, request: request, context: context)
    }

    func brandID(_ context: AppRequestContext) async throws -> UUID {
        let slug = try context.parameters.require("slug")
        guard let id = try await services.store.brandID(slug: slug) else { throw APIError.notFound }
        return id
    }

    @Sendable func brand(request: Request, context: AppRequestContext) async throws -> PublicBrand {
        let brand = try await services.store.brand(try await brandID(context)).settings()
        return PublicBrand(
            name: brand.name, slug: brand.slug, logoUrl: brand.logoUrl, accentColor: brand.accentColor,
            languages: brand.languages)
    }

    @Sendable func product(request: Request, context: AppRequestContext) async throws -> PublicProduct {
        let handle = try context.parameters.require("handle")
        guard
            let product = try await services.store.brand(try await brandID(context))
                .product(handle: handle, status: .active)
        else { throw APIError.notFound }
        return PublicProduct(product)
    }
}
