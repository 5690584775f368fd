import Foundation
import Testing

@testable import VitrineDomain

@Suite struct ShowLifecycleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func show(_ status: ShowStatus, start: TimeInterval? = 3600, autoPublish: Bool = true) -> Show {
        Show(
            id: UUID(), seriesId: nil, title: "Jeudi beauté", description: "", coverUrl: nil, language: "fr",
            scheduledStart: start.map { now.addingTimeInterval($0) }, durationMinutes: 60, format: .public,
            accessCode: nil, orientation: .vertical, status: status, autoPublishReplay: autoPublish,
            replayPublished: false, hosts: [], lineup: [], streamKeyHint: "", detached: false, wentLiveAt: nil,
            endedAt: nil, cancelledAt: nil, createdAt: now, updatedAt: now)
    }

    @Test func theWholeLifeOfAShow() throws {
        var current = show(.draft)
        current = try ShowLifecycle.apply(.scheduled, to: current, at: now)
        #expect(current.status == .scheduled)
        current = try ShowLifecycle.apply(.live, to: current, at: now.addingTimeInterval(3600))
        #expect(current.status == .live && current.wentLiveAt == now.addingTimeInterval(3600))
        current = try ShowLifecycle.apply(.ended, to: current, at: now.addingTimeInterval(7200))
        #expect(current.status == .ended && current.replayPublished, "auto-publish is on by default")
        current = try ShowLifecycle.apply(.replayUnpublished, to: current, at: now.addingTimeInterval(7300))
        #expect(!current.replayPublished)
    }

    @Test func replayStaysUnpublishedWhenAutoPublishIsOff() throws {
        let ended = try ShowLifecycle.apply(.ended, to: show(.live, autoPublish: false), at: now)
        #expect(!ended.replayPublished)
    }

    @Test(arguments: [
        (ShowStatus.draft, ShowEvent.live), (.ended, .live), (.ended, .scheduled), (.live, .scheduled),
        (.cancelled, .scheduled), (.live, .cancelled), (.ended, .cancelled), (.scheduled, .ended),
        (.draft, .replayPublished), (.missed, .live),
    ])
    func nothingGoesBackOrSkipsAStep(status: ShowStatus, event: ShowEvent) {
        #expect(throws: DomainError.self) { try ShowLifecycle.apply(event, to: show(status), at: now) }
    }

    @Test func schedulingNeedsAFutureStart() {
        #expect(throws: DomainError.self) { try ShowLifecycle.apply(.scheduled, to: show(.draft, start: nil), at: now) }
        #expect(throws: DomainError.self) { try ShowLifecycle.apply(.scheduled, to: show(.draft, start: -60), at: now) }
    }

    @Test func aShowIsMissedOnlyHalfAnHourAfterItsStart() throws {
        #expect(throws: DomainError.self) {
            try ShowLifecycle.apply(.missed, to: show(.scheduled, start: -600), at: now)
        }
        #expect(try ShowLifecycle.apply(.missed, to: show(.scheduled, start: -1800), at: now).status == .missed)
    }

    @Test func overlappingShows() {
        let a = show(.scheduled, start: 0)
        #expect(ShowRules.overlaps(a, show(.scheduled, start: 1800)))
        #expect(!ShowRules.overlaps(a, show(.scheduled, start: 3600)), "back to back is fine")
    }
}
