import Foundation
import VitrineDomain
import VitrineStore

/// What viewers send: their name, chat, reactions, votes, giveaway entries, reports.
extension LiveRoom {
    /// Handles one message of a connection. Errors go back to that connection only.
    public func handle(_ request: LiveRequest, from connection: LiveConnection) async {
        do {
            switch request.type {
            case "set_name": try setName(request, connection)
            case "chat": try await chat(request, connection)
            case "react": try react(request, connection)
            case "vote": try await vote(request, connection)
            case "enter_giveaway": try await enterGiveaway(request, connection)
            case "report": try await report(request, connection)
            case "pin", "unpin", "announce", "open_poll", "close_poll", "open_giveaway", "draw_giveaway",
                "delete_message", "timeout", "ban", "slow_mode", "pin_question", "answer_question":
                try await staffAction(request, connection)
            default:
                throw DomainError.invalid(
                    "type", "Unknown message type '\(request.type.prefix(40))'.", code: "unknown_type")
            }
        } catch let error as DomainError {
            var reply: [String: JSONValue] = [
                "type": .string("error"), "code": .string(error.code), "message": .string(error.message),
            ]
            if let field = error.field { reply["field"] = .string(field) }
            if let ref = request.ref { reply["ref"] = .string(String(ref.prefix(64))) }
            self.reply(connection, reply)
        } catch let wait as Wait {
            var reply: [String: JSONValue] = [
                "type": .string("error"), "code": .string(wait.code), "message": .string(wait.message),
                "retryAfter": .double(wait.retryAfter),
            ]
            if let ref = request.ref { reply["ref"] = .string(String(ref.prefix(64))) }
            self.reply(connection, reply)
        } catch {
            logger.error("live request failed", metadata: ["type": "\(request.type)", "error": "\(error)"])
            var reply: [String: JSONValue] = [
                "type": .string("error"), "code": .string("server_error"),
                "message": .string("Something went wrong on our side; try again."),
            ]
            if let ref = request.ref { reply["ref"] = .string(String(ref.prefix(64))) }
            self.reply(connection, reply)
        }
    }

    /// Answers a request that carried a `ref` (a client that sends none wants no answer).
    func ack(_ request: LiveRequest, _ connection: LiveConnection, id: UUID? = nil) {
        guard let ref = request.ref else { return }
        var reply: [String: JSONValue] = ["type": .string("ack"), "ref": .string(String(ref.prefix(64)))]
        if let id { reply["id"] = .string(id.uuidString) }
        self.reply(connection, reply)
    }

    func setName(_ request: LiveRequest, _ connection: LiveConnection) throws {
        guard connection.staff == nil else { return ack(request, connection) }
        viewers[connection.id]?.name = try ChatText.name(request.name ?? "")
        ack(request, connection)
    }

    func chat(_ request: LiveRequest, _ connection: LiveConnection) async throws {
        guard var viewer = viewers[connection.id] else { return }
        let staff = connection.staff
        let now = Self.seconds()
        if staff == nil {
            if let ban = viewer.banned, ban.until.map({ $0 > Date() }) ?? true {
                throw DomainError(
                    .forbidden, code: "banned",
                    message: ban.until == nil
                        ? "You can no longer write in this brand's chats."
                        : "You can write again in \(Int(ban.until!.timeIntervalSinceNow.rounded(.up))) s.")
            }
            guard viewer.name != nil else {
                throw DomainError(.conflict, code: "name_required", message: "Choose a display name before chatting.")
            }
            if state.slowMode > 0, now - viewer.lastMessage < Double(state.slowMode) {
                let wait = (Double(state.slowMode) - (now - viewer.lastMessage)).rounded(.up)
                throw Wait(
                    "slow_mode", "Slow mode: one message every \(state.slowMode) s. Wait \(Int(wait)) s.", wait)
            }
            if let wait = viewer.chat.take(now: now) {
                viewers[connection.id] = viewer
                throw Wait("rate_limited", "You are writing too fast. Wait a moment.", wait)
            }
            if let ip = connection.ip {
                var bucket =
                    ipChat[ip]
                    ?? TokenBucket(perSecond: limits.chatPerIPPerSecond, burst: limits.chatPerIPBurst, now: now)
                let wait = bucket.take(now: now)
                ipChat[ip] = bucket
                if let wait {
                    viewers[connection.id] = viewer
                    throw Wait("rate_limited", "Too many messages from your network. Wait a moment.", wait)
                }
            }
        }
        let text = try ChatText.message(request.text ?? "", hideLinks: staff == nil && hideLinks)
        if staff == nil, ChatText.blockedWord(in: text, list: blockedWords) != nil {
            throw DomainError(
                .invalid, code: "blocked_word",
                message: "Your message was not sent: it contains a word this chat does not allow.",
                field: "text")
        }
        viewer.lastMessage = now
        viewers[connection.id] = viewer
        let message = ChatMessage(
            id: UUID(), name: staff?.name ?? viewer.name ?? "", text: text, staff: staff != nil, at: currentAt(),
            sentAt: Date())
        remember(message)
        unsaved.append(ChatRecord(showID: showID, message: message, viewerID: connection.viewerID, ip: connection.ip))
        broadcast(.chat(message))
        ack(request, connection, id: message.id)
    }

    func react(_ request: LiveRequest, _ connection: LiveConnection) throws {
        let kind = request.kind ?? "heart"
        guard LiveProtocol.reactionKinds.contains(kind) else {
            throw DomainError.invalid(
                "kind", "Reactions are \(LiveProtocol.reactionKinds.sorted().joined(separator: ", ")).")
        }
        let now = Self.seconds()
        guard var viewer = viewers[connection.id] else { return }
        let wait = viewer.reactions.take(now: now)
        viewers[connection.id] = viewer
        if let wait { throw Wait("rate_limited", "Too many reactions.", wait) }
        if let ip = connection.ip {
            var bucket =
                ipReactions[ip]
                ?? TokenBucket(
                    perSecond: limits.reactionsPerIPPerSecond, burst: limits.reactionsPerIPPerSecond * 2, now: now)
            let wait = bucket.take(now: now)
            ipReactions[ip] = bucket
            if let wait { throw Wait("rate_limited", "Too many reactions from your network.", wait) }
        }
        // Counted, and sent as one total per tick: never one frame per heart.
        reactionCounts[kind, default: 0] += 1
    }

    /// Votes, entries and reports cost database work, and viewer ids are the client's choice: each
    /// address gets a few a second.
    func limitAddress(_ connection: LiveConnection) throws {
        guard connection.staff == nil, let ip = connection.ip else { return }
        let now = Self.seconds()
        var bucket = ipActions[ip] ?? TokenBucket(perSecond: 5, burst: 20, now: now)
        let wait = bucket.take(now: now)
        ipActions[ip] = bucket
        if let wait { throw Wait("rate_limited", "Too many requests from your network. Wait a moment.", wait) }
    }

    func vote(_ request: LiveRequest, _ connection: LiveConnection) async throws {
        try limitAddress(connection)
        guard let pollID = request.pollId, let option = request.option else {
            throw DomainError.invalid("option", "A vote names the poll (pollId) and the option (its index).")
        }
        guard try await scope.vote(showID: showID, pollID: pollID, viewerID: connection.viewerID, option: option) else {
            throw DomainError(.conflict, code: "already_voted", message: "You already voted in this poll.")
        }
        if state.poll?.id == pollID, state.poll!.counts.indices.contains(option) {
            state.poll!.counts[option] += 1
            pollDirty = true
        }
        ack(request, connection)
    }

    func enterGiveaway(_ request: LiveRequest, _ connection: LiveConnection) async throws {
        try limitAddress(connection)
        guard let giveawayID = request.giveawayId else {
            throw DomainError.invalid("giveawayId", "Name the giveaway to enter (giveawayId).")
        }
        guard request.acceptRules == true else {
            throw DomainError.invalid(
                "acceptRules", "Accept the giveaway's rules to enter (acceptRules: true).", code: "rules_not_accepted")
        }
        let name = connection.staff?.name ?? viewers[connection.id]?.name ?? ""
        let count = try await scope.enterGiveaway(
            showID: showID, giveawayID: giveawayID, email: request.email ?? "", name: name,
            viewerID: connection.viewerID)
        if state.giveaway?.id == giveawayID, count > state.giveaway!.entries {
            state.giveaway!.entries = count
            broadcast(.giveawayEntries(giveawayId: giveawayID, count: count))
        }
        ack(request, connection)
    }

    func report(_ request: LiveRequest, _ connection: LiveConnection) async throws {
        try limitAddress(connection)
        await saveChatNow()
        guard let messageID = request.messageId,
            let (_, _, message) = try await scope.chatAuthor(showID: showID, messageID: messageID)
        else { throw DomainError(.notFound, code: "not_found", message: "There is no such message in this show.") }
        let reason = String((request.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        if try await scope.report(showID: showID, messageID: messageID, viewerID: connection.viewerID, reason: reason) {
            broadcastToStaff(.report(messageId: messageID, text: message.text, name: message.name, reason: reason))
        }
        ack(request, connection)
    }
}

/// A refusal to wait: slow mode or a rate limit. The client shows a countdown of `retryAfter`.
struct Wait: Error {
    var code: String
    var message: String
    var retryAfter: Double

    init(_ code: String, _ message: String, _ seconds: Double) {
        self.code = code
        self.message = message
        retryAfter = Double(max(1, Int(seconds.rounded(.up))))
    }
}
