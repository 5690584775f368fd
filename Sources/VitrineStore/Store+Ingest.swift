import FluentKit
import Foundation
import VitrineDomain

/// What the RTMP ingest needs to know about a stream key.
public enum StreamKeyLookup: Sendable, Equatable {
    case unknown
    /// The key's show cannot be streamed now (draft, ended, cancelled…, or no show of the series soon).
    case notStreamable(String)
    case show(brandID: UUID, showID: UUID, liveSince: Date?)
}

extension Store {
    /// How early before its start an encoder may connect to a show of a series (preview).
    public static let seriesPreviewWindow: TimeInterval = 12 * 3600

    /// The show an encoder publishing with `key` feeds: the show with that key, or, for a series'
    /// key, the series' live show, else its next scheduled show within 12 hours.
    public func showForStreamKey(_ key: String) async throws -> StreamKeyLookup {
        guard key.count <= 200, !key.isEmpty else { return .unknown }
        if let model = try await ShowModel.query(on: db).filter(\.$streamKey == key).first() {
            return Self.lookup(model)
        }
        guard let series = try await SeriesModel.query(on: db).filter(\.$streamKey == key).first() else {
            return .unknown
        }
        let shows = try await ShowModel.query(on: db).filter(\.$brandID == series.brandID)
            .filter(\.$seriesID == series.id!)
            .filter(\.$status ~~ [ShowStatus.live.rawValue, ShowStatus.scheduled.rawValue]).all()
        if let live = shows.first(where: { $0.status == ShowStatus.live.rawValue }) { return Self.lookup(live) }
        let now = self.now
        let next = shows.compactMap { model in model.scheduledStart.map { (model, $0) } }
            .filter { $0.1 > now.addingTimeInterval(-ShowLifecycle.missedAfter) }
            .min { $0.1 < $1.1 }
        guard let (model, start) = next, start.timeIntervalSince(now) <= Self.seriesPreviewWindow else {
            return .notStreamable("No show of this series starts within 12 hours.")
        }
        return Self.lookup(model)
    }

    static func lookup(_ model: ShowModel) -> StreamKeyLookup {
        switch ShowStatus(rawValue: model.status) {
        case .live: .show(brandID: model.brandID, showID: model.id!, liveSince: model.wentLiveAt)
        case .scheduled: .show(brandID: model.brandID, showID: model.id!, liveSince: nil)
        default: .notStreamable("This show is \(model.status): it cannot be streamed.")
        }
    }
}

extension Store {
    /// Every show that is live now, whatever its brand (after a restart, the ingest waits for their
    /// encoders to come back).
    public func liveShows() async throws -> [(id: UUID, since: Date?)] {
        try await ShowModel.query(on: db).filter(\.$status == ShowStatus.live.rawValue).all()
            .map { ($0.id!, $0.wentLiveAt) }
    }
}

/// What the HLS route needs to decide who may fetch a show's files: one row, no lineup.
public struct MediaAccess: Sendable, Equatable {
    public var brandID: UUID
    public var format: ShowFormat
    public var status: ShowStatus
    public var replayPublished: Bool

    /// Anyone may fetch the show's public files: live, or ended with its replay published.
    public var isWatchable: Bool { status == .live || (status == .ended && replayPublished) }
}

extension Store {
    /// Read on every playlist and segment request: a single row by primary key.
    public func mediaAccess(showID: UUID) async throws -> MediaAccess? {
        guard let model = try await ShowModel.find(showID, on: db),
            let status = ShowStatus(rawValue: model.status), let format = ShowFormat(rawValue: model.format)
        else { return nil }
        return MediaAccess(
            brandID: model.brandID, format: format, status: status, replayPublished: model.replayPublished)
    }
}
