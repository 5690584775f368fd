import FluentKit
import Foundation
import VitrineDomain

/// A brand's webhook endpoints, and the events queued for them. An event is written in the same
/// transaction as the change it reports (a show going live, a registration confirmed), as one
/// delivery row and one durable job per endpoint: nothing is announced that did not happen, and
/// nothing that happened is lost.
extension BrandScope {
    /// The job kind that sends one delivery; its handler lives in the app (it needs the network).
    public static let webhookJobKind = "webhook.deliver"
    /// With the job runner's backoff (30 s doubling to at most an hour), 31 attempts span about a day.
    public static let webhookMaxAttempts = 31

    public func webhooks() async throws -> [WebhookEndpoint] {
        try await WebhookEndpointModel.query(on: db).filter(\.$brandID == brandID).sort(\.$createdAt).all()
            .map(\.endpoint)
    }

    public func webhook(_ id: UUID) async throws -> WebhookEndpoint {
        try await webhookModel(id, on: db).endpoint
    }

    func webhookModel(_ id: UUID, on db: any Database) async throws -> WebhookEndpointModel {
        guard
            let model = try await WebhookEndpointModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id == id)
                .first()
        else { throw DomainError.notFound }
        return model
    }

    /// Adds an endpoint; returns it with its signing secret, which the caller shows once.
    public func createWebhook(_ input: WebhookEndpointInput) async throws -> (WebhookEndpoint, secret: String) {
        let blank = WebhookEndpoint(
            id: UUID(), url: "", description: "", events: [], enabled: true, secretHint: "", createdAt: store.now,
            updatedAt: store.now)
        let endpoint = try WebhookRules.apply(input, to: blank, isNew: true)
        let secret = Secrets.generate(prefix: "whsec_")
        return try await db.transaction { db in
            try await self.store.lock("brands", where: "id", equals: self.brandID, on: db)
            let count = try await WebhookEndpointModel.query(on: db).filter(\.$brandID == self.brandID).count()
            guard count < WebhookRules.maxEndpoints else {
                throw DomainError(
                    .conflict, code: "too_many_webhooks",
                    message: "A brand has at most \(WebhookRules.maxEndpoints) webhook endpoints; delete one first.")
            }
            let model = WebhookEndpointModel()
            model.id = endpoint.id
            model.brandID = self.brandID
            model.secret = secret
            try await self.write(endpoint, into: model, on: db)
            return (model.endpoint, secret)
        }
    }

    public func updateWebhook(_ id: UUID, _ input: WebhookEndpointInput) async throws -> WebhookEndpoint {
        try await db.transaction { db in
            let model = try await self.webhookModel(id, on: db)
            let endpoint = try WebhookRules.apply(input, to: model.endpoint, isNew: false)
            try await self.write(endpoint, into: model, on: db)
            return model.endpoint
        }
    }

    func write(_ endpoint: WebhookEndpoint, into model: WebhookEndpointModel, on db: any Database) async throws {
        model.url = endpoint.url
        model.description = endpoint.description
        model.events = JSONList.encode(endpoint.events.map(\.rawValue))
        model.enabled = endpoint.enabled
        try await model.save(on: db)
    }

    /// Deletes an endpoint and its delivery log; its pending jobs then find nothing to send.
    public func deleteWebhook(_ id: UUID) async throws {
        try await db.transaction { db in
            let model = try await self.webhookModel(id, on: db)
            try await WebhookDeliveryModel.query(on: db).filter(\.$brandID == self.brandID)
                .filter(\.$endpointID == id).delete()
            try await model.delete(on: db)
        }
    }

    public func webhookSecret(_ id: UUID) async throws -> String {
        try await webhookModel(id, on: db).secret
    }

    /// A new signing secret; the old one stops being used at once.
    public func rotateWebhookSecret(_ id: UUID) async throws -> String {
        let model = try await webhookModel(id, on: db)
        model.secret = Secrets.generate(prefix: "whsec_")
        try await model.save(on: db)
        return model.secret
    }

    /// The newest deliveries of an endpoint.
    public func webhookDeliveries(_ id: UUID, status: WebhookDelivery.Status?, limit: Int = 100) async throws
        -> [WebhookDelivery]
    {
        _ = try await webhookModel(id, on: db)
        var query = WebhookDeliveryModel.query(on: db).filter(\.$brandID == brandID).filter(\.$endpointID == id)
        if let status { query = query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$createdAt, .descending).limit(limit).all().map(\.delivery)
    }

    /// Queues a `webhook.test` event for one endpoint, enabled or not.
    public func sendTestWebhook(_ id: UUID) async throws -> WebhookDelivery {
        struct TestData: Encodable { var message: String }
        return try await db.transaction { db in
            let model = try await self.webhookModel(id, on: db)
            let data = TestData(message: "A test event sent from Vitrine's admin: this endpoint receives events.")
            return try await self.queue(.test, data: data, to: [model], on: db)[0]
        }
    }

    /// Sends a delivery again (one that failed for good, or to replay an event), with fresh attempts.
    public func retryWebhookDelivery(endpointID: UUID, deliveryID: UUID) async throws -> WebhookDelivery {
        try await db.transaction { db in
            _ = try await self.webhookModel(endpointID, on: db)
            guard
                let delivery = try await WebhookDeliveryModel.query(on: db).filter(\.$brandID == self.brandID)
                    .filter(\.$endpointID == endpointID).filter(\.$id == deliveryID).first()
            else { throw DomainError.notFound }
            guard delivery.status != WebhookDelivery.Status.pending.rawValue else {
                throw DomainError(
                    .conflict, code: "delivery_pending", message: "This delivery is still being attempted.")
            }
            delivery.status = WebhookDelivery.Status.pending.rawValue
            try await delivery.save(on: db)
            try await self.store.enqueue(
                Self.webhookJobKind, payload: "{\"delivery\":\"\(deliveryID.uuidString)\"}", brandID: self.brandID,
                uniqueKey: "webhook:\(deliveryID):\(UUID().uuidString)", maxAttempts: Self.webhookMaxAttempts, on: db)
            return delivery.delivery
        }
    }

    /// Queues `event` for every enabled endpoint of the brand that subscribed to it, inside the
    /// caller's transaction.
    func emit(_ event: WebhookEvent, data: some Encodable, on db: any Database) async throws {
        let endpoints = try await WebhookEndpointModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$enabled == true).all()
            .filter { JSONList.decode($0.events).contains(event.rawValue) }
        guard !endpoints.isEmpty else { return }
        _ = try await queue(event, data: data, to: endpoints, on: db)
    }

    /// The show event as a webhook, with the show as it is after the change.
    func emit(_ event: ShowEvent, show id: UUID, on db: any Database) async throws {
        struct ShowData: Encodable { var show: Show }
        guard let model = try await showModel(id, on: db) else { return }
        try await emit(WebhookEvent(event), data: ShowData(show: try await assemble([model], on: db)[0]), on: db)
    }

    func queue(_ event: WebhookEvent, data: some Encodable, to endpoints: [WebhookEndpointModel], on db: any Database)
        async throws -> [WebhookDelivery]
    {
        let body = try Self.webhookBody(event, id: UUID(), brandID: brandID, at: store.now, data: data)
        var deliveries: [WebhookDelivery] = []
        for endpoint in endpoints {
            let delivery = WebhookDeliveryModel()
            delivery.id = UUID()
            delivery.brandID = brandID
            delivery.endpointID = endpoint.id!
            delivery.eventID = body.id
            delivery.event = event.rawValue
            delivery.body = body.text
            delivery.status = WebhookDelivery.Status.pending.rawValue
            delivery.attempts = 0
            try await delivery.create(on: db)
            try await store.enqueue(
                Self.webhookJobKind, payload: "{\"delivery\":\"\(delivery.id!.uuidString)\"}", brandID: brandID,
                uniqueKey: "webhook:\(delivery.id!)", maxAttempts: Self.webhookMaxAttempts, on: db)
            deliveries.append(delivery.delivery)
        }
        return deliveries
    }

    /// `{"id", "type", "createdAt", "brandId", "data"}`, keys sorted, dates in ISO 8601.
    static func webhookBody(_ event: WebhookEvent, id: UUID, brandID: UUID, at: Date, data: some Encodable) throws
        -> (id: UUID, text: String)
    {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let envelope = WebhookEnvelope(id: id, type: event.rawValue, createdAt: at, brandId: brandID, data: data)
        return (id, String(decoding: try encoder.encode(envelope), as: UTF8.self))
    }
}

/// Every webhook body: the event's id (the same for every endpoint), its type, when, whose, and its data.
private struct WebhookEnvelope<Payload: Encodable>: Encodable {
    var id: UUID
    var type: String
    var createdAt: Date
    var brandId: UUID
    var data: Payload
}

/// What the delivery job needs: where to send, the secret to sign with, and the body.
public struct WebhookAttempt: Sendable {
    public var deliveryID: UUID
    public var brandID: UUID
    public var url: String
    public var secret: String
    public var event: WebhookEvent
    public var eventID: UUID
    public var body: String
    /// False when the endpoint was switched off since the event was queued (test events go anyway).
    public var enabled: Bool
}

extension Store {
    /// The delivery to attempt, or nil when it (or its endpoint) was deleted since.
    public func webhookAttempt(_ deliveryID: UUID) async throws -> WebhookAttempt? {
        guard let delivery = try await WebhookDeliveryModel.find(deliveryID, on: db),
            let endpoint = try await WebhookEndpointModel.find(delivery.endpointID, on: db)
        else { return nil }
        let event = WebhookEvent(rawValue: delivery.event) ?? .test
        return WebhookAttempt(
            deliveryID: deliveryID, brandID: delivery.brandID, url: endpoint.url, secret: endpoint.secret,
            event: event, eventID: delivery.eventID, body: delivery.body, enabled: endpoint.enabled || event == .test)
    }

    /// Records one attempt: delivered, failed for now (`final` false: the job retries), or failed for good.
    public func recordWebhookAttempt(
        _ deliveryID: UUID, responseStatus: Int?, error: String?, delivered: Bool, final: Bool
    ) async throws {
        guard let delivery = try await WebhookDeliveryModel.find(deliveryID, on: db) else { return }
        delivery.attempts += 1
        delivery.lastAttemptAt = now
        delivery.responseStatus = responseStatus
        delivery.error = error.map { String($0.prefix(500)) }
        if delivered {
            delivery.status = WebhookDelivery.Status.delivered.rawValue
            delivery.deliveredAt = now
        } else if final {
            delivery.status = WebhookDelivery.Status.failed.rawValue
        }
        try await delivery.save(on: db)
    }
}
