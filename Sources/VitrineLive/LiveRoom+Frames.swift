import Foundation
import NIOCore
import VitrineDomain
import VitrineStore

/// What a room sends: the snapshot, the tick's frame, replies, and what other nodes send.
extension LiveRoom {
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
            var drops: [FlashDropView]
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
            stock: Dictionary(uniqueKeysWithValues: stock.map { ($0.key.uuidString, $0.value) }),
            drops: drops.values.sorted { $0.id.uuidString < $1.id.uuidString }.map { $0.seen(now: Date()) },
            at: currentAt())
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
        if let bus { Task { [showID] in await bus.publish(showID: showID, event: data) } }
    }

    /// An event heard from another node: shown here as if it happened here.
    public func received(_ event: Data) {
        // What changes what late arrivals see, or what this node enforces, is applied here too.
        struct Peek: Decodable {
            var type: String
            var message: ChatMessage?
            var product: PinnedProduct?
            var productId: UUID?
            var id: UUID?
            var seconds: Int?
            var poll: LivePoll?
            var pollId: UUID?
            var giveaway: LiveGiveaway?
            var giveawayId: UUID?
        }
        guard let peek = try? JSONDecoder.iso8601.decode(Peek.self, from: event) else { return }
        if peek.type == "report" { return staffPending.append(event) }
        // Poll totals are read from the database by each node (`refreshPoll`).
        if peek.type == "poll_results" { return }
        pending.append(event)
        switch peek.type {
        case "chat": if let message = peek.message { remember(message) }
        case "chat_deleted": state.chat.removeAll { $0.id == peek.id }
        case "product_pinned":
            if let product = peek.product {
                state.pins.removeAll { $0.productId == product.productId }
                state.pins.append(product)
            }
        case "product_unpinned": state.pins.removeAll { $0.productId == peek.productId }
        case "slow_mode": state.slowMode = peek.seconds ?? 0
        case "poll_opened": state.poll = peek.poll
        case "poll_closed": if state.poll?.id == peek.pollId { state.poll = nil }
        case "giveaway_opened": state.giveaway = peek.giveaway
        case "giveaway_winner": if state.giveaway?.id == peek.giveawayId { state.giveaway = nil }
        case "question_pinned": state.question = peek.message
        case "question_answered": if state.question?.id == peek.id { state.question = nil }
        default: break
        }
    }

    /// Another node's viewer count.
    public func receivedCount(node: String, count: Int) {
        remoteCounts[node] = (count, .now)
    }

    var viewerCount: Int {
        let now = ContinuousClock.now
        return localCount + remoteCounts.values.filter { now - $0.heard < .seconds(10) }.reduce(0) { $0 + $1.count }
    }

    func remember(_ message: ChatMessage) {
        state.chat.append(message)
        if state.chat.count > 50 { state.chat.removeFirst(state.chat.count - 50) }
    }

    /// One tick: gathers what happened into one frame and queues it to everyone. Returns whether
    /// events wait for the last frame to be written.
    @discardableResult
    func flush() async -> Bool {
        guard !stopped else { return false }
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
        // While the last frame is still being written, totals keep adding up for the next one.
        let free = lastBroadcast?.isDone ?? true
        if free {
            if !reactionCounts.isEmpty {
                // Each node sends its own totals; viewers add them up.
                broadcast(.reactions(reactionCounts))
                reactionCounts = [:]
            }
            if pollDirty, now - lastPollResults >= .seconds(1), let poll = state.poll {
                pollDirty = false
                lastPollResults = now
                // Each node reads the totals of all (`refreshPoll`): no need to share them.
                broadcast(.pollResults(pollId: poll.id, counts: poll.counts), share: false)
            }
            let count = viewerCount
            if count != lastCount && now - lastCountSent >= .seconds(2) {
                lastCount = count
                lastCountSent = now
                broadcast(.viewers(count), share: false)
            }
        }
        flushChat()
        if !pending.isEmpty, free {
            // The team's connections get their own frame (everyone's events and theirs), in the
            // order of their frames: a report never comes before the message it is about.
            let all = frame(pending)
            let forStaff = staffPending.isEmpty ? all : frame(pending + staffPending)
            pending = []
            staffPending = []
            lastBroadcast = Outbox.push(
                all,
                to: viewers.values.lazy.filter { $0.hasSnapshot && $0.connection.staff == nil }.map(\.connection.outbox)
            )
            Outbox.push(forStaff, to: staffOutboxes)
        } else if pending.isEmpty && !staffPending.isEmpty {
            Outbox.push(frame(staffPending), to: staffOutboxes)
            staffPending = []
        }
        if pending.isEmpty && !arriving.isEmpty { sendSnapshots() }
        return !free
    }

    /// Viewers who arrived since the last frame get their snapshot once everything before them
    /// has been sent: it holds what they missed, and the next frame only what came after.
    func sendSnapshots() {
        for id in arriving {
            guard let viewer = viewers[id] else { continue }
            viewers[id]?.hasSnapshot = true
            viewers[id]?.held = []
            viewer.connection.outbox.push(frame([snapshot(for: viewer)]))
            for reply in viewer.held { viewer.connection.outbox.push(frame([reply])) }
        }
        arriving = []
    }

    var staffOutboxes: [Outbox] {
        viewers.values.filter { $0.connection.staff != nil && $0.hasSnapshot }.map(\.connection.outbox)
    }

    /// Rate buckets of addresses that are full again are dropped: a long show with many viewers
    /// keeps only the recent ones.
    func forgetIdleAddresses() {
        let now = Self.seconds()
        remoteCounts = remoteCounts.filter { ContinuousClock.now - $0.value.heard < .seconds(10) }
        ipChat = ipChat.filter { !$0.value.isIdle(now: now) }
        ipReactions = ipReactions.filter { !$0.value.isIdle(now: now) }
        ipActions = ipActions.filter { !$0.value.isIdle(now: now) }
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
    func frame(_ events: [Data]) -> ByteBuffer { Outbox.frame(events: events) }

    /// Sends one connection its own answer (`ack`, `error`, an entry confirmation).
    func reply(_ connection: LiveConnection, _ object: [String: JSONValue]) {
        guard let data = try? encoder.encode(object) else { return }
        // Before its snapshot a connection gets nothing: answers wait for it.
        if let viewer = viewers[connection.id], !viewer.hasSnapshot {
            viewers[connection.id]?.held.append(data)
        } else {
            connection.outbox.push(frame([data]))
        }
    }

}
