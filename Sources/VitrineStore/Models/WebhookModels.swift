import FluentKit
import Foundation
import VitrineDomain

final class WebhookEndpointModel: Model, @unchecked Sendable {
    static let schema = "webhook_endpoints"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "url") var url: String
    @Field(key: "description") var description: String
    /// JSON array of event names.
    @Field(key: "events") var events: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "secret") var secret: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var endpoint: WebhookEndpoint {
        WebhookEndpoint(
            id: id!, url: url, description: description,
            events: JSONList.decode(events).compactMap(WebhookEvent.init(rawValue:)), enabled: enabled,
            secretHint: String(secret.suffix(4)), createdAt: createdAt ?? Date(),
            updatedAt: updatedAt ?? createdAt ?? Date())
    }
}

final class WebhookDeliveryModel: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "endpoint_id") var endpointID: UUID
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "event") var event: String
    @Field(key: "body") var body: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "response_status") var responseStatus: Int?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "last_attempt_at") var lastAttemptAt: Date?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var delivery: WebhookDelivery {
        WebhookDelivery(
            id: id!, endpointId: endpointID, eventId: eventID, event: WebhookEvent(rawValue: event) ?? .test,
            status: WebhookDelivery.Status(rawValue: status) ?? .pending, attempts: attempts,
            responseStatus: responseStatus, error: error, createdAt: createdAt ?? Date(),
            lastAttemptAt: lastAttemptAt, deliveredAt: deliveredAt, body: body)
    }
}
