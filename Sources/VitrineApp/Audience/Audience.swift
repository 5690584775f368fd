import Foundation
import VitrineDomain
import VitrineStore

/// Registrations' e-mails: reminders 24 hours and 15 minutes before a show, and "we are live"
/// when it actually goes live. All go through durable jobs; handlers check the show is still as
/// the job expects (a rescheduled show gets new reminders, the old ones do nothing).
struct Audience: Sendable {
    let store: Store
    let mail: MailQueue
    let base: String
    let clock: @Sendable () -> Date
    /// Where shows' videos are: the after-show e-mail links to the replay when there is one.
    var hlsDirectory: String? = nil

    func hasReplayVideo(_ show: Show) -> Bool {
        guard show.replayPublished, let hlsDirectory else { return false }
        return FileManager.default.fileExists(atPath: "\(hlsDirectory)/\(show.id.uuidString.lowercased())/event.m3u8")
    }

    static let reminderKind = "audience.reminder"
    static let liveKind = "audience.live"
    static let noticeKind = "audience.notice"
    static let afterKind = "audience.after"

    /// When a show ends: the survey e-mail to each confirmed registrant, once.
    func announceEnded(_ show: Show) async throws {
        guard mail.isEnabled else { return }
        try await store.enqueue(
            Self.afterKind, payload: "{\"show\":\"\(show.id.uuidString)\"}", uniqueKey: "after:\(show.id)")
    }

    struct NoticePayload: Codable {
        var show: UUID
        var kind: AudienceMail.Notice
        var sequence: Int
    }

    /// Tells confirmed registrants that a show moved, was cancelled or did not happen, once per change.
    func notify(_ kind: AudienceMail.Notice, _ show: Show) async throws {
        guard mail.isEnabled else { return }
        let payload = NoticePayload(show: show.id, kind: kind, sequence: show.sequence)
        try await store.enqueue(
            Self.noticeKind, payload: String(decoding: try JSONEncoder().encode(payload), as: UTF8.self),
            uniqueKey: "notice:\(kind.rawValue):\(show.id):\(show.sequence)")
    }
    static let leads: [TimeInterval] = [24 * 3600, 15 * 60]

    struct ReminderPayload: Codable {
        var registration: UUID
        var start: Int
        var lead: Int
    }

    /// Reminders of one confirmed registration for the show's current start (those already past are skipped).
    func scheduleReminders(_ registration: Registration, show: Show) async throws {
        guard mail.isEnabled, show.status == .scheduled, let start = show.scheduledStart else { return }
        let epoch = Int(start.timeIntervalSince1970)
        for lead in Self.leads where start.addingTimeInterval(-lead) > clock() {
            let payload = ReminderPayload(registration: registration.id, start: epoch, lead: Int(lead))
            try await store.enqueue(
                Self.reminderKind, payload: String(decoding: try JSONEncoder().encode(payload), as: UTF8.self),
                brandID: registration.brandID, runAt: start.addingTimeInterval(-lead),
                uniqueKey: "reminder:\(registration.id):\(Int(lead)):\(epoch)")
        }
    }

    /// After a reschedule: new reminders for every confirmed registration.
    func rescheduleReminders(_ show: Show) async throws {
        for registration in try await store.confirmedRegistrations(showID: show.id) {
            try await scheduleReminders(registration, show: show)
        }
    }

    /// When a show goes live: one "we are live" e-mail per confirmed registration, once.
    func announceLive(_ show: Show) async throws {
        guard mail.isEnabled else { return }
        try await store.enqueue(
            Self.liveKind, payload: "{\"show\":\"\(show.id.uuidString)\"}", uniqueKey: "live:\(show.id)")
    }

    var handlers: [String: JobHandler] {
        [
            Self.reminderKind: { job in
                let payload = try JSONDecoder().decode(ReminderPayload.self, from: Data(job.payload.utf8))
                guard let registration = try await store.registration(payload.registration),
                    registration.status == .confirmed,
                    let (show, brand) = try await store.showForJob(registration.showID), show.status == .scheduled,
                    let start = show.scheduledStart, Int(start.timeIntervalSince1970) == payload.start
                else { return }  // Unsubscribed, moved or cancelled since: nothing to send.
                let message = AudienceMail.reminder(
                    registration, show: show, brand: brand, base: base, minutes: payload.lead / 60)
                try await mail.send(
                    message, brandID: brand.id,
                    uniqueKey: "mail:reminder:\(registration.id):\(payload.lead):\(payload.start)")
            },
            Self.noticeKind: { job in
                let payload = try JSONDecoder().decode(NoticePayload.self, from: Data(job.payload.utf8))
                guard let (show, brand) = try await store.showForJob(payload.show) else { return }
                let calendar = PublicShowRoutes.calendarText(brand: brand, shows: [show])
                for registration in try await store.confirmedRegistrations(showID: show.id) {
                    try await mail.send(
                        AudienceMail.notice(
                            payload.kind, registration, show: show, brand: brand, base: base, calendar: calendar),
                        brandID: brand.id,
                        uniqueKey:
                            "mail:notice:\(payload.kind.rawValue):\(show.id):\(payload.sequence):\(registration.id)")
                }
            },
            Self.afterKind: { job in
                struct Payload: Decodable { var show: UUID }
                let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
                guard let (show, brand) = try await store.showForJob(payload.show), show.status == .ended else {
                    return
                }
                for registration in try await store.confirmedRegistrations(showID: show.id) {
                    let token = try await store.surveyToken(for: registration)
                    try await mail.send(
                        AudienceMail.after(
                            registration, show: show, brand: brand, base: base,
                            survey: "\(base)/api/public/feedback/\(token)", replay: hasReplayVideo(show)),
                        brandID: brand.id, uniqueKey: "mail:after:\(show.id):\(registration.id)")
                }
            },
            Self.liveKind: { job in
                struct Payload: Decodable { var show: UUID }
                let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
                guard let (show, brand) = try await store.showForJob(payload.show), show.status == .live else { return }
                for registration in try await store.confirmedRegistrations(showID: show.id) {
                    try await mail.send(
                        AudienceMail.live(registration, show: show, brand: brand, base: base), brandID: brand.id,
                        uniqueKey: "mail:live:\(show.id):\(registration.id)")
                }
            },
        ]
    }
}
