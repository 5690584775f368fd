import Foundation
import Logging
import NIOCore

/// Where the ingest writes and which ffmpeg it runs.
public struct IngestSettings: Sendable {
    /// One folder per show below this one: segments, init segments and playlists.
    public var hlsDirectory: String
    /// How long a show waits for its encoder to come back before it ends.
    public var grace: Duration
    public var ffmpeg: String

    public init(hlsDirectory: String, grace: Duration = .seconds(60), ffmpeg: String = "ffmpeg") {
        self.hlsDirectory = hlsDirectory
        self.grace = grace
        self.ffmpeg = ffmpeg
    }
}

/// The video of one show: it takes the publisher's messages, keeps one media timeline across
/// reconnects and packager restarts, runs the packager, and writes the playlists:
/// `preview.m3u8` (everything, for the studio), and once the show is live `live.m3u8` and
/// `event.m3u8` (from the first segment at or after "Go live"; the latter is the replay).
public actor LiveStream {
    public nonisolated let showID: UUID
    public nonisolated let directory: String
    let settings: IngestSettings
    let logger: Logger
    let clock: @Sendable () -> Date

    struct Run: Codable {
        var index: Int
        var wallStart: Date
        /// Media time (seconds) of the run's first frame.
        var mediaStart: Double
        var known = 0
        var open = true
    }

    var segments: [Segment] = []
    var runs: [Run] = []
    var packager: Packager?
    var publicFrom: Date?
    var ended = false
    var inputOpen = false
    var connectionBase: UInt32?
    var connectionOffset: Int64 = 0
    var lastMediaMs: Int64 = -1
    var videoHeader: ByteBuffer?
    var audioHeader: ByteBuffer?
    var metadata: ByteBuffer?
    var waitingForKeyframe = true
    var audioWithoutVideo = 0
    var sawVideo = false
    var pollTask: Task<Void, Never>?
    /// When the newest video frame arrived, and its media time (milliseconds).
    public private(set) var lastFrame: (at: Date, media: Int64)?
    /// What arrived in the last seconds, for the stream's health: (arrival, bytes, kind).
    var recent: [(at: ContinuousClock.Instant, bytes: Int, kind: UInt8)] = []
    /// Media times (ms) of the latest keyframes.
    var keyframes: [Int64] = []
    public private(set) var packagerRestarts = 0
    var connectedAt = ContinuousClock.now
    /// The publisher is the browser studio (WebM chunks), not an RTMP encoder.
    var browserInput = false

    struct Simulcast {
        var target: SimulcastTarget
        var process: Packager?
        var status: SimulcastStatus
        var retryAt: ContinuousClock.Instant?
        var generation = 0
    }
    var simulcasts: [Simulcast] = []

    /// Lower renditions (heights) transcoded beside the source, each in its folder `rHEIGHT/`,
    /// with runs numbered as the source's so that their segments line up.
    var ladder: [Int] = []
    var renditionPackagers: [Int: Packager] = [:]
    var renditionSegments: [Int: [Segment]] = [:]
    var renditionKnown: [Int: [Int: Int]] = [:]
    /// When the current run started or last produced a segment: a packager silent for too long
    /// while frames keep coming is hung, and is killed (the next keyframe starts a new run).
    var lastProgress = ContinuousClock.now
    /// Segments that came out later than their own length after the one before (the packager or
    /// the input fell behind): the viewers at the live edge stall.
    public private(set) var lateSegments = 0
    var lastSegmentAt: ContinuousClock.Instant?
    static let hungAfter: Duration = .seconds(15)

    init(showID: UUID, settings: IngestSettings, logger: Logger, clock: @escaping @Sendable () -> Date) throws {
        self.showID = showID
        self.settings = settings
        var logger = logger
        logger[metadataKey: "show"] = "\(showID)"
        self.logger = logger
        self.clock = clock
        directory = "\(settings.hlsDirectory)/\(showID.uuidString.lowercased())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        (runs, segments, ended) = Self.load(directory)
        if let last = segments.last { lastMediaMs = Int64((last.mediaTime + last.duration) * 1000) }
    }

    /// After a server restart: the runs and segments already on disk, so a reconnecting encoder
    /// continues the same playlists and numbering.
    static func load(_ directory: String) -> ([Run], [Segment], Bool) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let indexes = names.compactMap { name -> Int? in
            guard name.hasPrefix("run-"), name.hasSuffix(".json") else { return nil }
            return Int(name.dropFirst(4).dropLast(5))
        }.sorted()
        var runs: [Run] = []
        var segments: [Segment] = []
        for index in indexes {
            guard let data = FileManager.default.contents(atPath: "\(directory)/run-\(index).json"),
                var run = try? JSONDecoder().decode(Run.self, from: data)
            else { continue }
            let (count, found) = newSegments(of: run, directory: directory)
            run.known = count
            run.open = false
            runs.append(run)
            segments += found
        }
        return (runs, segments, FileManager.default.fileExists(atPath: "\(directory)/ended"))
    }

    /// The segments of a run that ffmpeg listed beyond the `known` first ones, and how many it lists.
    static func newSegments(of run: Run, directory: String) -> (Int, [Segment]) {
        guard let data = FileManager.default.contents(atPath: "\(directory)/ffmpeg-\(run.index).m3u8") else {
            return (run.known, [])
        }
        let entries = Playlist.parse(String(decoding: data, as: UTF8.self))
        guard entries.count > run.known else { return (run.known, []) }
        var mediaTime = run.mediaStart + entries.prefix(run.known).reduce(0) { $0 + $1.duration }
        var found: [Segment] = []
        for entry in entries.dropFirst(run.known) {
            found.append(
                Segment(
                    run: run.index, uri: entry.uri, initURI: "init-\(run.index).mp4", duration: entry.duration,
                    programDate: run.wallStart.addingTimeInterval(mediaTime - run.mediaStart), mediaTime: mediaTime))
            mediaTime += entry.duration
        }
        return (entries.count, found)
    }

    // MARK: Simulcast

    /// The destinations to stream to while the encoder is connected (given at each connection).
    func setSimulcast(_ targets: [SimulcastTarget]) {
        stopSimulcasts()
        simulcasts = targets.map {
            Simulcast(
                target: $0, process: nil,
                status: SimulcastStatus(id: $0.id, name: $0.name, state: .waiting, failures: 0, error: nil))
        }
    }

    func startSimulcast(_ index: Int, format: Packager.Input) async -> Packager? {
        simulcasts[index].generation += 1
        let generation = simulcasts[index].generation
        let id = simulcasts[index].target.id
        do {
            let process = try Packager(
                run: -1, directory: directory, ffmpeg: settings.ffmpeg, format: format,
                output: .rtmp(simulcasts[index].target.url), logger: logger,
                onExit: { [weak self] status in
                    guard let self else { return }
                    Task { await self.simulcastExited(id: id, generation: generation, status: status) }
                })
            simulcasts[index].process = process
            simulcasts[index].status.state = .streaming
            simulcasts[index].status.error = nil
            logger.info("simulcast started", metadata: ["destination": "\(simulcasts[index].target.name)"])
            return process
        } catch {
            simulcasts[index].status.state = .retrying
            simulcasts[index].status.error = "ffmpeg could not start"
            return nil
        }
    }

    func simulcastExited(id: UUID, generation: Int, status: Int32) {
        guard let index = simulcasts.firstIndex(where: { $0.target.id == id }),
            simulcasts[index].generation == generation
        else { return }
        simulcasts[index].process = nil
        guard inputOpen && !ended else {
            simulcasts[index].status.state = .stopped
            return
        }
        simulcasts[index].status.failures += 1
        simulcasts[index].status.state = browserInput ? .stopped : .retrying
        simulcasts[index].status.error = "the destination refused or dropped the stream (ffmpeg status \(status))"
        let pause = min(30, 1 << min(simulcasts[index].status.failures, 5))
        simulcasts[index].retryAt = .now + .seconds(pause)
        logger.warning(
            "simulcast stopped", metadata: ["destination": "\(simulcasts[index].target.name)", "retryIn": "\(pause)s"])
    }

    /// RTMP input: each destination starts (again) at a keyframe, with the stream's headers first.
    func feedSimulcasts(_ type: UInt8, _ media: Int64, _ payload: ByteBuffer, keyframe: Bool) async {
        for index in simulcasts.indices {
            var process = simulcasts[index].process
            if process == nil {
                guard keyframe, simulcasts[index].retryAt.map({ ContinuousClock.now >= $0 }) ?? true else { continue }
                process = await startSimulcast(index, format: .flv)
                guard let process else { continue }
                await process.write(FLV.header)
                for (kind, header) in [
                    (RTMPMessage.dataAMF0, metadata), (RTMPMessage.video, videoHeader),
                    (RTMPMessage.audio, audioHeader),
                ] {
                    if let header { await process.write(Self.tag(kind, media, header)) }
                }
            }
            await process?.write(Self.tag(type, media, payload))
        }
    }

    static func tag(_ type: UInt8, _ media: Int64, _ payload: ByteBuffer) -> ByteBuffer {
        var tag = ByteBuffer()
        FLV.tag(type: type, timestamp: UInt32(truncatingIfNeeded: media), payload: payload, into: &tag)
        return tag
    }

    func stopSimulcasts() {
        for index in simulcasts.indices {
            simulcasts[index].generation += 1
            simulcasts[index].process?.closeInput()
            simulcasts[index].process = nil
            simulcasts[index].status.state = .stopped
        }
    }

    // MARK: Publisher

    /// A publisher connected (the first, or one coming back): its timestamps continue the timeline.
    func startConnection(renditions: [Int] = []) {
        ladder = renditions
        lastSegmentAt = nil
        inputOpen = true
        browserInput = false
        connectedAt = .now
        connectionBase = nil
        connectionOffset = lastMediaMs < 0 ? 0 : lastMediaMs + 40
        waitingForKeyframe = true
        audioWithoutVideo = 0
        startPolling()
    }

    /// Takes one audio, video or metadata message; throws for a codec HLS cannot carry as is.
    func write(_ message: RTMPMessage) async throws(RTMPError) {
        let base = connectionBase ?? message.timestamp
        if connectionBase == nil { connectionBase = base }
        let media = Int64(Int32(bitPattern: message.timestamp &- base)) + connectionOffset
        guard media >= 0 else { return }
        let payload = message.payload
        note(
            message.typeID, bytes: payload.readableBytes,
            keyframe: message.typeID == RTMPMessage.video
                && FLV.isKeyframe(payload) && !FLV.isSequenceHeader(payload), media: media)
        switch message.typeID {
        case RTMPMessage.video:
            guard let codec = FLV.videoCodec(payload) else { return }
            guard codec == .h264 else {
                throw RTMPError(
                    "the video is not H.264: choose x264 or another H.264 encoder in the encoder's settings")
            }
            sawVideo = true
            if FLV.isSequenceHeader(payload) {
                videoHeader = payload
                if packager != nil && !waitingForKeyframe { await send(message.typeID, media, payload) }
                return
            }
            lastMediaMs = max(lastMediaMs, media)
            lastFrame = (clock(), media)
            if waitingForKeyframe {
                guard FLV.isKeyframe(payload), videoHeader != nil else { return }
                waitingForKeyframe = false
                if packager == nil { await startRun(media: media, input: .flv) }
                if let metadata { await send(RTMPMessage.dataAMF0, media, metadata) }
                if let videoHeader { await send(RTMPMessage.video, media, videoHeader) }
                if let audioHeader { await send(RTMPMessage.audio, media, audioHeader) }
            }
            await send(message.typeID, media, payload)
            await feedSimulcasts(message.typeID, media, payload, keyframe: FLV.isKeyframe(payload))
        case RTMPMessage.audio:
            guard let codec = FLV.audioCodec(payload) else { return }
            guard codec == .aac else {
                throw RTMPError("the audio is not AAC: choose AAC in the encoder's audio settings")
            }
            if payload.getInteger(at: payload.readerIndex + 1, as: UInt8.self) == 0 {
                audioHeader = payload
                return
            }
            if !sawVideo {
                audioWithoutVideo += 1
                // About five seconds of AAC frames and still no picture: a live show needs video.
                if audioWithoutVideo > 250 { throw RTMPError("the stream has no video: a live show needs a picture") }
            }
            guard !waitingForKeyframe else { return }
            await send(message.typeID, media, payload)
            await feedSimulcasts(message.typeID, media, payload, keyframe: false)
        case RTMPMessage.dataAMF0:
            metadata = payload
        default:
            return
        }
    }

    func send(_ type: UInt8, _ media: Int64, _ payload: ByteBuffer) async {
        guard let packager else { return }
        let tag = Self.tag(type, media, payload)
        await packager.write(tag)
        for rendition in renditionPackagers.values { await rendition.write(tag) }
    }

    func startRun(media: Int64, input: Packager.Input) async {
        let index = (runs.map(\.index).max() ?? -1) + 1
        let run = Run(index: index, wallStart: clock(), mediaStart: Double(media) / 1000)
        runs.append(run)
        if let data = try? JSONEncoder().encode(run) {
            FileManager.default.createFile(atPath: "\(directory)/run-\(index).json", contents: data)
        }
        do {
            let packager = try Packager(
                run: index, directory: directory, ffmpeg: settings.ffmpeg, format: input, logger: logger,
                onExit: { [weak self] status in
                    guard let self else { return }
                    Task { await self.packagerExited(run: index, status: status) }
                })
            self.packager = packager
            lastProgress = .now
            logger.info("packager started", metadata: ["run": "\(index)", "pid": "\(packager.processIdentifier)"])
            if input == .flv {
                await packager.write(FLV.header)
                for height in ladder { await startRendition(height, run: index) }
            }
        } catch {
            logger.error("ffmpeg could not start", metadata: ["error": "\(error)"])
        }
    }

    func startRendition(_ height: Int, run index: Int) async {
        let folder = "\(directory)/r\(height)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let packager = try Packager(
                run: index, directory: folder, ffmpeg: settings.ffmpeg, format: .flvRendition(height: height),
                logger: logger, onExit: { _ in })
            renditionPackagers[height] = packager
            await packager.write(FLV.header)
        } catch {
            logger.error("rendition could not start", metadata: ["height": "\(height)"])
        }
    }

    func packagerExited(run index: Int, status: Int32) {
        guard let packager, packager.run == index else { return }
        self.packager = nil
        if inputOpen && !ended {
            // ffmpeg died under a live input: the next keyframe starts a new run, after a discontinuity.
            logger.error(
                "packager exited while live: restarting", metadata: ["run": "\(index)", "status": "\(status)"])
            waitingForKeyframe = true
        }
        pollAll()
    }

    /// The browser studio connected: its WebM stream starts a new run at once (a WebM stream
    /// cannot be joined in the middle), offset to continue the show's media timeline.
    func startBrowserConnection(copyVideo: Bool) async {
        lastSegmentAt = nil
        inputOpen = true
        browserInput = true
        connectedAt = .now
        connectionOffset = lastMediaMs < 0 ? 0 : lastMediaMs + 40
        startPolling()
        await startRun(
            media: connectionOffset, input: .webm(copyVideo: copyVideo, offset: Double(connectionOffset) / 1000))
    }

    /// One MediaRecorder chunk; false when the packager is gone (the studio then reconnects).
    public func writeBrowserChunk(_ chunk: ByteBuffer) async -> Bool {
        guard let packager else { return false }
        let elapsed = ContinuousClock.now - connectedAt
        let media =
            connectionOffset + elapsed.components.seconds * 1000 + elapsed.components.attoseconds
            / 1_000_000_000_000_000
        note(RTMPMessage.video, bytes: chunk.readableBytes, keyframe: false, media: media)
        lastMediaMs = max(lastMediaMs, media)
        lastFrame = (clock(), media)
        for simulcast in simulcasts { await simulcast.process?.write(chunk) }
        return await packager.write(chunk)
    }

    /// The publisher left: ffmpeg's input ends, it writes its last segment and exits.
    func inputEnded() async {
        inputOpen = false
        stopSimulcasts()
        if let packager {
            packager.closeInput()
            _ = await packager.waitForExit(timeout: .seconds(10))
            if packager.process.isRunning { packager.kill() }
        }
        for rendition in renditionPackagers.values {
            rendition.closeInput()
            _ = await rendition.waitForExit(timeout: .seconds(10))
            if rendition.process.isRunning { rendition.kill() }
        }
        renditionPackagers.removeAll()
        packager = nil
        pollAll()
    }

    /// The show went live at `date`: the public playlists start with the first segment from then.
    func goLive(at date: Date) {
        publicFrom = date
        writePlaylists()
    }

    /// The show ended: closes the playlists (ENDLIST) once the packager has written its last segment.
    func finish() async {
        await inputEnded()
        ended = true
        FileManager.default.createFile(atPath: "\(directory)/ended", contents: Data())
        pollTask?.cancel()
        pollTask = nil
        for index in runs.indices { runs[index].open = false }
        writePlaylists()
    }

    /// Stops everything at server shutdown, without closing the playlists (the show may continue).
    func shutdown() async {
        await inputEnded()
        pollTask?.cancel()
    }

    // MARK: Playlists

    func startPolling() {
        guard pollTask == nil else { return }
        pollTask = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                await self?.pollAll()
            }
        }
    }

    func pollAll() {
        var changed = false
        // The runs whose playlists may still grow: the open ones, and the newest (a rendition's
        // ffmpeg may write its last segment after the source's has exited).
        let growing = runs.indices.filter { runs[$0].open || $0 == runs.count - 1 }
        for index in growing where runs[index].open {
            changed = poll(runIndex: index) || changed
            // Once its ffmpeg is gone, that read was the last: the run's playlist will not change.
            if packager?.run != runs[index].index { runs[index].open = false }
        }
        for height in ladder {
            for index in growing {
                var run = runs[index]
                run.known = renditionKnown[height]?[run.index] ?? 0
                let (count, found) = Self.newSegments(of: run, directory: "\(directory)/r\(height)")
                renditionKnown[height, default: [:]][run.index] = count
                if !found.isEmpty {
                    renditionSegments[height, default: []] += found
                    changed = true
                }
            }
        }
        if changed {
            let now = ContinuousClock.now
            if let previous = lastSegmentAt, let newest = segments.last, inputOpen,
                now - previous > .milliseconds(Int(newest.duration * 1000) + 2000)
            {
                lateSegments += 1
            }
            lastSegmentAt = now
            lastProgress = now
            writePlaylists()
        }
        if let packager, inputOpen, ContinuousClock.now - lastProgress > Self.hungAfter,
            let lastFrame, Date().timeIntervalSince(lastFrame.at) < 2
        {
            logger.error(
                "packager hung (no segment for 15 s while frames arrive): killing it",
                metadata: ["run": "\(packager.run)"])
            lastProgress = .now
            packager.forceKill()
        }
    }

    /// Reads the new segments of one run from ffmpeg's own playlist; true when there were some.
    @discardableResult
    func poll(runIndex: Int) -> Bool {
        let (count, found) = Self.newSegments(of: runs[runIndex], directory: directory)
        runs[runIndex].known = count
        segments += found
        return !found.isEmpty
    }

    func writePlaylists() {
        let finished = ended && packager == nil
        write("preview.m3u8", Playlist.live(segments, ended: finished))
        guard let publicFrom else { return }
        let visible = Playlist.from(publicFrom, segments)
        guard !visible.isEmpty || finished else { return }
        write("event.m3u8", Playlist.event(visible, ended: finished))
        write("live.m3u8", Playlist.live(visible, ended: finished))
        var variants: [(String, Int)] = []
        for height in ladder {
            let shown = Playlist.from(publicFrom, renditionSegments[height] ?? [])
            guard !shown.isEmpty else { continue }
            write("r\(height)/event.m3u8", Playlist.event(shown, ended: finished))
            write("r\(height)/live.m3u8", Playlist.live(shown, ended: finished))
            variants.append(("r\(height)", (Packager.bitrate(height: height) + 96) * 1000))
        }
        guard !ladder.isEmpty else { return }
        let source = max(Int(health.bitrateKbps * 1000), 3_000_000)
        write("master.m3u8", Playlist.master([("", source)] + variants, playlist: "live.m3u8"))
        write("master-replay.m3u8", Playlist.master([("", source)] + variants, playlist: "event.m3u8"))
    }

    func write(_ name: String, _ text: String) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name)"), options: .atomic)
        } catch {
            logger.error("could not write a playlist", metadata: ["file": "\(name)"])
        }
    }

    func note(_ kind: UInt8, bytes: Int, keyframe: Bool, media: Int64) {
        let now = ContinuousClock.now
        recent.append((now, bytes, kind))
        if let first = recent.first, now - first.at > Self.healthWindow + .seconds(1) {
            recent.removeAll { now - $0.at > Self.healthWindow }
        }
        if keyframe {
            keyframes.append(media)
            if keyframes.count > 5 { keyframes.removeFirst(keyframes.count - 5) }
        }
    }

    static let healthWindow: Duration = .seconds(5)

    /// The stream's health over the last 5 seconds, for the studio and `/metrics`.
    public var health: StreamHealth {
        let now = ContinuousClock.now
        let window = recent.filter { now - $0.at <= Self.healthWindow }
        // Over the last 5 s, or since the stream started when that is more recent.
        let span = window.first.map { now - $0.at } ?? Self.healthWindow
        let seconds = max(1, Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18)
        let videoFrames = window.filter { $0.kind == RTMPMessage.video }.count
        let audioFrames = window.filter { $0.kind == RTMPMessage.audio }.count
        let bytes = window.reduce(0) { $0 + $1.bytes }
        let intervals = zip(keyframes.dropFirst(), keyframes).map { Double($0 - $1) / 1000 }
        let keyframeInterval = intervals.isEmpty ? nil : intervals.reduce(0, +) / Double(intervals.count)
        let recentSegments = segments.suffix(10)
        let longest = recentSegments.map(\.duration).max()
        var warnings: [String] = []
        if lateSegments > 0 && inputOpen {
            warnings.append(
                "\(lateSegments) segment(s) arrived late: the encoder's upload or this server falls behind (lower the bitrate)"
            )
        }
        if let keyframeInterval, keyframeInterval > 4 {
            warnings.append(
                "keyframe interval \(String(format: "%.1f", keyframeInterval)) s: set it to 1 s in the encoder (viewers wait that long for a picture, and the delay grows)"
            )
        } else if let longest, longest > 2.5 {
            warnings.append(
                "segments last \(String(format: "%.1f", longest)) s: set the encoder's keyframe interval to 1 s for a shorter delay"
            )
        }
        let settled = now - connectedAt > Self.healthWindow
        if inputOpen && settled && !browserInput && videoFrames > 0 && audioFrames == 0 {
            warnings.append("no audio: check the encoder's audio source")
        }
        if inputOpen && settled && videoFrames == 0 { warnings.append("no video received for 5 s") }
        let frameRate = browserInput ? 0 : Double(videoFrames) / seconds
        return StreamHealth(
            publishing: inputOpen, mediaTime: mediaTime, bitrateKbps: Double(bytes) * 8 / 1000 / seconds,
            frameRate: frameRate, keyframeInterval: browserInput ? nil : keyframeInterval,
            audio: browserInput || audioFrames > 0,
            segments: segments.count, longestSegment: longest, packagerRestarts: packagerRestarts,
            live: publicFrom != nil, ended: ended, warnings: warnings, simulcast: simulcasts.map(\.status),
            lateSegments: lateSegments)
    }

    /// Seconds of media time of the newest frame received (the `at` of events), if any.
    public var mediaTime: Double? { lastFrame.map { Double($0.media) / 1000 } }
    public var isPublishing: Bool { inputOpen }
    public var segmentCount: Int { segments.count }
}

/// How a show's stream is doing, as the studio shows it.
public struct StreamHealth: Sendable, Codable, Equatable {
    /// An encoder is connected.
    public var publishing: Bool
    /// Media time of the newest frame (seconds since the first frame of the show).
    public var mediaTime: Double?
    /// Audio and video received, over the last 5 seconds.
    public var bitrateKbps: Double
    public var frameRate: Double
    /// Seconds between the latest keyframes (the segment length, with copied video).
    public var keyframeInterval: Double?
    public var audio: Bool
    public var segments: Int
    /// The longest of the last 10 segments, in seconds.
    public var longestSegment: Double?
    /// Times ffmpeg died and was restarted during the show.
    public var packagerRestarts: Int
    /// The public playlists exist ("Go live" was given).
    public var live: Bool
    public var ended: Bool
    /// What the host should fix, in words.
    public var warnings: [String]
    /// Each simulcast destination's state.
    public var simulcast: [SimulcastStatus]
    /// Segments that came out more than 2 s later than expected (input or packager behind).
    public var lateSegments: Int

    public init(
        publishing: Bool, mediaTime: Double?, bitrateKbps: Double, frameRate: Double, keyframeInterval: Double?,
        audio: Bool, segments: Int, longestSegment: Double?, packagerRestarts: Int, live: Bool, ended: Bool,
        warnings: [String], simulcast: [SimulcastStatus] = [], lateSegments: Int = 0
    ) {
        self.simulcast = simulcast
        self.lateSegments = lateSegments
        self.publishing = publishing
        self.mediaTime = mediaTime
        self.bitrateKbps = bitrateKbps
        self.frameRate = frameRate
        self.keyframeInterval = keyframeInterval
        self.audio = audio
        self.segments = segments
        self.longestSegment = longestSegment
        self.packagerRestarts = packagerRestarts
        self.live = live
        self.ended = ended
        self.warnings = warnings
    }
}
