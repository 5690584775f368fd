import FluentKit
import Foundation
import VitrineDomain

/// Reading and writing show rows; always filtered on the brand.
extension BrandScope {
    func showModel(_ id: UUID, on db: any Database) async throws -> ShowModel? {
        try await ShowModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id == id).first()
    }

    /// Builds API shows from rows with one query for all their lineups.
    func assemble(_ models: [ShowModel], on db: (any Database)? = nil) async throws -> [Show] {
        let db = db ?? self.db
        let ids = models.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let items = try await LineupItemModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID ~~ ids)
            .sort(\.$position).all()
        let lineups = Dictionary(grouping: items, by: \.showID)
        let seriesIDs = Array(Set(models.compactMap(\.seriesID)))
        let seriesKeys =
            seriesIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await SeriesModel.query(on: db).filter(\.$brandID == brandID)
                    .filter(\.$id ~~ seriesIDs).all().map { ($0.id!, $0.streamKey) })
        return models.map { model in
            Show(
                id: model.id!, seriesId: model.seriesID, title: model.title, description: model.description,
                coverUrl: model.coverURL, language: model.language, scheduledStart: model.scheduledStart,
                durationMinutes: model.durationMinutes, format: ShowFormat(rawValue: model.format) ?? .public,
                accessCode: model.accessCode, orientation: Orientation(rawValue: model.orientation) ?? .vertical,
                status: ShowStatus(rawValue: model.status) ?? .draft, autoPublishReplay: model.autoPublishReplay,
                replayPublished: model.replayPublished,
                hosts: JSONList.decode(model.hosts).compactMap(UUID.init(uuidString:)),
                lineup: (lineups[model.id!] ?? []).map(\.item),
                streamKeyHint: String((model.streamKey ?? model.seriesID.flatMap { seriesKeys[$0] } ?? "").suffix(4)),
                detached: model.detached,
                wentLiveAt: model.wentLiveAt, endedAt: model.endedAt, cancelledAt: model.cancelledAt,
                createdAt: model.createdAt ?? Date(), updatedAt: model.updatedAt ?? model.createdAt ?? Date(),
                sequence: model.sequence)
        }
    }

    func write(_ show: Show, into model: ShowModel, on db: any Database) async throws {
        // A new start, length, cancellation or miss is a new version of the calendar event.
        if !model.$id.exists {
            model.sequence = 0
        } else if model.scheduledStart != show.scheduledStart || model.durationMinutes != show.durationMinutes
            || (model.status != show.status.rawValue && (show.status == .cancelled || show.status == .missed))
        {
            model.sequence += 1
        }
        model.seriesID = show.seriesId
        model.title = show.title
        model.description = show.description
        model.coverURL = show.coverUrl
        model.language = show.language
        model.scheduledStart = show.scheduledStart
        model.durationMinutes = show.durationMinutes
        model.format = show.format.rawValue
        model.accessCode = show.accessCode
        model.orientation = show.orientation.rawValue
        model.status = show.status.rawValue
        model.autoPublishReplay = show.autoPublishReplay
        model.replayPublished = show.replayPublished
        model.hosts = JSONList.encode(show.hosts.map(\.uuidString))
        model.detached = show.detached
        model.wentLiveAt = show.wentLiveAt
        model.endedAt = show.endedAt
        model.cancelledAt = show.cancelledAt
        try await model.save(on: db)
        let showID = model.id!
        let current = try await LineupItemModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).sort(\.$position).all()
        guard current.map(\.item) != show.lineup else { return }
        try await LineupItemModel.query(on: db).filter(\.$brandID == brandID).filter(\.$showID == showID).delete()
        for item in show.lineup {
            let row = LineupItemModel()
            row.brandID = brandID
            row.showID = showID
            row.productID = item.productId
            row.position = item.position
            row.showPrice = item.showPrice?.minorUnits
            row.currency = item.showPrice?.currency
            row.note = item.note
            try await row.create(on: db)
        }
    }

    func record(_ event: ShowEvent, show: UUID, at: Date, member: UUID? = nil, on db: any Database) async throws {
        let row = ShowEventModel()
        row.brandID = brandID
        row.showID = show
        row.event = event.rawValue
        row.at = at
        row.memberID = member
        try await row.create(on: db)
        try await emit(event, show: show, on: db)
    }

    /// The brand's products, members and currency, against which show input is checked.
    func showContext() async throws -> ShowContext {
        let brand = try await settings()
        let products = try await ProductModel.query(on: db).filter(\.$brandID == brandID).all(\.$id)
        let members = try await MemberModel.query(on: db).filter(\.$brandID == brandID).all(\.$id)
        return ShowContext(
            currency: brand.currency, productIds: Set(products), memberIds: Set(members), now: store.now)
    }

    /// A host cannot present two shows at once.
    func ensureNoOverlap(_ show: Show, on db: any Database) async throws {
        guard show.scheduledStart != nil, !show.hosts.isEmpty, show.status == .scheduled || show.status == .draft
        else { return }
        let others = try await ShowModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id != show.id)
            .filter(\.$status ~~ [ShowStatus.scheduled.rawValue, ShowStatus.live.rawValue]).all()
        for other in try await assemble(others, on: db)
        where ShowRules.overlaps(show, other) && !Set(show.hosts).isDisjoint(with: other.hosts) {
            throw DomainError(
                .conflict, code: "schedule_overlap",
                message: "A host of this show presents '\(other.title)' at the same time.", field: "scheduledStart")
        }
    }
}

extension LineupItemModel {
    var item: LineupItem {
        LineupItem(
            productId: productID, position: position,
            showPrice: showPrice.map { Money(minorUnits: $0, currency: currency ?? "EUR") }, note: note)
    }
}
