import Foundation
import Logging
import NIOCore
import VitrineDomain
import VitrineStore

/// One show's room: its viewers, what they all see (pins, poll, giveaway, question, the last
/// chat), and the fan-out. Events are gathered per tick, encoded once into one frame, and that
/// same buffer is queued to every viewer (`Outbox`), so a slow viewer costs the others nothing.
public actor LiveRoom {
    public let showID: UUID
    let scope: BrandScope
    let limits: LiveLimits
    let mediaTime: @Sendable () async -> Double?
    /// Tells every room of the brand (here and on other nodes) of a ban given here.
    let onBan: @Sendable (_ viewerID: String?, _ ip: String?, _ ban: LiveBan) async -> Void
    let bus: (any LiveBus)?
    let logger: Logger
    let encoder: JSONEncoder

    struct Viewer {
        let connection: LiveConnection
        var name: String?
        var chat: TokenBucket
        var reactions: TokenBucket
        var lastMessage: Double = -.infinity
        var banned: LiveBan?
    }

    var viewers: [UUID: Viewer] = [:]
    var ipChat: [String: TokenBucket] = [:]
    var ipReactions: [String: TokenBucket] = [:]

    // What a viewer who arrives now is shown.
    var status = ShowStatus.scheduled
    var title = ""
    var orientation = "vertical"
    var wentLiveAt: Date?
    var state = LiveRoomState()
    var hideLinks = true
    var blockedWords: [String] = []
    var lineup: [UUID: LineupItem] = [:]
    var stock: [UUID: LiveStock] = [:]

    // What the next tick sends.
    var pending: [Data] = []
    var staffPending: [Data] = []
    var reactionCounts: [String: Int] = [:]
    var pollDirty = false
    var lastPollResults = ContinuousClock.now
    var lastCount = -1
    var lastCountSent = ContinuousClock.now - .seconds(10)
    var unsaved: [ChatRecord] = []
    var saving: Task<Void, Never>?
    /// Viewer counts of the other nodes (multi-node), with when each was heard.
    var remoteCounts: [String: (count: Int, heard: ContinuousClock.Instant)] = [:]

    var mediaAnchor: (media: Double, instant: ContinuousClock.Instant)?
    var lastRefresh = ContinuousClock.now - .seconds(60)
    var ticker: Task<Void, Never>?
    var refreshing: Task<Void, Never>?
    var sampling: Task<Void, Never>?
    var stopped = false
    var emptySince: ContinuousClock.Instant?

    init(
        showID: UUID, scope: BrandScope, limits: LiveLimits, mediaTime: @escaping @Sendable () async -> Double?,
        onBan: @escaping @Sendable (String?, String?, LiveBan) async -> Void, bus: (any LiveBus)?, logger: Logger
    ) {
        self.showID = showID
        self.scope = scope
        self.limits = limits
        self.mediaTime = mediaTime
        self.onBan = onBan
        self.bus = bus
        self.logger = logger
        encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
    }

    /// Loads the lasting state and starts the ticks.
    func start() async throws {
        try await refreshShow()
        state = try await scope.liveRoomState(showID: showID)
        let tick = limits.tick
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                await self?.flush()
            }
        }
    }

    /// Stops the ticks and waits for the room's database work (the store closes next).
    func stop() async {
        stopped = true
        ticker?.cancel()
        await refreshing?.value
        await sampling?.value
        flushChat()
        await saving?.value
    }

    /// Whether nobody has been connected for `idle` (the room can go).
    func isIdle(for idle: Duration) -> Bool {
        guard viewers.isEmpty, let emptySince else { return false }
        return ContinuousClock.now - emptySince >= idle
    }

    // MARK: Joining

    /// Adds a connection and queues its snapshot first. False when the room has stopped (it went
    /// idle meanwhile): the caller asks for the show's room again.
    public func join(_ connection: LiveConnection, name: String?) async -> Bool {
        guard !stopped else { return false }
        let now = Self.seconds()
        // In the room before the ban is read: an idle room is not swept while a viewer arrives.
        viewers[connection.id] = Viewer(
            connection: connection, name: name,
            chat: TokenBucket(perSecond: limits.chatPerSecond, burst: limits.chatBurst, now: now),
            reactions: TokenBucket(perSecond: limits.reactionsPerSecond, burst: limits.reactionsPerSecond * 2, now: now)
        )
        if connection.staff == nil { localCount += 1 }
        emptySince = nil
        if connection.staff == nil,
            let ban = try? await scope.activeBan(viewerID: connection.viewerID, ip: connection.ip)
        {
            viewers[connection.id]?.banned = ban
        }
        guard let viewer = viewers[connection.id] else { return true }
        connection.outbox.push(frame([snapshot(for: viewer)]))
        return true
    }

    /// A ban or timeout was given (in any room of the brand, on any node): the viewers it names
    /// here may no longer write.
    public func banned(viewerID: String?, ip: String?, ban: LiveBan) {
        for (id, viewer) in viewers
        where viewer.connection.staff == nil
            && ((viewerID != nil && viewer.connection.viewerID == viewerID)
                || (ip != nil && viewer.connection.ip == ip))
        {
            viewers[id]?.banned = ban
            reply(
                viewer.connection,
                [
                    "type": .string("banned"),
                    "message": .string(
                        ban.until == nil ? "You can no longer write in this chat." : "You can write again later."),
                ])
        }
    }

    /// A ban was lifted: the viewers held by it may write again.
    public func banLifted(_ id: UUID) {
        for (key, viewer) in viewers where viewer.banned?.id == id { viewers[key]?.banned = nil }
    }

    public func leave(_ connection: LiveConnection) {
        guard viewers.removeValue(forKey: connection.id) != nil else { return }
        if connection.staff == nil { localCount -= 1 }
        if viewers.isEmpty { emptySince = .now }
    }

    func snapshot(for viewer: Viewer) -> Data {
        struct You: Encodable {
            var viewerId: String
            var name: String?
            var staff: Bool
            var role: String?
            var canModerate: Bool
            var canRun: Bool
            var banned: Bool
            var bannedUntil: Date?
        }
        struct ShowInfo: Encodable {
            var id: UUID
            var status: String
            var title: String
            var orientation: String
            var wentLiveAt: Date?
        }
        struct Snapshot: Encodable {
            var type = "snapshot"
            var protocolVersion = LiveProtocol.version
            var show: ShowInfo
            var you: You
            var pins: [PinnedProduct]
            var poll: LivePoll?
            var giveaway: LiveGiveaway?
            var question: ChatMessage?
            var chat: [ChatMessage]
            var viewers: Int
            var slowMode: Int
            var chatHideLinks: Bool
            var stock: [String: LiveStock]
            var at: Double?
        }
        let staff = viewer.connection.staff
        let value = Snapshot(
            show: ShowInfo(
                id: showID, status: status.rawValue, title: title, orientation: orientation, wentLiveAt: wentLiveAt),
            you: You(
                viewerId: viewer.connection.viewerID, name: staff?.name ?? viewer.name, staff: staff != nil,
                role: staff?.role.rawValue, canModerate: staff?.canModerate ?? false, canRun: staff?.canRun ?? false,
                banned: viewer.banned != nil, bannedUntil: viewer.banned?.until),
            pins: state.pins, poll: state.poll, giveaway: state.giveaway, question: state.question, chat: state.chat,
            viewers: viewerCount, slowMode: state.slowMode, chatHideLinks: hideLinks,
            stock: Dictionary(uniqueKeysWithValues: stock.map { ($0.key.uuidString, $0.value) }), at: currentAt())
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    // MARK: Broadcasting

    /// Queues an event for every viewer at the next tick (and the other nodes).
    func broadcast(_ event: LiveEvent, share: Bool = true) {
        guard let data = try? encoder.encode(event) else { return }
        pending.append(data)
        if share, let bus { Task { await bus.publish(showID: showID, event: data) } }
    }

    /// Queues an event for the team's connections only.
    func broadcastToStaff(_ event: LiveEvent) {
        guard let data = try? encoder.encode(event) else { return }
        staffPending.append(data)
    }

    /// An event heard from another node: shown here as if it happened here.
    public func received(_ event: Data) {
        pending.append(event)
        // Chat and pins change what late arrivals see; the other kinds are in the store.
        struct Peek: Decodable {
            var type: String
            var message: ChatMessage?
            var product: PinnedProduct?
            var productId: UUID?
            var id: UUID?
        }
        guard let peek = try? JSONDecoder.iso8601.decode(Peek.self, from: event) else { return }
        switch peek.type {
        case "chat": if let message = peek.message { remember(message) }
        case "chat_deleted": state.chat.removeAll { $0.id == peek.id }
        case "product_pinned":
            if let product = peek.product {
                state.pins.removeAll { $0.productId == product.productId }
                state.pins.append(product)
            }
        case "product_unpinned": state.pins.removeAll { $0.productId == peek.productId }
        default: break
        }
    }

    /// Another node's viewer count.
    public func receivedCount(node: String, count: Int) {
        remoteCounts[node] = (count, .now)
    }

    /// Viewers connected here (the team aside), kept as they join and leave.
    var localCount = 0

    var viewerCount: Int {
        let now = ContinuousClock.now
        return localCount + remoteCounts.values.filter { now - $0.heard < .seconds(10) }.reduce(0) { $0 + $1.count }
    }

    func remember(_ message: ChatMessage) {
        state.chat.append(message)
        if state.chat.count > 50 { state.chat.removeFirst(state.chat.count - 50) }
    }

    /// One tick: gathers what happened into one frame and queues it to everyone.
    func flush() async {
        guard !stopped else { return }
        let now = ContinuousClock.now
        if now - lastRefresh >= .seconds(2), refreshing == nil {
            // The show's state, the brand's chat rules and the stock come from the database, off
            // the tick: a slow query never delays what viewers receive.
            lastRefresh = now
            forgetIdleAddresses()
            refreshing = Task {
                try? await self.refreshShow()
                self.refreshing = nil
            }
            if let bus {
                let (showID, count) = (showID, localCount)
                Task { await bus.publishCount(showID: showID, count: count) }
            }
        }
        if sampling == nil {
            // The stream's clock is read beside the tick, never in its way.
            sampling = Task {
                let media = await self.mediaTime()
                if let media { self.mediaAnchor = (media, .now) }
                self.sampling = nil
            }
        }
        if !reactionCounts.isEmpty {
            broadcast(.reactions(reactionCounts), share: false)
            reactionCounts = [:]
        }
        if pollDirty, now - lastPollResults >= .seconds(1), let poll = state.poll {
            pollDirty = false
            lastPollResults = now
            broadcast(.pollResults(pollId: poll.id, counts: poll.counts))
        }
        let count = viewerCount
        if count != lastCount && now - lastCountSent >= .seconds(2) {
            lastCount = count
            lastCountSent = now
            broadcast(.viewers(count), share: false)
        }
        flushChat()
        if !pending.isEmpty {
            let all = frame(pending)
            let staffFrame = staffPending.isEmpty ? nil : frame(staffPending)
            pending = []
            staffPending = []
            Outbox.push(all, to: viewers.values.lazy.map(\.connection.outbox))
            if let staffFrame { Outbox.push(staffFrame, to: staffOutboxes) }
        } else if !staffPending.isEmpty {
            Outbox.push(frame(staffPending), to: staffOutboxes)
            staffPending = []
        }
    }

    var staffOutboxes: [Outbox] { viewers.values.filter { $0.connection.staff != nil }.map(\.connection.outbox) }

    /// Rate buckets of addresses that are full again are dropped: a long show with many viewers
    /// keeps only the recent ones.
    func forgetIdleAddresses() {
        let now = Self.seconds()
        remoteCounts = remoteCounts.filter { ContinuousClock.now - $0.value.heard < .seconds(10) }
        ipChat = ipChat.filter { !$0.value.isIdle(now: now) }
        ipReactions = ipReactions.filter { !$0.value.isIdle(now: now) }
    }

    /// Stores the tick's chat messages in one insert, one batch after the other.
    func flushChat() {
        guard !unsaved.isEmpty else { return }
        let batch = unsaved
        unsaved = []
        let previous = saving
        let scope = scope
        let logger = logger
        saving = Task {
            await previous?.value
            do {
                try await scope.saveChat(batch)
            } catch {
                logger.error("chat not stored", metadata: ["show": "\(batch[0].showID)", "error": "\(error)"])
            }
        }
    }

    /// Stores the chat not yet stored, and waits: moderation acts on stored messages.
    func saveChatNow() async {
        flushChat()
        await saving?.value
    }

    /// The WebSocket frame of `{"v":1,"events":[...]}` around already encoded events.
    func frame(_ events: [Data]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: events.reduce(24) { $0 + $1.count + 1 })
        buffer.writeString("{\"v\":\(LiveProtocol.version),\"events\":[")
        for (index, event) in events.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeBytes(event)
        }
        buffer.writeString("]}")
        return Outbox.frame(text: buffer)
    }

    /// Sends one connection its own answer (`ack`, `error`, an entry confirmation).
    func reply(_ connection: LiveConnection, _ object: [String: JSONValue]) {
        guard let data = try? encoder.encode(object) else { return }
        connection.outbox.push(frame([data]))
    }

    func refreshShow() async throws {
        let show = try await scope.show(showID)
        let brand = try await scope.settings()
        let changed = ticker != nil && status != show.status
        status = show.status
        title = show.title
        orientation = show.orientation.rawValue
        wentLiveAt = show.wentLiveAt
        lineup = Dictionary(show.lineup.map { ($0.productId, $0) }, uniquingKeysWith: { a, _ in a })
        hideLinks = brand.chatHideLinks
        blockedWords = brand.chatBlockedWords
        // Every node sees the change in the database: no need to share it.
        if changed { broadcast(.showState(status: show.status.rawValue, at: currentAt()), share: false) }
        try await refreshStock()
    }

    /// Reads the lineup's stock and tells viewers what changed ("only 3 left", "sold out"). Runs
    /// every 2 s; `stockChanged()` runs it at once.
    func refreshStock() async throws {
        let current = try await scope.liveStock(productIDs: Array(lineup.keys))
        let first = stock.isEmpty
        for (productID, value) in current.sorted(by: { $0.key.uuidString < $1.key.uuidString })
        where stock[productID] != value && !first {
            broadcast(.stock(productId: productID, available: value.available, soldOut: value.soldOut), share: false)
        }
        stock = current
    }

    /// The stock of a lineup product changed (a push from the shop, an order): viewers learn it now.
    public func stockChanged() async {
        guard refreshing == nil else { return }
        refreshing = Task {
            try? await self.refreshStock()
            self.refreshing = nil
        }
    }

    /// The media time now (`at`): the live stream's clock when it runs, else seconds since the show
    /// went live; nil before.
    func currentAt() -> Double? {
        guard status == .live || status == .ended else { return nil }
        if let mediaAnchor {
            let elapsed = ContinuousClock.now - mediaAnchor.instant
            return
                ((mediaAnchor.media + Double(elapsed.components.seconds)
                + Double(elapsed.components.attoseconds) / 1e18) * 1000).rounded() / 1000
        }
        guard let wentLiveAt else { return nil }
        return (Date().timeIntervalSince(wentLiveAt) * 1000).rounded() / 1000
    }

    static func seconds() -> Double { Date().timeIntervalSince1970 }
}

/// A JSON value for small hand-built replies.
public enum JSONValue: Encodable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let value): try c.encode(value)
        case .int(let value): try c.encode(value)
        case .double(let value): try c.encode(value)
        case .bool(let value): try c.encode(value)
        }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

extension JSONEncoder {
    static var iso8601: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

/// How rooms of one show on several nodes hear each other (PostgreSQL `LISTEN/NOTIFY`).
public protocol LiveBus: Sendable {
    func publish(showID: UUID, event: Data) async
    func publishCount(showID: UUID, count: Int) async
}
