import Foundation
import VitrineDomain
import Logging
import VitrineStore

/// The live rooms of this node, one per show with someone connected. A room loads its state on
/// first use and goes a minute after its last viewer left.
public actor LiveRooms {
    let store: Store
    let limits: LiveLimits
    let mediaTime: @Sendable (UUID) async -> Double?
    let bus: PostgresLiveBus?
    let logger: Logger
    var rooms: [UUID: LiveRoom] = [:]
    var starting: [UUID: Task<LiveRoom, any Error>] = [:]
    var sweeper: Task<Void, Never>?
    /// New connections per address (`admit(address:)`).
    var arrivals: [String: TokenBucket] = [:]

    /// With PostgreSQL, the rooms share their events and viewer counts with the other nodes.
    public init(
        store: Store, limits: LiveLimits, mediaTime: @escaping @Sendable (UUID) async -> Double?, logger: Logger
    ) {
        self.store = store
        self.limits = limits
        self.mediaTime = mediaTime
        self.bus = store.isShared ? PostgresLiveBus(store: store, logger: logger) : nil
        self.logger = logger
    }

    /// Hears the other nodes (PostgreSQL) until cancelled.
    public func listen() async {
        guard let bus else { return }
        await bus.listen(rooms: self)
    }

    /// The room of a show of a brand, started if needed.
    public func room(brandID: UUID, showID: UUID) async throws -> LiveRoom {
        if let room = rooms[showID] { return room }
        if let task = starting[showID] { return try await task.value }
        let scope = store.brand(brandID)
        let (limits, logger, bus, mediaTime) = (limits, logger, bus, mediaTime)
        let task = Task {
            let room = LiveRoom(
                showID: showID, scope: scope, limits: limits, mediaTime: { await mediaTime(showID) },
                onBan: { viewerID, ip, ban in
                    await self.banned(brandID: brandID, viewerID: viewerID, ip: ip, ban: ban)
                }, bus: bus, logger: logger)
            try await room.start()
            return room
        }
        starting[showID] = task
        defer { starting[showID] = nil }
        let room = try await task.value
        rooms[showID] = room
        if sweeper == nil {
            sweeper = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    await self?.sweep()
                }
            }
        }
        return room
    }

    /// Whether one more connection from `address` may open a room now; if not, the seconds to
    /// wait. Counted by each node.
    public func admit(address: String?) -> Double? {
        guard let address else { return nil }
        let now = Date().timeIntervalSince1970
        var bucket =
            arrivals[address]
            ?? TokenBucket(perSecond: limits.connectionsPerIPPerSecond, burst: limits.connectionsPerIPBurst, now: now)
        defer { arrivals[address] = bucket }
        return bucket.take(now: now)
    }

    /// An existing room of this node (for events heard from other nodes).
    public func existing(_ showID: UUID) -> LiveRoom? { rooms[showID] }

    /// A flash drop of the show changed (made, started, closed): its viewers learn it now. A drop
    /// that starts also pins its product, at the media time now (the pin waits for each viewer's
    /// video; the countdown does not).
    public func dropChanged(showID: UUID, started productID: UUID? = nil) async {
        guard let room = rooms[showID] else { return }
        await room.dropChanged(started: productID)
    }

    /// A ban or timeout of the brand: its rooms here apply it, and the other nodes hear of it.
    public func banned(brandID: UUID, viewerID: String?, ip: String?, ban: LiveBan, share: Bool = true) async {
        for room in rooms.values where room.scope.brandID == brandID {
            await room.banned(viewerID: viewerID, ip: ip, ban: ban)
        }
        if share, let bus { await bus.publishBan(brandID: brandID, viewerID: viewerID, ip: ip, ban: ban) }
    }

    /// A ban was lifted: the viewers it held may write again, here and on the other nodes.
    public func banLifted(brandID: UUID, id: UUID, share: Bool = true) async {
        for room in rooms.values where room.scope.brandID == brandID { await room.banLifted(id) }
        if share, let bus { await bus.publishLift(brandID: brandID, id: id) }
    }

    /// A brand's stock changed: its open rooms on this node tell their viewers now (the other
    /// nodes' rooms read it within their 2-second refresh).
    public func stockChanged(brandID: UUID) async {
        for room in rooms.values where room.scope.brandID == brandID { await room.stockChanged() }
    }

    func sweep() async {
        let now = Date().timeIntervalSince1970
        arrivals = arrivals.filter { !$0.value.isIdle(now: now) }
        for (showID, room) in rooms where await room.isIdle(for: .seconds(60)) {
            rooms[showID] = nil
            await room.stop()
        }
    }

    /// Graceful shutdown: chat still in memory is stored; viewers are told to reconnect.
    public func shutdown() async {
        sweeper?.cancel()
        for room in rooms.values {
            await room.closeAll(code: LiveProtocol.closeResync, reason: "server restarting: reconnect")
            await room.stop()
        }
        rooms = [:]
    }
}

extension LiveRoom {
    func closeAll(code: UInt16, reason: String) {
        for viewer in viewers.values { viewer.connection.outbox.close(code: code, reason: reason) }
    }
}
