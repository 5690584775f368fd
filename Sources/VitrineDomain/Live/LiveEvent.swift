import Foundation

/// The realtime protocol's version: every frame the server sends is `{"v": 1, "events": [...]}`.
public enum LiveProtocol {
    public static let version = 1
    /// Close code: the viewer fell too far behind (or the server restarts): reconnect and resync.
    public static let closeResync: UInt16 = 4000
    /// Close code: the client broke the protocol (binary frame, oversized frame, flood).
    public static let closeProtocol: UInt16 = 4002
    /// The largest frame a client may send, in bytes.
    public static let maxClientFrame = 4096
    /// The reactions viewers can send.
    public static let reactionKinds: Set<String> = ["heart", "fire", "clap", "laugh", "wow"]
}

/// A chat message as every viewer receives it. The author's viewer id is never broadcast (it
/// would let anyone speak under their name): moderators act on the message id.
public struct ChatMessage: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var text: String
    /// Sent by a member of the brand's team (host, moderator…).
    public var staff: Bool
    public var at: Double?
    public var sentAt: Date

    public init(id: UUID, name: String, text: String, staff: Bool, at: Double?, sentAt: Date) {
        self.id = id
        self.name = name
        self.text = text
        self.staff = staff
        self.at = at
        self.sentAt = sentAt
    }
}

/// A product as the player shows it when pinned: enough to draw its card without another request.
public struct PinnedProduct: Sendable, Codable, Equatable {
    public var productId: UUID
    public var handle: String
    public var title: String
    public var price: Money?
    public var compareAtPrice: Money?
    public var imageUrl: String?
    public var at: Double?

    public init(
        productId: UUID, handle: String, title: String, price: Money?, compareAtPrice: Money?, imageUrl: String?,
        at: Double?
    ) {
        self.productId = productId
        self.handle = handle
        self.title = title
        self.price = price
        self.compareAtPrice = compareAtPrice
        self.imageUrl = imageUrl
        self.at = at
    }
}

public struct LivePoll: Sendable, Codable, Equatable {
    public var id: UUID
    public var question: String
    public var options: [String]
    public var counts: [Int]
    public var at: Double?
    public var closed: Bool

    public init(id: UUID, question: String, options: [String], counts: [Int], at: Double?, closed: Bool) {
        self.id = id
        self.question = question
        self.options = options
        self.counts = counts
        self.at = at
        self.closed = closed
    }
}

public struct LiveGiveaway: Sendable, Codable, Equatable {
    public var id: UUID
    public var title: String
    public var rules: String
    public var entries: Int
    public var at: Double?

    public init(id: UUID, title: String, rules: String, entries: Int, at: Double?) {
        self.id = id
        self.title = title
        self.rules = rules
        self.entries = entries
        self.at = at
    }
}

/// What the server sends: one value per event, encoded as a JSON object with a `type`.
public enum LiveEvent: Sendable, Equatable {
    case chat(ChatMessage)
    case chatDeleted(id: UUID)
    case reactions([String: Int])
    case viewers(Int)
    case productPinned(PinnedProduct)
    case productUnpinned(productId: UUID, at: Double?)
    case showState(status: String, at: Double?)
    case announcement(id: UUID, text: String, at: Double?)
    case pollOpened(LivePoll)
    case pollResults(pollId: UUID, counts: [Int])
    case pollClosed(pollId: UUID, counts: [Int], at: Double?)
    case giveawayOpened(LiveGiveaway)
    case giveawayEntries(giveawayId: UUID, count: Int)
    case giveawayWinner(giveawayId: UUID, name: String, email: String, at: Double?)
    /// `at`: when it was pinned (the message keeps its own `at`, when it was asked).
    case questionPinned(ChatMessage, at: Double?)
    case questionAnswered(id: UUID, at: Double?)
    /// `allReserved`: nothing left to buy now, but checkouts hold units that may come back.
    case stock(productId: UUID, available: Int?, soldOut: Bool, allReserved: Bool)
    case slowMode(seconds: Int)
    /// A flash drop started, opened, sold some or sold out, or closed: sent at once to every
    /// viewer (no `at`: the countdown runs on the wall clock, whatever a viewer's video delay).
    case drop(FlashDropView)
    /// Staff only: a viewer reported a message.
    case report(messageId: UUID, text: String, name: String, reason: String)

    /// The media time the event carries, for the ones that line up with the video.
    public var at: Double? {
        switch self {
        case .chat(let message): message.at
        case .productPinned(let product): product.at
        case .productUnpinned(_, let at), .showState(_, let at), .announcement(_, _, let at), .pollClosed(_, _, let at),
            .giveawayWinner(_, _, _, let at), .questionPinned(_, let at), .questionAnswered(_, let at):
            at
        case .pollOpened(let poll): poll.at
        case .giveawayOpened(let giveaway): giveaway.at
        default: nil
        }
    }

    /// The `type` field on the wire.
    public var type: String {
        switch self {
        case .chat: "chat"
        case .chatDeleted: "chat_deleted"
        case .reactions: "reactions"
        case .viewers: "viewers"
        case .productPinned: "product_pinned"
        case .productUnpinned: "product_unpinned"
        case .showState: "show_state"
        case .announcement: "announcement"
        case .pollOpened: "poll_opened"
        case .pollResults: "poll_results"
        case .pollClosed: "poll_closed"
        case .giveawayOpened: "giveaway_opened"
        case .giveawayEntries: "giveaway_entries"
        case .giveawayWinner: "giveaway_winner"
        case .questionPinned: "question_pinned"
        case .questionAnswered: "question_answered"
        case .stock: "stock"
        case .slowMode: "slow_mode"
        case .drop: "drop"
        case .report: "report"
        }
    }
}

extension LiveEvent: Encodable {
    enum Key: String, CodingKey {
        case type, message, id, counts, count, product, productId, status, at, text, poll, pollId, giveaway
        case giveawayId, name, email, available, soldOut, allReserved, seconds, messageId, reason, drop
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .chat(let message): try c.encode(message, forKey: .message)
        case .questionPinned(let message, let at):
            try c.encode(message, forKey: .message)
            try c.encode(at, forKey: .at)
        case .chatDeleted(let id): try c.encode(id, forKey: .id)
        case .questionAnswered(let id, let at):
            try c.encode(id, forKey: .id)
            try c.encode(at, forKey: .at)
        case .reactions(let counts): try c.encode(counts, forKey: .counts)
        case .viewers(let count): try c.encode(count, forKey: .count)
        case .productPinned(let product): try c.encode(product, forKey: .product)
        case .productUnpinned(let productId, let at):
            try c.encode(productId, forKey: .productId)
            try c.encode(at, forKey: .at)
        case .showState(let status, let at):
            try c.encode(status, forKey: .status)
            try c.encode(at, forKey: .at)
        case .announcement(let id, let text, let at):
            try c.encode(id, forKey: .id)
            try c.encode(text, forKey: .text)
            try c.encode(at, forKey: .at)
        case .pollOpened(let poll): try c.encode(poll, forKey: .poll)
        case .pollResults(let pollId, let counts):
            try c.encode(pollId, forKey: .pollId)
            try c.encode(counts, forKey: .counts)
        case .pollClosed(let pollId, let counts, let at):
            try c.encode(pollId, forKey: .pollId)
            try c.encode(counts, forKey: .counts)
            try c.encode(at, forKey: .at)
        case .giveawayOpened(let giveaway): try c.encode(giveaway, forKey: .giveaway)
        case .giveawayEntries(let giveawayId, let count):
            try c.encode(giveawayId, forKey: .giveawayId)
            try c.encode(count, forKey: .count)
        case .giveawayWinner(let giveawayId, let name, let email, let at):
            try c.encode(giveawayId, forKey: .giveawayId)
            try c.encode(name, forKey: .name)
            try c.encode(email, forKey: .email)
            try c.encode(at, forKey: .at)
        case .stock(let productId, let available, let soldOut, let allReserved):
            try c.encode(productId, forKey: .productId)
            try c.encode(available, forKey: .available)
            try c.encode(soldOut, forKey: .soldOut)
            try c.encode(allReserved, forKey: .allReserved)
        case .slowMode(let seconds): try c.encode(seconds, forKey: .seconds)
        case .drop(let drop): try c.encode(drop, forKey: .drop)
        case .report(let messageId, let text, let name, let reason):
            try c.encode(messageId, forKey: .messageId)
            try c.encode(text, forKey: .text)
            try c.encode(name, forKey: .name)
            try c.encode(reason, forKey: .reason)
        }
    }
}

/// What a client sends: `{"type": "...", "ref": "..."?, ...}`. One flat shape for every type;
/// each type reads the fields it needs.
public struct LiveRequest: Sendable, Decodable {
    public var type: String
    /// Echoed in the `ack` or `error` that answers this request.
    public var ref: String?
    public var text: String?
    public var name: String?
    public var kind: String?
    public var productId: UUID?
    public var messageId: UUID?
    public var pollId: UUID?
    public var giveawayId: UUID?
    public var option: Int?
    public var options: [String]?
    public var question: String?
    public var title: String?
    public var rules: String?
    public var email: String?
    public var acceptRules: Bool?
    public var seconds: Int?
    public var reason: String?
}

extension String {
    /// An e-mail address shown to everyone as `a•••@example.com`.
    public var maskedEmail: String {
        guard let at = firstIndex(of: "@"), at != startIndex else { return "•••" }
        return String(self[startIndex]) + "•••" + String(self[at...])
    }
}
