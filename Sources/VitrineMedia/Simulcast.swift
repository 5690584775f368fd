import Foundation

/// Another platform a show is streamed to while live (YouTube, Twitch, Facebook, a partner).
public struct SimulcastTarget: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// The full RTMP(S) URL, stream key included: a secret, never logged.
    public var url: String

    public init(id: UUID, name: String, url: String) {
        self.id = id
        self.name = name
        self.url = url
    }
}

/// How one simulcast destination is doing.
public struct SimulcastStatus: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Waiting for the next keyframe to start, or for the encoder.
        case waiting
        case streaming
        /// ffmpeg stopped (the destination refused or dropped): it starts again after a pause.
        case retrying
        case stopped
    }
    public var id: UUID
    public var name: String
    public var state: State
    /// Times the destination's ffmpeg stopped while the show streamed.
    public var failures: Int
    public var error: String?
}
