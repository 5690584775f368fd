import Foundation

/// A change of a show's status, with the instant it happened.
public enum ShowEvent: String, Sendable, Codable, CaseIterable {
    case scheduled, live, ended, cancelled, missed
    case replayPublished = "replay_published"
    case replayUnpublished = "replay_unpublished"
}

/// The rules of a show's life: draft → scheduled → live → ended (→ replay published or not),
/// cancelled before going live, missed when it never started. Nothing goes back.
public enum ShowLifecycle {
    /// How long after its scheduled start a show that has not gone live is marked missed.
    public static let missedAfter: TimeInterval = 30 * 60

    /// Applies `event` to `show` at `now`, or says why it is not allowed.
    public static func apply(_ event: ShowEvent, to show: Show, at now: Date) throws(DomainError) -> Show {
        var show = show
        switch (event, show.status) {
        case (.scheduled, .draft), (.scheduled, .scheduled):
            guard let start = show.scheduledStart else {
                throw refused(event, show, "give it a start time first", field: "scheduledStart")
            }
            guard start > now else { throw refused(event, show, "its start time has passed", field: "scheduledStart") }
            show.status = .scheduled
        case (.live, .scheduled):
            show.status = .live
            show.wentLiveAt = now
        case (.ended, .live):
            show.status = .ended
            show.endedAt = now
            show.replayPublished = show.autoPublishReplay
        case (.cancelled, .draft), (.cancelled, .scheduled):
            show.status = .cancelled
            show.cancelledAt = now
        case (.missed, .scheduled):
            guard let start = show.scheduledStart, now.timeIntervalSince(start) >= missedAfter else {
                throw refused(event, show, "it is not 30 minutes late yet")
            }
            show.status = .missed
        case (.replayPublished, .ended):
            show.replayPublished = true
        case (.replayUnpublished, .ended):
            show.replayPublished = false
        default:
            throw refused(event, show, nil)
        }
        show.updatedAt = now
        return show
    }

    static func refused(_ event: ShowEvent, _ show: Show, _ reason: String?, field: String? = nil) -> DomainError {
        let what: String =
            switch event {
            case .scheduled: "schedule"
            case .live: "go live with"
            case .ended: "end"
            case .cancelled: "cancel"
            case .missed: "mark as missed"
            case .replayPublished: "publish the replay of"
            case .replayUnpublished: "unpublish the replay of"
            }
        let message = "Cannot \(what) a show that is \(show.status.rawValue)" + (reason.map { ": \($0)." } ?? ".")
        return DomainError(.conflict, code: "invalid_transition", message: message, field: field)
    }

    /// Whether the show's details (title, time, lineup…) may still change.
    public static func isEditable(_ status: ShowStatus) -> Bool {
        status == .draft || status == .scheduled || status == .live
    }
}
