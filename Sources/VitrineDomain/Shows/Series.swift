import Foundation

/// A recurring rendez-vous ("every Thursday at 19:00"): its shows are created 8 weeks ahead.
public struct Series: Sendable, Codable, Equatable {
    public var id: UUID
    public var title: String
    public var description: String
    public var coverUrl: String?
    public var language: String
    public var rule: WeeklyRule
    public var durationMinutes: Int
    public var format: ShowFormat
    public var orientation: Orientation
    public var autoPublishReplay: Bool
    public var hosts: [UUID]
    /// While active, new occurrences keep being created.
    public var active: Bool
    public var streamKeyHint: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, title: String, description: String, coverUrl: String?, language: String, rule: WeeklyRule,
        durationMinutes: Int, format: ShowFormat, orientation: Orientation, autoPublishReplay: Bool, hosts: [UUID],
        active: Bool, streamKeyHint: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.coverUrl = coverUrl
        self.language = language
        self.rule = rule
        self.durationMinutes = durationMinutes
        self.format = format
        self.orientation = orientation
        self.autoPublishReplay = autoPublishReplay
        self.hosts = hosts
        self.active = active
        self.streamKeyHint = streamKeyHint
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// How far ahead shows exist.
    public static let weeksAhead = 8

    /// The details a show of this series takes (its own time comes from the rule). Hosts who have
    /// left the brand since are dropped.
    public func showInput(members: Set<UUID>) -> ShowInput {
        var input = ShowInput(title: title)
        input.description = description
        input.coverUrl = coverUrl ?? ""
        input.language = language
        input.durationMinutes = durationMinutes
        input.format = format
        input.orientation = orientation
        input.autoPublishReplay = autoPublishReplay
        input.hosts = hosts.filter(members.contains)
        return input
    }
}

/// A series as a client sends it.
public struct SeriesInput: Sendable, Codable, Equatable {
    public var title: String?
    public var description: String?
    public var coverUrl: String?
    public var language: String?
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    public var weekdays: [Int]?
    /// Local time of day, "19:00".
    public var localTime: String?
    public var durationMinutes: Int?
    public var format: ShowFormat?
    public var orientation: Orientation?
    public var autoPublishReplay: Bool?
    public var hosts: [UUID]?
    public var active: Bool?

    public init(title: String? = nil) { self.title = title }
}

extension Series {
    /// Applies `input` over this series in the brand's `timeZone`, reusing the show rules.
    public func applying(_ input: SeriesInput, timeZone: String, context: ShowContext) throws(DomainError) -> Series {
        var series = self
        var showInput = ShowInput(title: input.title)
        showInput.description = input.description
        showInput.coverUrl = input.coverUrl
        showInput.language = input.language
        showInput.durationMinutes = input.durationMinutes
        showInput.format = input.format
        showInput.orientation = input.orientation
        showInput.autoPublishReplay = input.autoPublishReplay
        showInput.hosts = input.hosts
        let templateHosts = hosts.filter(context.memberIds.contains)
        let template = Show(
            id: id, seriesId: id, title: title, description: description, coverUrl: coverUrl, language: language,
            scheduledStart: nil, durationMinutes: durationMinutes, format: format, accessCode: nil,
            orientation: orientation, status: .draft, autoPublishReplay: autoPublishReplay, replayPublished: false,
            hosts: templateHosts, lineup: [], streamKeyHint: "", detached: false, wentLiveAt: nil, endedAt: nil,
            cancelledAt: nil, createdAt: createdAt, updatedAt: updatedAt)
        let show = try ShowRules.apply(showInput, to: template, context: context)
        series.title = show.title
        series.description = show.description
        series.coverUrl = show.coverUrl
        series.language = show.language
        series.durationMinutes = show.durationMinutes
        series.format = show.format
        series.orientation = show.orientation
        series.autoPublishReplay = show.autoPublishReplay
        series.hosts = show.hosts
        if input.weekdays != nil || input.localTime != nil || series.rule.timeZone != timeZone {
            var hour = rule.hour
            var minute = rule.minute
            if let text = input.localTime {
                let digits = text.unicodeScalars.map { ("0"..."9").contains($0) }
                guard text.unicodeScalars.count == 5, digits == [true, true, false, true, true],
                    text.unicodeScalars.dropFirst(2).first == ":", let h = Int(text.prefix(2)),
                    let m = Int(text.suffix(2))
                else { throw .invalid("localTime", "The time of day looks like 19:00.") }
                (hour, minute) = (h, m)
            }
            do {
                series.rule = try WeeklyRule(
                    weekdays: input.weekdays ?? rule.weekdays, hour: hour, minute: minute, timeZone: timeZone)
            } catch {
                let field = error.field == "hour" || error.field == "minute" ? "localTime" : error.field
                throw DomainError(error.kind, code: error.code, message: error.message, field: field)
            }
        }
        if let active = input.active { series.active = active }
        return series
    }
}
