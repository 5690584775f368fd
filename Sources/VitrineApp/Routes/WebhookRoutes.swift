import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// A brand's webhook endpoints: CRUD, signing secret, delivery log, test event, retry.
struct WebhookRoutes {
    let services: AppServices

    struct Created: ResponseEncodable {
        var endpoint: WebhookEndpoint
        /// Shown here, and later only on request (`POST …/secret`).
        var secret: String
    }
    struct Secret: ResponseEncodable { var secret: String }

    func register(on router: Router<AppRequestContext>) {
        let base = "/api/brands/{brandId}/webhooks"
        router.get(RouterPath(base), use: list)
        router.post(RouterPath(base), use: create)
        router.get(RouterPath(base + "/{webhookId}"), use: get)
        router.patch(RouterPath(base + "/{webhookId}"), use: update)
        router.delete(RouterPath(base + "/{webhookId}"), use: delete)
        router.post(RouterPath(base + "/{webhookId}/secret"), use: revealSecret)
        router.post(RouterPath(base + "/{webhookId}/secret/rotate"), use: rotateSecret)
        router.post(RouterPath(base + "/{webhookId}/test"), use: test)
        router.get(RouterPath(base + "/{webhookId}/deliveries"), use: deliveries)
        router.post(RouterPath(base + "/{webhookId}/deliveries/{deliveryId}/retry"), use: retry)
    }

    func scope(_ context: AppRequestContext) async throws -> BrandScope {
        try await services.access.brand(context, .manageWebhooks)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<WebhookEndpoint> {
        Items(items: try await scope(context).webhooks())
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await scope(context)
        let input = try await request.decode(as: WebhookEndpointInput.self, context: context)
        if let url = input.url { _ = try await services.webhooks.check(url) }
        let (endpoint, secret) = try await scope.createWebhook(input)
        return try .created(Created(endpoint: endpoint, secret: secret), context: context, request: request)
    }

    @Sendable func get(request: Request, context: AppRequestContext) async throws -> WebhookEndpoint {
        try await scope(context).webhook(try context.parameters.id("webhookId"))
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> WebhookEndpoint {
        let scope = try await scope(context)
        let id = try context.parameters.id("webhookId")
        _ = try await scope.webhook(id)
        let input = try await request.decode(as: WebhookEndpointInput.self, context: context)
        if let url = input.url { _ = try await services.webhooks.check(url) }
        return try await scope.updateWebhook(id, input)
    }

    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await scope(context).deleteWebhook(try context.parameters.id("webhookId"))
        return .noContent
    }

    @Sendable func revealSecret(request: Request, context: AppRequestContext) async throws -> Secret {
        Secret(secret: try await scope(context).webhookSecret(try context.parameters.id("webhookId")))
    }

    @Sendable func rotateSecret(request: Request, context: AppRequestContext) async throws -> Secret {
        Secret(secret: try await scope(context).rotateWebhookSecret(try context.parameters.id("webhookId")))
    }

    @Sendable func test(request: Request, context: AppRequestContext) async throws -> Response {
        let delivery = try await scope(context).sendTestWebhook(try context.parameters.id("webhookId"))
        var response = try context.responseEncoder.encode(delivery, from: request, context: context)
        response.status = .accepted
        return response
    }

    @Sendable func deliveries(request: Request, context: AppRequestContext) async throws -> Items<WebhookDelivery> {
        let scope = try await scope(context)
        let status = try request.enumQuery("status", as: WebhookDelivery.Status.self)
        return Items(items: try await scope.webhookDeliveries(try context.parameters.id("webhookId"), status: status))
    }

    @Sendable func retry(request: Request, context: AppRequestContext) async throws -> Response {
        let delivery = try await scope(context).retryWebhookDelivery(
            endpointID: try context.parameters.id("webhookId"), deliveryID: try context.parameters.id("deliveryId"))
        var response = try context.responseEncoder.encode(delivery, from: request, context: context)
        response.status = .accepted
        return response
    }
}

extension WebhookEndpoint: ResponseEncodable {}
extension WebhookDelivery: ResponseEncodable {}

/// The brand's durable jobs (e-mails, webhook deliveries), for admins to see what waits and what failed.
struct JobRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/brands/{brandId}/jobs", use: list)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Items<JobInfo> {
        let scope = try await services.access.brand(context, .viewJobs)
        let status = try request.enumQuery("status", as: JobInfo.Status.self)
        return Items(items: try await services.store.jobs(brandID: scope.brandID, status: status))
    }
}
