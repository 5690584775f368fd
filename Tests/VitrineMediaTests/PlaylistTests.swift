import Foundation
import Testing

@testable import VitrineMedia

@Suite struct PlaylistTests {
    static func segments(_ runs: [Int]) -> [Segment] {
        var media = 0.0
        return runs.enumerated().map { index, run in
            defer { media += 1.5 }
            return Segment(
                run: run, uri: "seg-\(run)-\(index).m4s", initURI: "init-\(run).mp4", duration: index == 2 ? 2.2 : 1.5,
                programDate: Date(timeIntervalSince1970: 1_800_000_000 + media), mediaTime: media)
        }
    }

    @Test func theEventPlaylistHasEverySegmentAMapPerRunAndADiscontinuityBetweenRuns() {
        let text = Playlist.event(Self.segments([0, 0, 0, 1, 1]), ended: true)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("#EXT-X-PLAYLIST-TYPE:EVENT"))
        #expect(lines.contains("#EXT-X-TARGETDURATION:3"), "the longest segment, rounded up")
        #expect(
            lines.filter { $0.hasPrefix("#EXT-X-MAP") } == [
                "#EXT-X-MAP:URI=\"init-0.mp4\"", "#EXT-X-MAP:URI=\"init-1.mp4\"",
            ])
        #expect(lines.filter { $0 == "#EXT-X-DISCONTINUITY" }.count == 1)
        #expect(lines.last == "#EXT-X-ENDLIST")
        #expect(lines.contains("#EXT-X-PROGRAM-DATE-TIME:2027-01-15T08:00:00.000+00:00"))
        #expect(!Playlist.event(Self.segments([0]), ended: false).contains("ENDLIST"))
    }

    @Test func theLivePlaylistIsAShortWindowNumberedAsTheWholeShow() {
        let all = Self.segments([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        let lines = Playlist.live(all, ended: false).split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasSuffix(".m4s") } == all.suffix(6).map(\.uri))
        #expect(lines.contains("#EXT-X-MEDIA-SEQUENCE:4"))
        #expect(lines.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1"), "the run change before the window counts")
        #expect(lines.first { $0.hasPrefix("#EXT-X-MAP") } == "#EXT-X-MAP:URI=\"init-1.mp4\"")
        #expect(!lines.contains("#EXT-X-PLAYLIST-TYPE:EVENT"))
    }

    @Test func ffmpegsPlaylistIsParsed() {
        let text =
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"init-0.mp4\"\n#EXTINF:1.001000,\nseg-0-00000.m4s\n#EXTINF:0.967,\nseg-0-00001.m4s\n#EXTINF:1.0,\n"
        let parsed = Playlist.parse(text)
        #expect(parsed.map(\.uri) == ["seg-0-00000.m4s", "seg-0-00001.m4s"], "an entry without its URI yet waits")
        #expect(parsed.map(\.duration) == [1.001, 0.967])
    }
}
