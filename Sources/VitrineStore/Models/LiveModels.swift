import FluentKit
import Foundation
import VitrineDomain

final class ChatMessageModel: Model, @unchecked Sendable {
    static let schema = "chat_messages"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "viewer_id") var viewerID: String
    @Field(key: "name") var name: String
    @Field(key: "text") var text: String
    @Field(key: "staff") var staff: Bool
    @OptionalField(key: "at") var at: Double?
    @Field(key: "sent_at") var sentAt: Date
    /// Kept so a moderator can ban the address of a message's author after they left.
    @OptionalField(key: "ip") var ip: String?
    @OptionalField(key: "deleted_at") var deletedAt: Date?
    init() {}

    var message: ChatMessage { ChatMessage(id: id!, name: name, text: text, staff: staff, at: at, sentAt: sentAt) }
}

final class LiveEventModel: Model, @unchecked Sendable {
    static let schema = "live_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "at") var at: Double?
    @Field(key: "occurred_at") var occurredAt: Date
    /// The event as viewers received it (JSON).
    @Field(key: "payload") var payload: String
    init() {}
}

final class LiveBanModel: Model, @unchecked Sendable {
    static let schema = "live_bans"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @OptionalField(key: "viewer_id") var viewerID: String?
    @OptionalField(key: "ip") var ip: String?
    @Field(key: "name") var name: String
    @Field(key: "reason") var reason: String
    @OptionalField(key: "message_text") var messageText: String?
    @OptionalField(key: "until") var until: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "lifted_at") var liftedAt: Date?
    init() {}
}

final class LivePollModel: Model, @unchecked Sendable {
    static let schema = "live_polls"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "question") var question: String
    /// JSON array of the options' labels.
    @Field(key: "options") var options: String
    @OptionalField(key: "at") var at: Double?
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    init() {}
}

final class LivePollVoteModel: Model, @unchecked Sendable {
    static let schema = "live_poll_votes"
    @ID(key: .id) var id: UUID?
    @Field(key: "poll_id") var pollID: UUID
    @Field(key: "viewer_id") var viewerID: String
    @Field(key: "option") var option: Int
    init() {}
}

final class GiveawayModel: Model, @unchecked Sendable {
    static let schema = "giveaways"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "title") var title: String
    @Field(key: "rules") var rules: String
    @OptionalField(key: "at") var at: Double?
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "drawn_at") var drawnAt: Date?
    /// The draw's seed, a decimal UInt64.
    @OptionalField(key: "seed") var seed: String?
    /// JSON array of the entrants' e-mail addresses in entry order, as drawn from.
    @OptionalField(key: "entrants") var entrants: String?
    @OptionalField(key: "winner_email") var winnerEmail: String?
    init() {}
}

final class GiveawayEntryModel: Model, @unchecked Sendable {
    static let schema = "giveaway_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "giveaway_id") var giveawayID: UUID
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "viewer_id") var viewerID: String
    @Field(key: "entered_at") var enteredAt: Date
    init() {}
}

final class ChatReportModel: Model, @unchecked Sendable {
    static let schema = "chat_reports"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "message_id") var messageID: UUID
    @Field(key: "viewer_id") var viewerID: String
    @Field(key: "reason") var reason: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
