import FluentKit
import Foundation
import VitrineDomain

extension BrandScope {
    public func allSeries() async throws -> [Series] {
        try await SeriesModel.query(on: db).filter(\.$brandID == brandID).sort(\.$createdAt).all().map(\.series)
    }

    public func series(_ id: UUID) async throws -> Series {
        guard let model = try await seriesModel(id, on: db) else { throw DomainError.notFound }
        return model.series
    }

    /// Creates a series and its shows for the next weeks.
    public func createSeries(_ input: SeriesInput) async throws -> Series {
        for (field, given) in [
            ("title", input.title != nil), ("weekdays", input.weekdays != nil), ("localTime", input.localTime != nil),
        ]
        where !given {
            throw DomainError(.invalid, code: "missing_field", message: "'\(field)' is required.", field: field)
        }
        let context = try await showContext()
        let brand = try await settings()
        let placeholder = try WeeklyRule(weekdays: [1], hour: 0, minute: 0, timeZone: brand.timeZone)
        let blank = Series(
            id: UUID(), title: "", description: "", coverUrl: nil, language: brand.languages.first ?? "fr",
            rule: placeholder, durationMinutes: 60, format: .public, orientation: .vertical, autoPublishReplay: true,
            hosts: [], active: true, streamKeyHint: "", createdAt: context.now, updatedAt: context.now)
        let series = try blank.applying(input, timeZone: brand.timeZone, context: context)
        // The series and its first weeks of shows are one change: a host who already presents
        // something at one of those times stops it whole, with the show at fault named.
        try await db.transaction { db in
            let model = SeriesModel()
            model.id = series.id
            model.brandID = self.brandID
            model.streamKey = Secrets.generate(prefix: "live_")
            try self.write(series, into: model)
            try await model.create(on: db)
            for (show, row) in try self.occurrences(of: series, skipping: [], context: context) {
                try await self.ensureNoOverlap(show, on: db)
                try await self.write(show, into: row, on: db)
                try await self.record(.scheduled, show: show.id, at: context.now, on: db)
            }
        }
        return try await self.series(series.id)
    }

    /// The shows a series should have in the next weeks, but for the local days in `skipping`.
    func occurrences(of series: Series, skipping existing: Set<String>, context: ShowContext) throws
        -> [(Show, ShowModel)]
    {
        guard series.active else { return [] }
        var result: [(Show, ShowModel)] = []
        for start in series.rule.occurrences(after: context.now, weeks: Series.weeksAhead) {
            let day = series.rule.localDay(of: start)
            guard !existing.contains(day) else { continue }
            let blank = Show(
                id: UUID(), seriesId: series.id, title: "", description: "", coverUrl: nil, language: series.language,
                scheduledStart: start, durationMinutes: series.durationMinutes, format: series.format,
                accessCode: nil, orientation: series.orientation, status: .scheduled,
                autoPublishReplay: series.autoPublishReplay, replayPublished: false, hosts: [], lineup: [],
                streamKeyHint: "", detached: false, wentLiveAt: nil, endedAt: nil, cancelledAt: nil,
                createdAt: context.now, updatedAt: context.now)
            var show = try ShowRules.apply(series.showInput(members: context.memberIds), to: blank, context: context)
            if show.format == .private { show.accessCode = Self.accessCode() }
            let row = ShowModel()
            row.id = show.id
            row.brandID = brandID
            row.occurrence = day
            result.append((show, row))
        }
        return result
    }

    /// Changes a series and its future shows; shows edited one by one keep their edits, and future
    /// occurrences that the new rule no longer has are cancelled.
    public func updateSeries(_ id: UUID, _ input: SeriesInput) async throws -> Series {
        let context = try await showContext()
        let brand = try await settings()
        try await db.transaction { db in
            try await self.store.lock("series", where: "id", equals: id, on: db)
            guard let model = try await self.seriesModel(id, on: db) else { throw DomainError.notFound }
            let series = try model.series.applying(input, timeZone: brand.timeZone, context: context)
            try self.write(series, into: model)
            try await model.save(on: db)
            let wanted = Dictionary(
                uniqueKeysWithValues: series.rule.occurrences(after: context.now, weeks: Series.weeksAhead)
                    .map { (series.rule.localDay(of: $0), $0) })
            let future = try await ShowModel.query(on: db).filter(\.$brandID == self.brandID)
                .filter(\.$seriesID == id).filter(\.$status == ShowStatus.scheduled.rawValue)
                .filter(\.$detached == false).filter(\.$scheduledStart > context.now).all()
            for showModel in future {
                var show = try await self.assemble([showModel], on: db)[0]
                if let occurrence = showModel.occurrence, let start = wanted[occurrence], series.active {
                    show = try ShowRules.apply(series.showInput(members: context.memberIds), to: show, context: context)
                    show.scheduledStart = start
                    if show.format == .private && show.accessCode == nil { show.accessCode = Self.accessCode() }
                    try await self.ensureNoOverlap(show, on: db)
                    try await self.write(show, into: showModel, on: db)
                } else {
                    show = try ShowLifecycle.apply(.cancelled, to: show, at: context.now)
                    // The series gives the day up: if the rule brings it back, a new show is made.
                    // A show cancelled by hand keeps its day, so the series does not bring it back.
                    showModel.occurrence = nil
                    try await self.write(show, into: showModel, on: db)
                    try await self.record(.cancelled, show: show.id, at: context.now, on: db)
                }
            }
        }
        _ = try await extendSeries(id)
        return try await series(id)
    }

    /// Creates the missing shows of the next weeks; safe to run again (one show per occurrence).
    public func extendSeries(_ id: UUID) async throws -> Int {
        let context = try await showContext()
        guard let model = try await seriesModel(id, on: db) else { throw DomainError.notFound }
        let series = model.series
        guard series.active else { return 0 }
        let existing = Set(
            try await ShowModel.query(on: db).filter(\.$brandID == brandID).filter(\.$seriesID == id).all()
                .compactMap(\.occurrence))
        var created = 0
        for (show, row) in try occurrences(of: series, skipping: existing, context: context) {
            do {
                try await db.transaction { db in
                    try await self.write(show, into: row, on: db)
                    try await self.record(.scheduled, show: show.id, at: context.now, on: db)
                }
                created += 1
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Another node created this occurrence first.
                continue
            }
        }
        return created
    }

    func seriesModel(_ id: UUID, on db: any Database) async throws -> SeriesModel? {
        try await SeriesModel.query(on: db).filter(\.$brandID == brandID).filter(\.$id == id).first()
    }

    func write(_ series: Series, into model: SeriesModel) throws {
        model.title = series.title
        model.description = series.description
        model.coverURL = series.coverUrl
        model.language = series.language
        model.rule = String(decoding: try JSONEncoder().encode(series.rule), as: UTF8.self)
        model.durationMinutes = series.durationMinutes
        model.format = series.format.rawValue
        model.orientation = series.orientation.rawValue
        model.autoPublishReplay = series.autoPublishReplay
        model.hosts = JSONList.encode(series.hosts.map(\.uuidString))
        model.active = series.active
    }
}

extension Store {
    /// Brands' active series, for the service that keeps 8 weeks of shows ahead.
    public func activeSeries() async throws -> [(brandID: UUID, seriesID: UUID)] {
        try await SeriesModel.query(on: db).filter(\.$active == true).all().map { ($0.brandID, $0.id!) }
    }
}

extension SeriesModel {
    var series: Series {
        let rule =
            (try? JSONDecoder().decode(WeeklyRule.self, from: Data(self.rule.utf8)))
            ?? (try! WeeklyRule(weekdays: [1], hour: 19, minute: 0, timeZone: "Europe/Paris"))
        return Series(
            id: id!, title: title, description: description, coverUrl: coverURL, language: language, rule: rule,
            durationMinutes: durationMinutes, format: ShowFormat(rawValue: format) ?? .public,
            orientation: Orientation(rawValue: orientation) ?? .vertical, autoPublishReplay: autoPublishReplay,
            hosts: JSONList.decode(hosts).compactMap(UUID.init(uuidString:)), active: active,
            streamKeyHint: String(streamKey.suffix(4)), createdAt: createdAt ?? Date(),
            updatedAt: updatedAt ?? createdAt ?? Date())
    }
}

extension BrandScope {
    /// The key shared by the shows of a series. Never logged.
    public func seriesStreamKey(_ id: UUID) async throws -> String {
        guard let model = try await seriesModel(id, on: db) else { throw DomainError.notFound }
        return model.streamKey
    }
}
