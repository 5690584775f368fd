import NIOCore

/// FLV, the container RTMP's audio and video messages map to one-to-one: what ffmpeg reads on its
/// standard input.
public enum FLV {
    /// The file header (audio and video present) and the first "previous tag size".
    public static var header: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeBytes([0x46, 0x4C, 0x56, 0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0])
        return buffer
    }

    /// One tag: type (8 audio, 9 video, 18 script data), 24-bit size, timestamp in milliseconds
    /// (24 bits plus an extension byte), stream id 0, the payload, then the tag's total size.
    public static func tag(type: UInt8, timestamp: UInt32, payload: ByteBuffer, into out: inout ByteBuffer) {
        let size = payload.readableBytes
        out.writeInteger(type)
        out.writeInteger(UInt16((size >> 8) & 0xFFFF))
        out.writeInteger(UInt8(size & 0xFF))
        out.writeInteger(UInt16((timestamp >> 8) & 0xFFFF))
        out.writeInteger(UInt8(timestamp & 0xFF))
        out.writeInteger(UInt8((timestamp >> 24) & 0xFF))
        out.writeBytes([0, 0, 0])
        var body = payload
        out.writeBuffer(&body)
        out.writeInteger(UInt32(size + 11))
    }

    /// What a video message carries: H.264 (codec id 7) is the only codec copied to HLS.
    public enum VideoCodec: Equatable, Sendable {
        case h264, other(UInt8)
    }

    public static func videoCodec(_ payload: ByteBuffer) -> VideoCodec? {
        guard let first = payload.getInteger(at: payload.readerIndex, as: UInt8.self) else { return nil }
        let id = first & 0x0F
        return id == 7 ? .h264 : .other(id)
    }

    /// Whether a video message starts a group of pictures (frame type 1).
    public static func isKeyframe(_ payload: ByteBuffer) -> Bool {
        guard let first = payload.getInteger(at: payload.readerIndex, as: UInt8.self) else { return false }
        return first >> 4 == 1
    }

    /// Whether an H.264 message is the decoder configuration (AVC sequence header), not a frame.
    public static func isSequenceHeader(_ payload: ByteBuffer) -> Bool {
        payload.getInteger(at: payload.readerIndex + 1, as: UInt8.self) == 0
    }

    public enum AudioCodec: Equatable, Sendable {
        case aac, other(UInt8)
    }

    public static func audioCodec(_ payload: ByteBuffer) -> AudioCodec? {
        guard let first = payload.getInteger(at: payload.readerIndex, as: UInt8.self) else { return nil }
        let id = first >> 4
        return id == 10 ? .aac : .other(id)
    }
}
