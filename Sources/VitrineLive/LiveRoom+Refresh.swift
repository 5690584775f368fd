import Foundation
import VitrineDomain
import VitrineStore

/// What a room reads from the database beside its ticks, and its media clock.
extension LiveRoom {
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
        try await refreshPoll()
    }

    /// With several nodes, an open poll's counts are read from the database, where every node's
    /// votes are: each node's viewers see the same totals (this node's own votes show at once).
    func refreshPoll() async throws {
        guard bus != nil, let open = state.poll else { return }
        let stored = try await scope.poll(showID: showID, pollID: open.id)
        // Votes only add up while the poll is open: a vote counted here meanwhile is kept.
        guard let current = state.poll, current.id == open.id, current.counts.count == stored.counts.count else {
            return
        }
        let counts = zip(current.counts, stored.counts).map { max($0, $1) }
        if counts != current.counts {
            state.poll?.counts = counts
            pollDirty = true
        }
    }

    /// Reads the lineup's stock and tells viewers what changed ("only 3 left", "sold out"). Runs
    /// every 2 s; `stockChanged()` runs it at once.
    func refreshStock() async throws {
        let current = try await scope.liveStock(productIDs: Array(lineup.keys))
        let first = stock.isEmpty
        for (productID, value) in current.sorted(by: { $0.key.uuidString < $1.key.uuidString })
        where stock[productID] != value && !first {
            broadcast(
                .stock(
                    productId: productID, available: value.available, soldOut: value.soldOut,
                    allReserved: value.allReserved), share: false)
        }
        stock = current
        try await refreshDrops()
    }

    public func dropChanged(started productID: UUID?) async {
        if let productID { try? await pin(productID: productID) }
        try? await refreshDrops()
    }

    /// Reads the show's drops and tells viewers what changed: started (the countdown), opened,
    /// units left, sold out, closed. Runs with the stock.
    func refreshDrops() async throws {
        let now = Date()
        let current = try await scope.drops(showID: showID).map { FlashDropView($0, now: now) }
        var seen: [UUID: FlashDropView] = [:]
        for view in current {
            if view.status != .closed { seen[view.id] = view }
            let before = drops[view.id]
            guard before == nil || before!.changed(from: view) else { continue }
            if before == nil && view.status == .closed { continue }
            broadcast(.drop(view), share: false)
        }
        drops = seen
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

}
