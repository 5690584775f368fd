import FluentKit
import Foundation

final class JobModel: Model, @unchecked Sendable {
    static let schema = "jobs"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "brand_id") var brandID: UUID?
    @Field(key: "kind") var kind: String
    /// JSON given by whoever enqueued the job; handlers decode it.
    @Field(key: "payload") var payload: String
    /// Set for jobs that must exist once (a reminder per registration): enqueueing again is a no-op.
    @OptionalField(key: "unique_key") var uniqueKey: String?
    @Field(key: "status") var status: String
    @Field(key: "run_at") var runAt: Date
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    @OptionalField(key: "locked_by") var lockedBy: String?
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}
