import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Logging
import NIOCore

/// One ffmpeg process that reads FLV on its standard input and writes fMP4 HLS segments, copying
/// H.264 and AAC. It exits by itself when its input ends, so a server killed outright leaves no
/// ffmpeg behind. Writes go through a serial queue; a writer waits when ffmpeg falls behind.
final class Packager: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    let queue: DispatchQueue
    let lock = NSLock()
    var pending = 0
    var waiters: [CheckedContinuation<Void, Never>] = []
    var closed = false
    var broken = false
    let run: Int
    let playlistPath: String
    /// Bytes queued for ffmpeg beyond which writers wait (about 16 s of a 2 Mbit/s stream).
    static let highWater = 4 << 20

    /// What ffmpeg reads: FLV from the RTMP ingest (copied), or WebM from the browser studio
    /// (H.264 copied, or other video codecs transcoded; the audio always made AAC).
    enum Input: Sendable, Equatable {
        case flv
        case webm(copyVideo: Bool, offset: Double)
        /// FLV transcoded to a lower rendition: at most `height` lines, keyframes where the source has them.
        case flvRendition(height: Int)
    }

    /// Video bitrate of a rendition, in kbit/s.
    static func bitrate(height: Int) -> Int {
        switch height {
        case 1080...: 4500
        case 720...: 2500
        case 480...: 1200
        case 360...: 800
        default: 400
        }
    }

    /// Where it writes: HLS segments in the show's folder, or the same stream to another RTMP server (simulcast).
    enum Output: Sendable, Equatable {
        case hls
        case rtmp(String)
    }

    init(
        run: Int, directory: String, ffmpeg: String, format: Input = .flv, output: Output = .hls, logger: Logger,
        onExit: @escaping @Sendable (Int32) -> Void
    ) throws {
        self.run = run
        self.queue = DispatchQueue(label: "vitrine.packager.\(run)")
        playlistPath = "\(directory)/ffmpeg-\(run).m3u8"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = [ffmpeg, "-hide_banner", "-nostats", "-loglevel", "warning"]
        switch format {
        case .flv:
            arguments += ["-f", "flv", "-i", "pipe:0", "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy"]
        case .flvRendition(let height):
            let rate = Self.bitrate(height: height)
            arguments += [
                "-f", "flv", "-i", "pipe:0", "-map", "0:v:0", "-map", "0:a:0?", "-vf", "scale=-2:min(\(height)\\,ih)",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-b:v", "\(rate)k", "-maxrate", "\(rate)k", "-bufsize", "\(rate * 2)k", "-force_key_frames", "source",
                "-c:a", "aac", "-b:a", "96k",
            ]
        case .webm(let copyVideo, let offset):
            arguments += ["-f", "webm", "-i", "pipe:0", "-map", "0:v:0", "-map", "0:a:0?"]
            arguments +=
                copyVideo
                ? ["-c:v", "copy"]
                : [
                    "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                    "-force_key_frames", "expr:gte(t,n_forced*1)",
                ]
            arguments += [
                "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-output_ts_offset", String(format: "%.3f", offset),
            ]
        }
        switch output {
        case .hls:
            arguments += [
                "-copyts", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init-\(run).mp4",
                "-hls_segment_filename", "\(directory)/seg-\(run)-%05d.m4s", "-hls_flags", "independent_segments",
                playlistPath,
            ]
        case .rtmp(let url):
            // The destination's URL holds its stream key: it is passed here and never logged.
            arguments += ["-f", "flv", "-flvflags", "no_duration_filesize", url]
        }
        process.arguments = arguments
        // A simulcast destination's URL ends with its stream key: ffmpeg's messages never show it.
        let secrets: [String] =
            if case .rtmp(let url) = output {
                [url, String(url.split(separator: "/").last ?? "")].filter { $0.count >= 4 }
            } else { [] }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardInput = self.input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                var text = String(line)
                for secret in secrets where !secret.isEmpty {
                    text = text.replacingOccurrences(of: secret, with: "[redacted]")
                }
                logger.warning("ffmpeg", metadata: ["run": "\(run)", "says": "\(text)"])
            }
        }
        process.terminationHandler = { process in onExit(process.terminationStatus) }
        try process.run()
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// Queues bytes for ffmpeg; waits while too much is queued. False once ffmpeg is gone.
    @discardableResult
    func write(_ buffer: ByteBuffer) async -> Bool {
        let data = Data(buffer.readableBytesView)
        let wait: Bool = lock.withLock {
            if closed || broken { return false }
            pending += data.count
            return pending > Self.highWater
        }
        if lock.withLock({ closed || broken }) { return false }
        queue.async { [self] in
            do {
                try input.fileHandleForWriting.write(contentsOf: data)
            } catch {
                lock.withLock { broken = true }
            }
            let resumed: [CheckedContinuation<Void, Never>] = lock.withLock {
                pending -= data.count
                guard pending <= Self.highWater / 2 || broken else { return [] }
                defer { waiters.removeAll() }
                return waiters
            }
            for waiter in resumed { waiter.resume() }
        }
        if wait {
            await withCheckedContinuation { continuation in
                let now: Bool = lock.withLock {
                    if pending <= Self.highWater / 2 || broken { return true }
                    waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        }
        return lock.withLock { !broken }
    }

    /// Ends ffmpeg's input: it writes its last segment and exits.
    func closeInput() {
        let first: Bool = lock.withLock {
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        queue.async { [input] in try? input.fileHandleForWriting.close() }
    }

    func kill() {
        if process.isRunning { process.terminate() }
    }

    /// SIGKILL: for a process that no longer answers.
    func forceKill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the process to end (polling: Process has no async wait).
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
