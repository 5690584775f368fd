import FluentKit
import Foundation

final class ShowModel: Model, @unchecked Sendable {
    static let schema = "shows"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @OptionalField(key: "series_id") var seriesID: UUID?
    /// The local day of the series occurrence ("2026-03-26"), unique within a series.
    @OptionalField(key: "occurrence") var occurrence: String?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @OptionalField(key: "cover_url") var coverURL: String?
    @Field(key: "language") var language: String
    @OptionalField(key: "scheduled_start") var scheduledStart: Date?
    @Field(key: "duration_minutes") var durationMinutes: Int
    @Field(key: "format") var format: String
    @OptionalField(key: "access_code") var accessCode: String?
    @Field(key: "orientation") var orientation: String
    @Field(key: "status") var status: String
    @Field(key: "auto_publish_replay") var autoPublishReplay: Bool
    @Field(key: "replay_published") var replayPublished: Bool
    /// JSON array of member ids.
    @Field(key: "hosts") var hosts: String
    /// The show's own key; shows of a series use the series' key instead (nil here).
    @OptionalField(key: "stream_key") var streamKey: String?
    @Field(key: "detached") var detached: Bool
    @Field(key: "sequence") var sequence: Int
    @OptionalField(key: "went_live_at") var wentLiveAt: Date?
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

final class LineupItemModel: Model, @unchecked Sendable {
    static let schema = "lineup_items"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "product_id") var productID: UUID
    @Field(key: "position") var position: Int
    @OptionalField(key: "show_price") var showPrice: Int?
    @OptionalField(key: "currency") var currency: String?
    @OptionalField(key: "note") var note: String?
    init() {}
}

/// Every status change of a show, timestamped: the history, and the source of later webhooks.
final class ShowEventModel: Model, @unchecked Sendable {
    static let schema = "show_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "event") var event: String
    @Field(key: "at") var at: Date
    @OptionalField(key: "member_id") var memberID: UUID?
    init() {}
}

final class SeriesModel: Model, @unchecked Sendable {
    static let schema = "series"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @OptionalField(key: "cover_url") var coverURL: String?
    @Field(key: "language") var language: String
    /// JSON of the `WeeklyRule` (weekdays, hour, minute, time zone).
    @Field(key: "rule") var rule: String
    @Field(key: "duration_minutes") var durationMinutes: Int
    @Field(key: "format") var format: String
    @Field(key: "orientation") var orientation: String
    @Field(key: "auto_publish_replay") var autoPublishReplay: Bool
    @Field(key: "hosts") var hosts: String
    @Field(key: "active") var active: Bool
    /// One key for every show of the series, so OBS is set up once.
    @Field(key: "stream_key") var streamKey: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

final class RegistrationModel: Model, @unchecked Sendable {
    static let schema = "registrations"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "email") var email: String
    @Field(key: "language") var language: String
    @Field(key: "marketing_consent") var marketingConsent: Bool
    /// pending (until the e-mailed link is followed), confirmed, unsubscribed.
    @Field(key: "status") var status: String
    @Field(key: "confirm_token_hash") var confirmTokenHash: String
    /// Kept readable: every e-mail carries it, and it can only unsubscribe.
    @Field(key: "unsubscribe_token") var unsubscribeToken: String
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @OptionalField(key: "unsubscribed_at") var unsubscribedAt: Date?
    /// The live viewer id of the browser that registered (the last one, if several did).
    @OptionalField(key: "viewer_id") var viewerID: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class FeedbackModel: Model, @unchecked Sendable {
    static let schema = "feedback"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "registration_id") var registrationID: UUID
    /// In the survey link; it can only answer this one survey.
    @Field(key: "token") var token: String
    @OptionalField(key: "rating") var rating: Int?
    @OptionalField(key: "comment") var comment: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class ShowGuestModel: Model, @unchecked Sendable {
    static let schema = "show_guests"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_opened_at") var lastOpenedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    init() {}
}
