import FluentKit
import Foundation
import VitrineDomain

/// A ban or timeout from the chat of a brand's shows, by viewer id and address.
public struct LiveBan: Sendable, Codable, Equatable {
    public var id: UUID
    /// The name the viewer used when banned.
    public var name: String
    public var reason: String
    /// The message that got them banned, if any.
    public var messageText: String?
    /// Nil: until lifted. Otherwise a timeout.
    public var until: Date?
    public var createdAt: Date
    public var liftedAt: Date?
}

/// The audit record of a giveaway: anyone with the seed and the entrant list can recompute the
/// winner (`GiveawayDraw.winnerIndex`).
public struct GiveawayAudit: Sendable, Codable, Equatable {
    public var id: UUID
    public var title: String
    public var rules: String
    public var openedAt: Date
    public var entries: Int
    public var drawnAt: Date?
    /// Decimal UInt64.
    public var seed: String?
    /// E-mail addresses in entry order, as drawn from.
    public var entrants: [String]?
    public var winnerIndex: Int?
    public var winnerEmail: String?
}

extension BrandScope {
    // MARK: Bans

    public func ban(viewerID: String?, ip: String?, name: String, reason: String, messageText: String?, until: Date?)
        async throws -> LiveBan
    {
        let model = LiveBanModel()
        model.brandID = brandID
        model.viewerID = viewerID
        model.ip = ip
        model.name = name
        model.reason = reason
        model.messageText = messageText
        model.until = until
        try await model.create(on: db)
        return model.ban
    }

    /// The ban in force for this viewer id or this address, if any.
    public func activeBan(viewerID: String, ip: String?) async throws -> LiveBan? {
        let now = store.now
        let candidates = try await LiveBanModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$liftedAt == nil)
            .group(.or) { group in
                group.filter(\.$viewerID == viewerID)
                if let ip { group.filter(\.$ip == ip) }
            }
            .all()
        return candidates.first { $0.until.map { $0 > now } ?? true }?.ban
    }

    /// Bans and timeouts still in force, newest first.
    public func bans() async throws -> [LiveBan] {
        let now = store.now
        return try await LiveBanModel.query(on: db).filter(\.$brandID == brandID).filter(\.$liftedAt == nil)
            .sort(\.$createdAt, .descending).all().filter { $0.until.map { $0 > now } ?? true }.map(\.ban)
    }

    public func liftBan(_ id: UUID) async throws -> LiveBan {
        guard let model = try await LiveBanModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id == id).first()
        else { throw DomainError.notFound }
        if model.liftedAt == nil {
            model.liftedAt = store.now
            try await model.save(on: db)
        }
        return model.ban
    }

    // MARK: Reports

    /// The reported messages of a show, most reported first: what the moderators review (the
    /// reporters stay anonymous; a deleted message says so).
    public func reports(showID: UUID) async throws -> [ReportedMessage] {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        let reports = try await ChatReportModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).all()
        let byMessage = Dictionary(grouping: reports, by: \.messageID)
        guard !byMessage.isEmpty else { return [] }
        let messages = try await ChatMessageModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).filter(\.$id ~~ Array(byMessage.keys)).all()
        return messages.compactMap { message -> ReportedMessage? in
            guard let id = message.id, let reports = byMessage[id] else { return nil }
            return ReportedMessage(
                messageId: id, name: message.name, text: message.text, at: message.at, sentAt: message.sentAt,
                deleted: message.deletedAt != nil, reports: reports.count,
                reasons: Array(Set(reports.map(\.reason).filter { !$0.isEmpty })).sorted(),
                lastReportedAt: reports.compactMap(\.createdAt).max())
        }.sorted { ($0.reports, $0.lastReportedAt ?? .distantPast) > ($1.reports, $1.lastReportedAt ?? .distantPast) }
    }

    /// A viewer reports a message; false if they already did (the unique index says so).
    public func report(showID: UUID, messageID: UUID, viewerID: String, reason: String) async throws -> Bool {
        let model = ChatReportModel()
        model.brandID = brandID
        model.showID = showID
        model.messageID = messageID
        model.viewerID = viewerID
        model.reason = reason
        do {
            try await model.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
        return true
    }

    // MARK: Polls

    /// Opens a poll; a show has one open poll at a time.
    public func openPoll(showID: UUID, question: String, options: [String], at: Double?) async throws -> LivePoll {
        if try await LivePollModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID)
            .filter(\.$closedAt == nil).first() != nil
        {
            throw DomainError(.conflict, code: "poll_open", message: "Close the open poll before opening another.")
        }
        let model = LivePollModel()
        model.brandID = brandID
        model.showID = showID
        model.question = question
        model.options = JSONList.encode(options)
        model.at = at
        model.openedAt = store.now
        try await model.create(on: db)
        return try await livePoll(model)
    }

    /// One vote per viewer: false when this viewer already voted (the unique index says so).
    public func vote(showID: UUID, pollID: UUID, viewerID: String, option: Int) async throws -> Bool {
        guard let poll = try await pollModel(showID: showID, pollID: pollID), poll.closedAt == nil else {
            throw DomainError(.conflict, code: "poll_closed", message: "This poll is closed.")
        }
        guard (0..<JSONList.decode(poll.options).count).contains(option) else {
            throw DomainError.invalid("option", "There is no option \(option) in this poll.")
        }
        let vote = LivePollVoteModel()
        vote.pollID = pollID
        vote.viewerID = viewerID
        vote.option = option
        do {
            try await vote.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
        return true
    }

    public func closePoll(showID: UUID, pollID: UUID) async throws -> LivePoll {
        guard let model = try await pollModel(showID: showID, pollID: pollID) else { throw DomainError.notFound }
        if model.closedAt == nil {
            model.closedAt = store.now
            try await model.save(on: db)
        }
        return try await livePoll(model)
    }

    /// A poll as stored, with the votes of every node.
    public func poll(showID: UUID, pollID: UUID) async throws -> LivePoll {
        guard let model = try await pollModel(showID: showID, pollID: pollID) else { throw DomainError.notFound }
        return try await livePoll(model)
    }

    func pollModel(showID: UUID, pollID: UUID) async throws -> LivePollModel? {
        try await LivePollModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID)
            .filter(\.$id == pollID).first()
    }

    func livePoll(_ model: LivePollModel) async throws -> LivePoll {
        let options = JSONList.decode(model.options)
        var counts = Array(repeating: 0, count: options.count)
        for vote in try await LivePollVoteModel.query(on: db).filter(\.$pollID == model.id!).all()
        where counts.indices.contains(vote.option) {
            counts[vote.option] += 1
        }
        return LivePoll(
            id: model.id!, question: model.question, options: options, counts: counts, at: model.at,
            closed: model.closedAt != nil)
    }

    // MARK: Giveaways

    public func openGiveaway(showID: UUID, title: String, rules: String, at: Double?) async throws -> LiveGiveaway {
        if try await GiveawayModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID)
            .filter(\.$drawnAt == nil).first() != nil
        {
            throw DomainError(
                .conflict, code: "giveaway_open", message: "Draw the open giveaway before opening another.")
        }
        let model = GiveawayModel()
        model.brandID = brandID
        model.showID = showID
        model.title = title
        model.rules = rules
        model.at = at
        model.openedAt = store.now
        try await model.create(on: db)
        return try await liveGiveaway(model)
    }

    /// Enters an e-mail address once; returns the number of entries.
    public func enterGiveaway(showID: UUID, giveawayID: UUID, email: String, name: String, viewerID: String)
        async throws -> Int
    {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard EmailRules.isValid(email) else {
            throw DomainError.invalid("email", "'\(email)' is not an e-mail address.")
        }
        guard let giveaway = try await giveawayModel(showID: showID, giveawayID: giveawayID), giveaway.drawnAt == nil
        else { throw DomainError(.conflict, code: "giveaway_closed", message: "This giveaway is over.") }
        let entry = GiveawayEntryModel()
        entry.giveawayID = giveawayID
        entry.email = email
        entry.name = name
        entry.viewerID = viewerID
        entry.enteredAt = store.now
        let taken = DomainError(
            .conflict, code: "already_entered", message: "This e-mail address has already entered the giveaway.")
        do {
            try await entry.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw taken
        }
        return try await GiveawayEntryModel.query(on: db).filter(\.$giveawayID == giveawayID).count()
    }

    /// Closes a giveaway and draws its winner from `seed` and the entrants in entry order; both
    /// are recorded. Drawing twice returns the first draw.
    public func drawGiveaway(showID: UUID, giveawayID: UUID, seed: UInt64) async throws -> GiveawayAudit {
        try await db.transaction { db in
            try await self.store.lock("giveaways", where: "id", equals: giveawayID, on: db)
            guard
                let model = try await GiveawayModel.query(on: db).filter(\.$brandID == self.brandID)
                    .filter(\.$showID == showID).filter(\.$id == giveawayID).first()
            else { throw DomainError.notFound }
            if model.drawnAt != nil { return try await self.audit(model, on: db) }
            let entrants = try await GiveawayEntryModel.query(on: db).filter(\.$giveawayID == giveawayID)
                .sort(\.$enteredAt).sort(\.$email).all().map(\.email)
            guard !entrants.isEmpty else {
                throw DomainError(.conflict, code: "no_entries", message: "Nobody has entered this giveaway yet.")
            }
            model.seed = String(seed)
            model.entrants = JSONList.encode(entrants)
            model.winnerEmail = entrants[GiveawayDraw.winnerIndex(seed: seed, count: entrants.count)]
            model.drawnAt = self.store.now
            try await model.save(on: db)
            return try await self.audit(model, on: db)
        }
    }

    /// The show's giveaways with their draws, for the team to check and to reach the winner.
    public func giveaways(showID: UUID) async throws -> [GiveawayAudit] {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        var result: [GiveawayAudit] = []
        for model in try await GiveawayModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).sort(\.$openedAt).all()
        {
            result.append(try await audit(model, on: db))
        }
        return result
    }

    /// The name the winner entered with, for the announcement.
    public func giveawayEntrantName(giveawayID: UUID, email: String) async throws -> String? {
        try await GiveawayEntryModel.query(on: db).filter(\.$giveawayID == giveawayID).filter(\.$email == email)
            .first()?.name
    }

    func giveawayModel(showID: UUID, giveawayID: UUID) async throws -> GiveawayModel? {
        try await GiveawayModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID)
            .filter(\.$id == giveawayID).first()
    }

    func liveGiveaway(_ model: GiveawayModel) async throws -> LiveGiveaway {
        let entries = try await GiveawayEntryModel.query(on: db).filter(\.$giveawayID == model.id!).count()
        return LiveGiveaway(id: model.id!, title: model.title, rules: model.rules, entries: entries, at: model.at)
    }

    func audit(_ model: GiveawayModel, on db: any Database) async throws -> GiveawayAudit {
        let entrants = model.entrants.map(JSONList.decode)
        return GiveawayAudit(
            id: model.id!, title: model.title, rules: model.rules, openedAt: model.openedAt,
            entries: try await GiveawayEntryModel.query(on: db).filter(\.$giveawayID == model.id!).count(),
            drawnAt: model.drawnAt, seed: model.seed, entrants: entrants,
            winnerIndex: entrants.flatMap { list in model.winnerEmail.flatMap { list.firstIndex(of: $0) } },
            winnerEmail: model.winnerEmail)
    }
}

extension LiveBanModel {
    var ban: LiveBan {
        LiveBan(
            id: id!, name: name, reason: reason, messageText: messageText, until: until,
            createdAt: createdAt ?? Date(), liftedAt: liftedAt)
    }
}

/// A chat message viewers reported, with how many did and why.
public struct ReportedMessage: Sendable, Codable, Equatable {
    public var messageId: UUID
    public var name: String
    public var text: String
    public var at: Double?
    public var sentAt: Date
    public var deleted: Bool
    public var reports: Int
    public var reasons: [String]
    public var lastReportedAt: Date?
}
