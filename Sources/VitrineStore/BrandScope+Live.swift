import FluentKit
import Foundation
import SQLKit
import VitrineDomain

/// A chat message with what the room knows of its author, to be stored.
public struct ChatRecord: Sendable {
    public var showID: UUID
    public var message: ChatMessage
    public var viewerID: String
    public var ip: String?

    public init(showID: UUID, message: ChatMessage, viewerID: String, ip: String?) {
        self.showID = showID
        self.message = message
        self.viewerID = viewerID
        self.ip = ip
    }
}

/// What a live room starts from (after a restart, or on another node): the lasting state.
public struct LiveRoomState: Sendable {
    public var pins: [PinnedProduct] = []
    public var poll: LivePoll?
    public var giveaway: LiveGiveaway?
    public var question: ChatMessage?
    public var slowMode = 0
    public var chat: [ChatMessage] = []

    public init() {}
}

/// The stored side of a show's chat and timeline. Chat rows are written in batches by the room;
/// timeline events (pins, announcements, polls…) one by one, as the team acts.
extension BrandScope {
    public func saveChat(_ records: [ChatRecord]) async throws {
        guard !records.isEmpty else { return }
        let models = records.map { record in
            let model = ChatMessageModel()
            model.id = record.message.id
            model.brandID = brandID
            model.showID = record.showID
            model.viewerID = record.viewerID
            model.name = record.message.name
            model.text = record.message.text
            model.staff = record.message.staff
            model.at = record.message.at
            model.sentAt = record.message.sentAt
            model.ip = record.ip
            return model
        }
        try await models.create(on: db)
    }

    /// The last `limit` messages still shown, oldest first.
    public func recentChat(showID: UUID, limit: Int) async throws -> [ChatMessage] {
        try await ChatMessageModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID)
            .filter(\.$deletedAt == nil).sort(\.$sentAt, .descending).limit(limit).all().reversed().map(\.message)
    }

    /// A message and its author (viewer id and address), for moderation.
    public func chatAuthor(showID: UUID, messageID: UUID) async throws -> (
        viewerID: String, ip: String?, message: ChatMessage
    )? {
        guard
            let model = try await ChatMessageModel.query(on: db).filter(\.$brandID == brandID)
                .filter(\.$showID == showID).filter(\.$id == messageID).first()
        else { return nil }
        return (model.viewerID, model.ip, model.message)
    }

    /// Hides a message from the chat and the replay; false when there is no such message.
    public func deleteChat(showID: UUID, messageID: UUID) async throws -> Bool {
        guard
            let model = try await ChatMessageModel.query(on: db).filter(\.$brandID == brandID)
                .filter(\.$showID == showID).filter(\.$id == messageID).first()
        else { return false }
        if model.deletedAt == nil {
            model.deletedAt = store.now
            try await model.save(on: db)
        }
        return true
    }

    /// Adds an event to the show's timeline, as viewers received it (`payload` is its JSON).
    public func recordLiveEvent(showID: UUID, kind: String, at: Double?, payload: String) async throws {
        let model = LiveEventModel()
        model.brandID = brandID
        model.showID = showID
        model.kind = kind
        model.at = at
        model.occurredAt = store.now
        model.payload = payload
        try await model.create(on: db)
    }

    /// The whole show as JSON events in order: chat messages (not deleted ones) and the timeline.
    /// A replay plays them at their `at`.
    public func timeline(showID: UUID) async throws -> [(occurredAt: Date, json: String)] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var items: [(Date, String)] = try await LiveEventModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).sort(\.$occurredAt).all().map { ($0.occurredAt, $0.payload) }
        for model in try await ChatMessageModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).filter(\.$deletedAt == nil).sort(\.$sentAt).all()
        {
            let json = String(decoding: try encoder.encode(LiveEvent.chat(model.message)), as: UTF8.self)
            items.append((model.sentAt, json))
        }
        return items.sorted { $0.0 < $1.0 }
    }

    /// The chat of a show as CSV for the brand: time, media time, name, staff, text, deleted.
    public func chatCSV(showID: UUID) async throws -> String {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        var csv = CSVWriter.line(["sent_at", "at", "name", "staff", "text", "deleted", "email"])
        let formatter = ISO8601DateFormatter()
        let emails = try await viewerEmails(showID: showID)
        for model in try await ChatMessageModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).sort(\.$sentAt).all()
        {
            csv += CSVWriter.line([
                formatter.string(from: model.sentAt), model.at.map { String(format: "%.3f", $0) } ?? "", model.name,
                model.staff ? "yes" : "no", model.text, model.deletedAt == nil ? "no" : "yes",
                model.staff ? "" : emails[model.viewerID] ?? "",
            ])
        }
        return csv
    }

    /// The e-mail addresses viewers of a show gave with their viewer id: a confirmed registration
    /// (double opt-in) or a giveaway entry of the show.
    func viewerEmails(showID: UUID) async throws -> [String: String] {
        var emails: [String: String] = [:]
        let giveaways = try await GiveawayModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).all().compactMap(\.id)
        if !giveaways.isEmpty {
            for entry in try await GiveawayEntryModel.query(on: db).filter(\.$giveawayID ~~ giveaways).all() {
                emails[entry.viewerID] = entry.email
            }
        }
        for registration in try await RegistrationModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).filter(\.$status == Registration.Status.confirmed.rawValue)
            .filter(\.$viewerID != nil).all()
        {
            if let viewerID = registration.viewerID { emails[viewerID] = registration.email }
        }
        return emails
    }

    /// Pins, the open poll and giveaway, the pinned question and slow mode, from the timeline.
    public func liveRoomState(showID: UUID, chatLimit: Int = 50) async throws -> LiveRoomState {
        var state = LiveRoomState()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        struct Stored: Decodable {
            var type: String
            var product: PinnedProduct?
            var productId: UUID?
            var message: ChatMessage?
            var id: UUID?
            var seconds: Int?
        }
        for model in try await LiveEventModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).sort(\.$occurredAt).all()
        {
            guard let event = try? decoder.decode(Stored.self, from: Data(model.payload.utf8)) else { continue }
            switch event.type {
            case "product_pinned":
                if let product = event.product {
                    state.pins.removeAll { $0.productId == product.productId }
                    state.pins.append(product)
                }
            case "product_unpinned": state.pins.removeAll { $0.productId == event.productId }
            case "question_pinned": state.question = event.message
            case "question_answered": if state.question?.id == event.id { state.question = nil }
            case "slow_mode": state.slowMode = event.seconds ?? 0
            default: break
            }
        }
        if let poll = try await LivePollModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).filter(\.$closedAt == nil).first()
        {
            state.poll = try await livePoll(poll)
        }
        if let giveaway = try await GiveawayModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).filter(\.$drawnAt == nil).first()
        {
            state.giveaway = try await liveGiveaway(giveaway)
        }
        state.chat = try await recentChat(showID: showID, limit: chatLimit)
        return state
    }
}

extension Store {
    /// The brand, format and status of a show, whoever asks: the realtime socket's first check.
    public func showAdmission(_ id: UUID) async throws -> (brandID: UUID, isPrivate: Bool, status: ShowStatus)? {
        guard let model = try await ShowModel.find(id, on: db), let status = ShowStatus(rawValue: model.status) else {
            return nil
        }
        return (model.brandID, model.format == ShowFormat.private.rawValue, status)
    }
}

extension BrandScope {
    /// Whether viewers may open a show's room: the statuses of public pages.
    public static func isOpenToViewers(_ status: ShowStatus) -> Bool { publicStatuses.contains(status) }
}

/// A lineup product's stock as viewers see it: "only 3 left", "all reserved", "sold out".
public struct LiveStock: Sendable, Codable, Equatable {
    /// Units left to buy, all variants together (on hand less what checkouts hold and what was sold
    /// and not yet counted by the shop); nil when some variant sells beyond its stock.
    public var available: Int?
    public var soldOut: Bool
    /// Nothing left to buy, but checkouts hold units that come back if they expire.
    public var allReserved: Bool

    public init(available: Int?, soldOut: Bool, allReserved: Bool = false) {
        self.available = available
        self.soldOut = soldOut
        self.allReserved = allReserved
    }
}

extension BrandScope {
    /// The stock of each product, from its variants, in one query.
    public func liveStock(productIDs: [UUID]) async throws -> [UUID: LiveStock] {
        guard !productIDs.isEmpty else { return [:] }
        let rows = try await sql.raw(
            """
            SELECT product_id, inventory_policy, inventory_quantity, reserved, sold_unacknowledged FROM variants
            WHERE brand_id = \(bind: brandID) AND product_id IN (\(binds: productIDs))
            """
        ).all()
        var byProduct: [UUID: [(policy: String, level: StockLevel)]] = [:]
        for row in rows {
            byProduct[try row.decode(column: "product_id", as: UUID.self), default: []].append(
                (
                    try row.decode(column: "inventory_policy", as: String.self),
                    StockLevel(
                        onHand: try row.decode(column: "inventory_quantity", as: Int.self),
                        reserved: try row.decode(column: "reserved", as: Int.self),
                        soldUnacknowledged: try row.decode(column: "sold_unacknowledged", as: Int.self))
                ))
        }
        var result: [UUID: LiveStock] = [:]
        for (productID, variants) in byProduct {
            if variants.contains(where: { $0.policy != InventoryPolicy.deny.rawValue }) {
                result[productID] = LiveStock(available: nil, soldOut: false)
            } else {
                let available = variants.reduce(0) { $0 + $1.level.available }
                let held = variants.contains { $0.level.allReserved }
                result[productID] = LiveStock(
                    available: available, soldOut: available == 0 && !held,
                    allReserved: available == 0 && held)
            }
        }
        return result
    }
}
