import Foundation
import Logging

/// What the application decides about a publish request.
public enum PublishDecision: Sendable, Equatable {
    /// `liveSince` is when the show went live, nil while it is only scheduled (preview).
    case accept(showID: UUID, liveSince: Date?)
    /// `code` is the RTMP status the encoder shows (NetStream.Publish.BadName…).
    case refuse(code: String, description: String)
}

/// What the media side asks of the application (stream keys and shows live in the database).
public protocol LiveShows: Sendable {
    func authorize(streamKey: String) async -> PublishDecision
    /// The encoder did not come back within the grace period: the application ends the show.
    func publisherGone(showID: UUID) async
    /// Where else the show streams while live (simulcast).
    func simulcastTargets(showID: UUID) async -> [SimulcastTarget]
    /// The lower renditions (heights) to transcode for the show; empty for none.
    func renditions(showID: UUID) async -> [Int]
}

/// The shows being streamed: at most one publisher per show, the grace period after a drop, and
/// the show's `LiveStream`.
public actor LiveHub {
    struct Publisher {
        var id: UUID
        var cut: @Sendable () -> Void
    }

    public nonisolated let settings: IngestSettings
    let logger: Logger
    let shows: any LiveShows
    let clock: @Sendable () -> Date
    var streams: [UUID: LiveStream] = [:]
    var publishers: [UUID: Publisher] = [:]
    var graceTasks: [UUID: Task<Void, Never>] = [:]

    public init(
        settings: IngestSettings, shows: any LiveShows, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.shows = shows
        self.logger = logger
        self.clock = clock
    }

    public func stream(_ showID: UUID) throws -> LiveStream {
        if let stream = streams[showID] { return stream }
        let stream = try LiveStream(showID: showID, settings: settings, logger: logger, clock: clock)
        streams[showID] = stream
        return stream
    }

    public enum Outcome: Sendable {
        case accepted(showID: UUID, publisher: UUID, stream: LiveStream)
        case refused(code: String, description: String)
    }

    /// A publish request with `key`; `cut` closes that encoder's connection (rotated key, show ended).
    public func publish(key: String, cut: @escaping @Sendable () -> Void) async -> Outcome {
        let decision = await shows.authorize(streamKey: key)
        guard case .accept(let showID, let liveSince) = decision else {
            if case .refuse(let code, let description) = decision {
                return .refused(code: code, description: description)
            }
            return .refused(code: "NetStream.Publish.BadName", description: "Refused.")
        }
        let ladder = await shows.renditions(showID: showID)
        return await attach(showID: showID, liveSince: liveSince, cut: cut) { stream in
            await stream.startConnection(renditions: ladder)
        }
    }

    /// The browser studio publishes to a show the application already checked (the presenter is
    /// logged in and allowed): same one-publisher rule, a WebM stream instead of RTMP.
    public func publishBrowser(showID: UUID, liveSince: Date?, copyVideo: Bool, cut: @escaping @Sendable () -> Void)
        async -> Outcome
    {
        await attach(showID: showID, liveSince: liveSince, cut: cut) { stream in
            await stream.startBrowserConnection(copyVideo: copyVideo)
        }
    }

    func attach(
        showID: UUID, liveSince: Date?, cut: @escaping @Sendable () -> Void,
        start: (LiveStream) async -> Void
    ) async -> Outcome {
        guard publishers[showID] == nil else {
            logger.warning("second publisher refused", metadata: ["show": "\(showID)"])
            return .refused(
                code: "NetStream.Publish.BadName", description: "Another encoder is already publishing this show.")
        }
        let stream: LiveStream
        do {
            stream = try self.stream(showID)
        } catch {
            logger.error("cannot prepare the show's folder", metadata: ["show": "\(showID)"])
            return .refused(code: "NetStream.Publish.Failed", description: "The server cannot store the stream.")
        }
        let id = UUID()
        publishers[showID] = Publisher(id: id, cut: cut)
        graceTasks.removeValue(forKey: showID)?.cancel()
        await stream.setSimulcast(await shows.simulcastTargets(showID: showID))
        await start(stream)
        if let liveSince { await stream.goLive(at: liveSince) }
        logger.info("publisher connected", metadata: ["show": "\(showID)"])
        return .accepted(showID: showID, publisher: id, stream: stream)
    }

    /// After a restart: live shows whose encoder is not connected get the same grace period as a
    /// dropped one; those whose encoder does not come back end (and their replay is closed).
    public func adoptLiveShows(_ shows: [(id: UUID, since: Date?)]) async {
        for (showID, since) in shows where publishers[showID] == nil && graceTasks[showID] == nil {
            if let since, let stream = try? stream(showID) { await stream.goLive(at: since) }
            startGrace(showID)
        }
    }

    func startGrace(_ showID: UUID) {
        let grace = settings.grace
        graceTasks[showID] = Task { [weak self] in
            try? await Task.sleep(for: grace)
            guard !Task.isCancelled, let self else { return }
            await self.graceEnded(showID)
        }
    }

    /// The publisher's connection ended; the show waits `grace` for it to come back.
    public func publisherLeft(showID: UUID, publisher: UUID) async {
        guard publishers[showID]?.id == publisher else { return }
        publishers[showID] = nil
        logger.info("publisher disconnected", metadata: ["show": "\(showID)"])
        if let stream = streams[showID] { await stream.inputEnded() }
        startGrace(showID)
    }

    func graceEnded(_ showID: UUID) async {
        guard publishers[showID] == nil, graceTasks.removeValue(forKey: showID) != nil else { return }
        logger.notice("publisher did not come back: ending the show", metadata: ["show": "\(showID)"])
        await shows.publisherGone(showID: showID)
        await end(showID: showID)
    }

    /// The show went live: its public playlists start now.
    public func goLive(showID: UUID, at date: Date) async {
        guard let stream = try? stream(showID) else { return }
        await stream.goLive(at: date)
    }

    /// The show ended: the encoder is cut off and the playlists closed (the replay).
    public func end(showID: UUID) async {
        graceTasks.removeValue(forKey: showID)?.cancel()
        publishers.removeValue(forKey: showID)?.cut()
        guard let stream = try? stream(showID) else { return }
        await stream.finish()
    }

    /// The stream key changed: whoever publishes with the old one is cut off (and may reconnect
    /// with the new key within the grace period).
    public func cutPublisher(showID: UUID) {
        publishers[showID]?.cut()
    }

    public func isPublishing(_ showID: UUID) -> Bool { publishers[showID] != nil }

    /// The health of a show's stream; nil when nothing was ever streamed for it.
    public func health(_ showID: UUID) async -> StreamHealth? {
        if let stream = streams[showID] { return await stream.health }
        let folder = "\(settings.hlsDirectory)/\(showID.uuidString.lowercased())"
        guard FileManager.default.fileExists(atPath: folder), let stream = try? stream(showID) else { return nil }
        return await stream.health
    }

    /// The health of every stream with an encoder connected, for `/metrics`.
    public func publishingHealth() async -> [(UUID, StreamHealth)] {
        var result: [(UUID, StreamHealth)] = []
        for showID in publishers.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
            if let stream = streams[showID] { result.append((showID, await stream.health)) }
        }
        return result
    }

    /// Media time of the newest frame of a show (the `at` of realtime events), if it is streaming.
    public func mediaTime(_ showID: UUID) async -> Double? {
        guard let stream = streams[showID] else { return nil }
        return await stream.mediaTime
    }

    /// Server shutdown: every encoder is cut off and every ffmpeg ends (none is left behind).
    public func shutdown() async {
        for task in graceTasks.values { task.cancel() }
        graceTasks.removeAll()
        for publisher in publishers.values { publisher.cut() }
        publishers.removeAll()
        for stream in streams.values { await stream.shutdown() }
    }
}
