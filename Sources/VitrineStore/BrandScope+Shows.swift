import FluentKit
import SQLKit
import Foundation
import VitrineDomain

/// One page of a show listing.
public struct ShowPage: Sendable, Codable {
    public var items: [Show]
    public var page: Int
    public var perPage: Int
    public var total: Int
}

/// A status change as the history shows it.
public struct ShowHistoryEntry: Sendable, Codable, Equatable {
    public var event: ShowEvent
    public var at: Date
    public var memberId: UUID?
}

extension BrandScope {
    /// Shows of this brand by start time, then creation, optionally of one status or time range.
    public func shows(status: ShowStatus?, from: Date?, to: Date?, page: Int, perPage: Int) async throws -> ShowPage {
        var query = ShowModel.query(on: db).filter(\.$brandID == brandID)
        if let status { query = query.filter(\.$status == status.rawValue) }
        if let from { query = query.filter(\.$scheduledStart >= from) }
        if let to { query = query.filter(\.$scheduledStart < to) }
        let total = try await query.count()
        let models = try await query.sort(\.$scheduledStart).sort(\.$createdAt)
            .range(((page - 1) * perPage)..<(page * perPage)).all()
        return ShowPage(items: try await assemble(models), page: page, perPage: perPage, total: total)
    }

    public func show(_ id: UUID) async throws -> Show {
        guard let model = try await showModel(id, on: db) else { throw DomainError.notFound }
        return try await assemble([model])[0]
    }

    /// Creates a show as a draft, or scheduled when it has a start time.
    public func createShow(_ input: ShowInput, by memberID: UUID? = nil) async throws -> Show {
        guard input.title != nil else {
            throw DomainError(.invalid, code: "missing_field", message: "'title' is required.", field: "title")
        }
        let context = try await showContext()
        let brand = try await settings()
        let blank = Show(
            id: UUID(), seriesId: nil, title: "", description: "", coverUrl: nil,
            language: brand.languages.first ?? "fr", scheduledStart: nil, durationMinutes: 60, format: .public,
            accessCode: nil, orientation: .vertical, status: .draft, autoPublishReplay: true, replayPublished: false,
            hosts: [], lineup: [], streamKeyHint: "", detached: false, wentLiveAt: nil, endedAt: nil,
            cancelledAt: nil, createdAt: context.now, updatedAt: context.now)
        var show = try ShowRules.apply(input, to: blank, context: context)
        if show.format == .private && show.accessCode == nil { show.accessCode = Self.accessCode() }
        if show.scheduledStart != nil { show = try ShowLifecycle.apply(.scheduled, to: show, at: context.now) }
        let created = show
        return try await db.transaction { db in
            try await self.ensureNoOverlap(created, on: db)
            let model = ShowModel()
            model.id = created.id
            model.brandID = self.brandID
            model.streamKey = Secrets.generate(prefix: "live_")
            try await self.write(created, into: model, on: db)
            if created.status == .scheduled {
                try await self.record(.scheduled, show: created.id, at: context.now, member: memberID, on: db)
            }
            return try await self.assemble([model], on: db)[0]
        }
    }

    /// Changes the details of a show that has not ended; a show of a series is then detached from it.
    public func updateShow(_ id: UUID, _ input: ShowInput) async throws -> Show {
        let context = try await showContext()
        return try await db.transaction { db in
            try await self.store.lock("shows", where: "id", equals: id, on: db)
            guard let model = try await self.showModel(id, on: db) else { throw DomainError.notFound }
            let current = try await self.assemble([model], on: db)[0]
            guard ShowLifecycle.isEditable(current.status) else {
                throw DomainError(
                    .conflict, code: "show_not_editable",
                    message: "A show that is \(current.status.rawValue) cannot change.")
            }
            if current.status == .live && input.scheduledStart != nil {
                throw DomainError.invalid("scheduledStart", "The show is live: its start time cannot change.")
            }
            var show = try ShowRules.apply(input, to: current, context: context)
            if show.format == .private && show.accessCode == nil { show.accessCode = Self.accessCode() }
            show.detached = current.seriesId != nil
            try await self.ensureNoOverlap(show, on: db)
            try await self.write(show, into: model, on: db)
            return try await self.assemble([model], on: db)[0]
        }
    }

    /// Applies a lifecycle event (schedule, go live, end, cancel, publish…) and records it.
    public func transition(_ id: UUID, _ event: ShowEvent, memberID: UUID?) async throws -> Show {
        let now = store.now
        return try await db.transaction { db in
            try await self.store.lock("shows", where: "id", equals: id, on: db)
            guard let model = try await self.showModel(id, on: db) else { throw DomainError.notFound }
            let show = try ShowLifecycle.apply(event, to: try await self.assemble([model], on: db)[0], at: now)
            if event == .live, let seriesID = model.seriesID,
                try await ShowModel.query(on: db).filter(\.$brandID == self.brandID).filter(\.$seriesID == seriesID)
                    .filter(\.$status == ShowStatus.live.rawValue).filter(\.$id != id).first() != nil
            {
                // One stream key serves the whole series: two of its shows cannot be live at once.
                throw DomainError(
                    .conflict, code: "series_live", message: "Another show of this series is live: end it first.")
            }
            if event == .scheduled { try await self.ensureNoOverlap(show, on: db) }
            try await self.write(show, into: model, on: db)
            try await self.record(event, show: id, at: now, member: memberID, on: db)
            if event == .ended && show.replayPublished {
                try await self.record(.replayPublished, show: id, at: now, member: memberID, on: db)
            }
            if event == .ended || event == .cancelled {
                // A flash drop is a moment of the live: it ends with it (its replay sells at the
                // usual price).
                try await (db as! any SQLDatabase).raw(
                    """
                    UPDATE flash_drops SET closed_at = \(bind: now)
                    WHERE show_id = \(bind: id) AND brand_id = \(bind: self.brandID) AND closed_at IS NULL
                    """
                ).run()
            }
            return try await self.assemble([model], on: db)[0]
        }
    }

    public func history(_ id: UUID) async throws -> [ShowHistoryEntry] {
        guard try await showModel(id, on: db) != nil else { throw DomainError.notFound }
        return try await ShowEventModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == id)
            .sort(\.$at).all()
            .compactMap { model in
                ShowEvent(rawValue: model.event).map {
                    ShowHistoryEntry(event: $0, at: model.at, memberId: model.memberID)
                }
            }
    }

    /// The stream key of a show, for the person at the encoder. Never logged.
    /// A show of a series uses the series' key, so OBS is set up once for a weekly show.
    public func streamKey(_ id: UUID) async throws -> String {
        guard let model = try await showModel(id, on: db) else { throw DomainError.notFound }
        if let key = model.streamKey { return key }
        guard let seriesID = model.seriesID, let series = try await seriesModel(seriesID, on: db) else {
            throw DomainError.notFound
        }
        return series.streamKey
    }

    /// Replaces the stream key (the series' key for a show of a series): the old one stops working
    /// at once, since the ingest checks the key when an encoder connects.
    public func rotateStreamKey(_ id: UUID) async throws -> String {
        guard let model = try await showModel(id, on: db) else { throw DomainError.notFound }
        let key = Secrets.generate(prefix: "live_")
        if model.streamKey == nil, let seriesID = model.seriesID, let series = try await seriesModel(seriesID, on: db) {
            series.streamKey = key
            try await series.save(on: db)
        } else {
            model.streamKey = key
            try await model.save(on: db)
        }
        return key
    }

    /// The member id of a user in this brand (hosts are members).
    public func memberID(userID: UUID) async throws -> UUID? {
        try await MemberModel.query(on: db).filter(\.$brandID == brandID).filter(\.$userID == userID).first()?.id
    }

    static func accessCode() -> String {
        String(Secrets.generate().filter { $0.isLetter || $0.isNumber }.prefix(8)).uppercased()
    }
}

extension Store {
    /// Marks missed every scheduled show that has not gone live 30 minutes after its start.
    /// Returns the shows marked, for the service's log.
    public func markMissedShows() async throws -> [UUID] {
        let limit = now.addingTimeInterval(-ShowLifecycle.missedAfter)
        let late = try await ShowModel.query(on: db).filter(\.$status == ShowStatus.scheduled.rawValue)
            .filter(\.$scheduledStart <= limit).all()
        var marked: [UUID] = []
        for model in late {
            do {
                _ = try await brand(model.brandID).transition(model.id!, .missed, memberID: nil)
                marked.append(model.id!)
            } catch is DomainError {
                // It went live or was cancelled meanwhile.
                continue
            }
        }
        return marked
    }
}

extension BrandScope {
    /// Public shows viewers may see: upcoming or live, plus those of the last `pastDays` (ended or
    /// cancelled, so calendars learn of a cancellation). Private shows and drafts never.
    public func publicShows(pastDays: Int = 30, aheadDays: Int = 90) async throws -> [Show] {
        let now = store.now
        let models = try await ShowModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$format == ShowFormat.public.rawValue)
            .filter(\.$status ~~ Self.publicStatuses.map(\.rawValue))
            .filter(\.$scheduledStart >= now.addingTimeInterval(Double(-pastDays) * 86400))
            .filter(\.$scheduledStart <= now.addingTimeInterval(Double(aheadDays) * 86400))
            .sort(\.$scheduledStart).limit(500).all()
        return try await assemble(models)
    }

    /// A show viewers may see, or nil.
    public func publicShow(_ id: UUID) async throws -> Show? {
        guard let model = try await showModel(id, on: db), model.format == ShowFormat.public.rawValue,
            let status = ShowStatus(rawValue: model.status), Self.publicStatuses.contains(status)
        else { return nil }
        return try await assemble([model])[0]
    }

    static let publicStatuses: [ShowStatus] = [.scheduled, .live, .ended, .cancelled, .missed]
}
