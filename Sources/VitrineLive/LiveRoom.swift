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
        /// Frames go to a viewer only after its snapshot; answers meanwhile wait in `held`.
        var hasSnapshot = false
        var held: [Data] = []
    }

    var viewers: [UUID: Viewer] = [:]
    var ipChat: [String: TokenBucket] = [:]
    var ipReactions: [String: TokenBucket] = [:]
    var ipActions: [String: TokenBucket] = [:]

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
    /// The show's flash drops not closed, as viewers last heard of them.
    var drops: [UUID: FlashDropView] = [:]

    // What the next tick sends.
    var pending: [Data] = []
    /// The last frame sent to everyone: the next waits until each event loop has written it, so
    /// a busy server sends fewer, fuller frames instead of queueing them.
    var lastBroadcast: Outbox.Broadcast?
    var staffPending: [Data] = []
    /// Viewers waiting for their snapshot (`sendSnapshots`), in the order they came.
    var arriving: [UUID] = []
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
            var wait = tick
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                // While the last frame is still being written, look again soon: the next one
                // leaves as soon as the event loops are free.
                guard let waiting = await self?.flush() else { return }
                wait = waiting ? min(tick, .milliseconds(5)) : tick
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

    /// Adds a connection; its snapshot comes first, as soon as what happened before it has been
    /// sent to the others (at once, or after the tick's frame). False when the room has stopped
    /// (it went idle meanwhile): the caller asks for the show's room again.
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
        guard viewers[connection.id] != nil else { return true }
        arriving.append(connection.id)
        if pending.isEmpty { sendSnapshots() }
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

    /// Viewers connected here (the team aside), kept as they join and leave.
    var localCount = 0

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
