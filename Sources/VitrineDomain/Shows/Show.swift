import Foundation

/// Where a show is in its life. `ShowLifecycle` says which moves are allowed.
public enum ShowStatus: String, Sendable, Codable, CaseIterable {
    case draft, scheduled, live, ended, cancelled, missed
}

/// Who may watch: anyone (one-to-many), or invited customers only (one-to-few).
public enum ShowFormat: String, Sendable, Codable, CaseIterable {
    case `public`, `private`
}

/// The shape of the picture: 9:16 for phones held upright, 16:9 for a studio camera.
public enum Orientation: String, Sendable, Codable, CaseIterable {
    case vertical, horizontal
}

/// A product of the show's lineup, in the order the host presents them.
public struct LineupItem: Sendable, Codable, Equatable {
    public var productId: UUID
    public var position: Int
    /// The show price, when it differs from the catalog price.
    public var showPrice: Money?
    public var note: String?

    public init(productId: UUID, position: Int, showPrice: Money?, note: String?) {
        self.productId = productId
        self.position = position
        self.showPrice = showPrice
        self.note = note
    }
}

/// A live show as its brand's team sees it. The stream key is never in here: it is revealed apart.
public struct Show: Sendable, Codable, Equatable {
    public var id: UUID
    public var seriesId: UUID?
    public var title: String
    public var description: String
    public var coverUrl: String?
    public var language: String
    public var scheduledStart: Date?
    /// Expected length in minutes.
    public var durationMinutes: Int
    public var format: ShowFormat
    /// Viewers of a private show give this code (shown to the team only).
    public var accessCode: String?
    public var orientation: Orientation
    public var status: ShowStatus
    public var autoPublishReplay: Bool
    public var replayPublished: Bool
    /// Member ids of the hosts.
    public var hosts: [UUID]
    public var lineup: [LineupItem]
    /// The last characters of the stream key, to tell keys apart without revealing them.
    public var streamKeyHint: String
    /// Whether this show was changed by hand since its series created it (series edits then skip it).
    public var detached: Bool
    /// Raised each time the show moves or is cancelled: calendars replace their copy (iCalendar SEQUENCE).
    public var sequence: Int
    public var wentLiveAt: Date?
    public var endedAt: Date?
    public var cancelledAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, seriesId: UUID?, title: String, description: String, coverUrl: String?, language: String,
        scheduledStart: Date?, durationMinutes: Int, format: ShowFormat, accessCode: String?,
        orientation: Orientation, status: ShowStatus, autoPublishReplay: Bool, replayPublished: Bool,
        hosts: [UUID], lineup: [LineupItem], streamKeyHint: String, detached: Bool, wentLiveAt: Date?,
        endedAt: Date?, cancelledAt: Date?, createdAt: Date, updatedAt: Date, sequence: Int = 0
    ) {
        self.sequence = sequence
        self.id = id
        self.seriesId = seriesId
        self.title = title
        self.description = description
        self.coverUrl = coverUrl
        self.language = language
        self.scheduledStart = scheduledStart
        self.durationMinutes = durationMinutes
        self.format = format
        self.accessCode = accessCode
        self.orientation = orientation
        self.status = status
        self.autoPublishReplay = autoPublishReplay
        self.replayPublished = replayPublished
        self.hosts = hosts
        self.lineup = lineup
        self.streamKeyHint = streamKeyHint
        self.detached = detached
        self.wentLiveAt = wentLiveAt
        self.endedAt = endedAt
        self.cancelledAt = cancelledAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
