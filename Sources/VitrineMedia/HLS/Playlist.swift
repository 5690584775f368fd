import Foundation

/// One fMP4 segment of a live stream, as ffmpeg wrote it.
public struct Segment: Equatable, Sendable {
    /// The packager run that wrote it: a new run starts after a reconnect or a packager restart.
    public var run: Int
    public var uri: String
    public var initURI: String
    public var duration: Double
    /// Wall-clock time of its first frame (EXT-X-PROGRAM-DATE-TIME).
    public var programDate: Date
    /// Media time of its first frame: seconds since the first frame the ingest received.
    public var mediaTime: Double

    public init(run: Int, uri: String, initURI: String, duration: Double, programDate: Date, mediaTime: Double) {
        self.run = run
        self.uri = uri
        self.initURI = initURI
        self.duration = duration
        self.programDate = programDate
        self.mediaTime = mediaTime
    }
}

/// The playlists Vitrine writes itself from the segments of every packager run: an EVENT playlist
/// of the whole show (seekable while live, then the replay) and a short sliding window for viewers
/// at the live edge, with EXT-X-MAP and EXT-X-DISCONTINUITY wherever a run begins.
public enum Playlist {
    /// Segments in the live playlist: enough for a player to start 3 to 4 segments behind the edge.
    public static let liveWindow = 6

    /// The segments from the first one that starts at or after `date` ("Go live"; a quarter of a
    /// second early still counts, the clocks of the ingest and of the transition being apart).
    public static func from(_ date: Date, _ segments: [Segment]) -> [Segment] {
        let first = segments.firstIndex { $0.programDate >= date.addingTimeInterval(-0.25) } ?? segments.count
        return Array(segments[first...])
    }

    /// The target duration: the longest segment, rounded up (RFC 8216, 4.3.3.1), at least 1.
    public static func targetDuration(_ segments: [Segment]) -> Int {
        max(1, Int((segments.map(\.duration).max() ?? 1).rounded(.up)))
    }

    /// The EVENT playlist (`ended` adds ENDLIST: it is then the replay, as a VOD playlist would be).
    public static func event(_ segments: [Segment], ended: Bool) -> String {
        render(segments, window: segments[...], firstIndex: 0, discontinuitiesBefore: 0, event: true, ended: ended)
    }

    /// The sliding window: the last `liveWindow` segments, numbered as in the EVENT playlist.
    public static func live(_ segments: [Segment], ended: Bool) -> String {
        let start = max(0, segments.count - liveWindow)
        let window = segments[start...]
        var discontinuities = 0
        if start > 0 {
            for index in 1...start where segments[index].run != segments[index - 1].run { discontinuities += 1 }
        }
        return render(
            segments, window: window, firstIndex: start, discontinuitiesBefore: discontinuities, event: false,
            ended: ended)
    }

    static func render(
        _ all: [Segment], window: ArraySlice<Segment>, firstIndex: Int, discontinuitiesBefore: Int, event: Bool,
        ended: Bool
    ) -> String {
        var lines = [
            "#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:\(targetDuration(all))",
            "#EXT-X-MEDIA-SEQUENCE:\(firstIndex)",
        ]
        if discontinuitiesBefore > 0 { lines.append("#EXT-X-DISCONTINUITY-SEQUENCE:\(discontinuitiesBefore)") }
        if event { lines.append("#EXT-X-PLAYLIST-TYPE:EVENT") }
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
        var previous: Segment?
        for segment in window {
            if let previous, previous.run != segment.run { lines.append("#EXT-X-DISCONTINUITY") }
            if previous?.initURI != segment.initURI { lines.append("#EXT-X-MAP:URI=\"\(segment.initURI)\"") }
            lines.append("#EXT-X-PROGRAM-DATE-TIME:\(dateText(segment.programDate))")
            lines.append("#EXTINF:\(String(format: "%.3f", segment.duration)),")
            lines.append(segment.uri)
            previous = segment
        }
        if ended { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func dateText(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)
        )
        .replacingOccurrences(of: "Z", with: "+00:00")
    }

    /// A master playlist: the source and its renditions (folder, bandwidth in bit/s), each pointing
    /// at its `playlist` (`live.m3u8` or `event.m3u8`).
    public static func master(_ variants: [(folder: String, bandwidth: Int)], playlist: String) -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
        for variant in variants {
            lines.append("#EXT-X-STREAM-INF:BANDWIDTH=\(variant.bandwidth)")
            lines.append(variant.folder.isEmpty ? playlist : "\(variant.folder)/\(playlist)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The segments of an ffmpeg HLS playlist: (duration, uri) in order.
    public static func parse(_ text: String) -> [(duration: Double, uri: String)] {
        var result: [(Double, String)] = []
        var pending: Double?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#EXTINF:") {
                let value = line.dropFirst(8).split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
                pending = Double(value)
            } else if !line.isEmpty, !line.hasPrefix("#"), let duration = pending {
                result.append((duration, line))
                pending = nil
            }
        }
        return result
    }
}
