import Foundation
import VitrineDomain
import VitrineStore

/// What the show's team sends: pins, announcements, polls, giveaways and moderation. A viewer's
/// connection is refused all of these.
extension LiveRoom {
    func staffAction(_ request: LiveRequest, _ connection: LiveConnection) async throws {
        guard let staff = connection.staff else {
            throw DomainError(.forbidden, code: "forbidden", message: "Only the show's team can do this.")
        }
        let running = ["pin", "unpin", "open_poll", "close_poll", "open_giveaway", "draw_giveaway"].contains(
            request.type)
        guard running ? staff.canRun : (staff.canModerate || (request.type == "announce" && staff.canRun)) else {
            throw DomainError(
                .forbidden, code: "forbidden",
                message: running
                    ? "Only the show's hosts and producers can do this." : "Only moderators and up can do this.")
        }
        if request.messageId != nil { await saveChatNow() }
        switch request.type {
        case "pin": try await pin(request)
        case "unpin":
            guard let productID = request.productId, state.pins.contains(where: { $0.productId == productID }) else {
                throw DomainError(.conflict, code: "not_pinned", message: "This product is not pinned.")
            }
            state.pins.removeAll { $0.productId == productID }
            try await publish(.productUnpinned(productId: productID, at: currentAt()))
        case "announce":
            try await publish(
                .announcement(id: UUID(), text: try LiveRules.announcement(request.text), at: currentAt()))
        case "open_poll":
            let (question, options) = try LiveRules.poll(question: request.question, options: request.options)
            let poll = try await scope.openPoll(showID: showID, question: question, options: options, at: currentAt())
            state.poll = poll
            try await publish(.pollOpened(poll))
            return ack(request, connection, id: poll.id)
        case "close_poll":
            guard let pollID = request.pollId else { throw DomainError.invalid("pollId", "Name the poll (pollId).") }
            let poll = try await scope.closePoll(showID: showID, pollID: pollID)
            if state.poll?.id == pollID { state.poll = nil }
            try await publish(.pollClosed(pollId: poll.id, counts: poll.counts, at: currentAt()))
        case "open_giveaway":
            let (title, rules) = try LiveRules.giveaway(title: request.title, rules: request.rules)
            let giveaway = try await scope.openGiveaway(showID: showID, title: title, rules: rules, at: currentAt())
            state.giveaway = giveaway
            try await publish(.giveawayOpened(giveaway))
            return ack(request, connection, id: giveaway.id)
        case "draw_giveaway": try await draw(request)
        case "delete_message":
            guard let messageID = request.messageId,
                try await scope.deleteChat(showID: showID, messageID: messageID)
            else { throw DomainError(.notFound, code: "not_found", message: "There is no such message in this show.") }
            state.chat.removeAll { $0.id == messageID }
            broadcast(.chatDeleted(id: messageID))
            if state.question?.id == messageID {
                // Recorded, so that the question does not come back with the room's next start.
                state.question = nil
                try await publish(.questionAnswered(id: messageID, at: currentAt()))
            }
        case "timeout", "ban": try await ban(request)
        case "slow_mode":
            state.slowMode = try LiveRules.slowMode(request.seconds)
            try await publish(.slowMode(seconds: state.slowMode))
        case "pin_question":
            guard let messageID = request.messageId,
                let (_, _, message) = try await scope.chatAuthor(showID: showID, messageID: messageID)
            else { throw DomainError(.notFound, code: "not_found", message: "There is no such message in this show.") }
            state.question = message
            try await publish(.questionPinned(message, at: currentAt()))
        case "answer_question":
            guard let messageID = request.messageId, state.question?.id == messageID else {
                throw DomainError(.conflict, code: "not_pinned", message: "This question is not the pinned one.")
            }
            state.question = nil
            try await publish(.questionAnswered(id: messageID, at: currentAt()))
        default: break
        }
        ack(request, connection)
    }

    /// Broadcasts a team event and adds it to the show's timeline (for late viewers and the replay).
    func publish(_ event: LiveEvent) async throws {
        let data = try encoder.encode(event)
        pending.append(data)
        if let bus { await bus.publish(showID: showID, event: data) }
        // Events that carry no `at` (questions, slow mode) are placed on the timeline at "now".
        try await scope.recordLiveEvent(
            showID: showID, kind: event.type, at: event.at ?? currentAt(),
            payload: String(decoding: data, as: UTF8.self))
    }

    func pin(_ request: LiveRequest) async throws {
        try await pin(productID: request.productId)
    }

    /// Pins a lineup product at the media time now: viewers see it when their video reaches it.
    func pin(productID: UUID?) async throws {
        guard let productID, let item = lineup[productID] else {
            throw DomainError(
                .invalid, code: "not_in_lineup", message: "Only products of the show's lineup can be pinned.",
                field: "productId")
        }
        let product = try await scope.product(productID)
        let variant = product.variants.first
        var compareAt = variant?.compareAtPrice
        if let showPrice = item.showPrice, let regular = variant?.price, regular.minorUnits > showPrice.minorUnits {
            compareAt = regular
        }
        let pinned = PinnedProduct(
            productId: productID, handle: product.handle, title: product.title, price: item.showPrice ?? variant?.price,
            compareAtPrice: compareAt, imageUrl: product.images.first?.url, at: currentAt())
        state.pins.removeAll { $0.productId == productID }
        state.pins.append(pinned)
        try await publish(.productPinned(pinned))
    }

    func draw(_ request: LiveRequest) async throws {
        guard let giveawayID = request.giveawayId else {
            throw DomainError.invalid("giveawayId", "Name the giveaway (giveawayId).")
        }
        var random = SystemRandomNumberGenerator()
        let audit = try await scope.drawGiveaway(showID: showID, giveawayID: giveawayID, seed: random.next())
        guard let email = audit.winnerEmail else { return }
        let name = try await scope.giveawayEntrantName(giveawayID: giveawayID, email: email) ?? ""
        if state.giveaway?.id == giveawayID { state.giveaway = nil }
        try await publish(
            .giveawayWinner(giveawayId: giveawayID, name: name, email: email.maskedEmail, at: currentAt()))
    }

    /// Times out (`seconds`, 5 minutes by default) or bans the author of a message, by viewer id
    /// and address: a new viewer id from the same address is refused too.
    func ban(_ request: LiveRequest) async throws {
        guard let messageID = request.messageId,
            let (viewerID, ip, message) = try await scope.chatAuthor(showID: showID, messageID: messageID)
        else { throw DomainError(.notFound, code: "not_found", message: "There is no such message in this show.") }
        guard !message.staff else {
            throw DomainError(.conflict, code: "staff_message", message: "Members of the team cannot be banned here.")
        }
        let until =
            request.type == "timeout" ? Date().addingTimeInterval(Double(try LiveRules.timeout(request.seconds))) : nil
        let reason = String((request.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        let ban = try await scope.ban(
            viewerID: viewerID, ip: ip, name: message.name, reason: reason, messageText: message.text, until: until)
        // Every room of the brand, here and on the other nodes.
        await onBan(viewerID, ip, ban)
    }
}
