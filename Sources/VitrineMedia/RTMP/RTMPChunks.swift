import NIOCore

/// One RTMP message, reassembled from its chunks.
public struct RTMPMessage: Equatable, Sendable {
    public var typeID: UInt8
    public var streamID: UInt32
    /// Milliseconds, as the publisher stamped it (32 bits, wraps after 49 days).
    public var timestamp: UInt32
    public var payload: ByteBuffer

    public init(typeID: UInt8, streamID: UInt32, timestamp: UInt32, payload: ByteBuffer) {
        self.typeID = typeID
        self.streamID = streamID
        self.timestamp = timestamp
        self.payload = payload
    }

    public static let setChunkSize: UInt8 = 1
    public static let abort: UInt8 = 2
    public static let acknowledgement: UInt8 = 3
    public static let userControl: UInt8 = 4
    public static let windowAckSize: UInt8 = 5
    public static let setPeerBandwidth: UInt8 = 6
    public static let audio: UInt8 = 8
    public static let video: UInt8 = 9
    public static let dataAMF3: UInt8 = 15
    public static let commandAMF3: UInt8 = 17
    public static let dataAMF0: UInt8 = 18
    public static let commandAMF0: UInt8 = 20
}

/// Reassembles messages from the chunk stream (RTMP 1.0, section 5.3): basic and message headers
/// of the four formats, extended timestamps, interleaved chunk streams, the peer's chunk size.
/// Fed any slicing of the bytes, it gives the same messages; it refuses what no encoder sends.
public struct RTMPChunkDecoder: Sendable {
    /// The largest chunk size accepted (the protocol allows 2^31 - 1; no encoder needs more than this).
    public static let maxChunkSize = 1 << 24
    /// Open chunk streams per connection; real encoders use a handful.
    public static let maxChunkStreams = 64
    /// The largest message accepted (video keyframes of a 4K stream stay far below).
    public static let maxMessageLength = 8 << 20

    struct StreamState: Sendable {
        var timestamp: UInt32 = 0
        var delta: UInt32 = 0
        var length: Int = 0
        var typeID: UInt8 = 0
        var streamID: UInt32 = 0
        var extended = false
        var partial: ByteBuffer?
        var started = false
    }

    public private(set) var chunkSize = 128
    var streams: [UInt32: StreamState] = [:]

    public init() {}

    public mutating func setChunkSize(_ size: Int) throws(RTMPError) {
        guard (1...Self.maxChunkSize).contains(size) else { throw RTMPError("chunk size \(size) out of range") }
        chunkSize = size
    }

    /// The next complete message, or nil when more bytes are needed (a partial chunk stays unread).
    public mutating func next(_ buffer: inout ByteBuffer) throws(RTMPError) -> RTMPMessage? {
        while true {
            let start = buffer.readerIndex
            guard let result = try readChunk(&buffer) else {
                buffer.moveReaderIndex(to: start)
                return nil
            }
            if let message = result { return message }
        }
    }

    /// One chunk: nil when incomplete; .some(nil) when it was read but its message is not complete.
    mutating func readChunk(_ buffer: inout ByteBuffer) throws(RTMPError) -> RTMPMessage?? {
        guard let first = buffer.readInteger(as: UInt8.self) else { return nil }
        let format = first >> 6
        var csid = UInt32(first & 0x3F)
        if csid == 0 {
            guard let byte = buffer.readInteger(as: UInt8.self) else { return nil }
            csid = UInt32(byte) + 64
        } else if csid == 1 {
            guard let low = buffer.readInteger(as: UInt8.self), let high = buffer.readInteger(as: UInt8.self) else {
                return nil
            }
            csid = UInt32(high) * 256 + UInt32(low) + 64
        }
        var state = streams[csid] ?? StreamState()
        if streams[csid] == nil {
            guard streams.count < Self.maxChunkStreams else { throw RTMPError("too many chunk streams") }
            guard format == 0 else { throw RTMPError("chunk stream \(csid) starts without a full header") }
        }
        let continuing = state.partial != nil
        var stamp: UInt32 = 0
        switch format {
        case 0, 1, 2:
            guard let field = buffer.readInteger(endianness: .big, as: UInt16.self),
                let low = buffer.readInteger(as: UInt8.self)
            else { return nil }
            stamp = UInt32(field) << 8 | UInt32(low)
            if format <= 1 {
                guard let lengthHigh = buffer.readInteger(as: UInt16.self),
                    let lengthLow = buffer.readInteger(as: UInt8.self),
                    let type = buffer.readInteger(as: UInt8.self)
                else { return nil }
                state.length = Int(lengthHigh) << 8 | Int(lengthLow)
                state.typeID = type
                if format == 0 {
                    guard let stream = buffer.readInteger(endianness: .little, as: UInt32.self) else { return nil }
                    state.streamID = stream
                }
            }
            state.extended = stamp == 0xFFFFFF
            if state.extended {
                guard let full = buffer.readInteger(as: UInt32.self) else { return nil }
                stamp = full
            }
            guard !continuing else { throw RTMPError("new message header in the middle of a message") }
        default:
            // Format 3: same header as before; encoders repeat an extended timestamp here too.
            if state.extended {
                guard let full = buffer.readInteger(as: UInt32.self) else { return nil }
                if !continuing { stamp = full }
            }
        }
        guard state.length <= Self.maxMessageLength else {
            throw RTMPError("message of \(state.length) bytes is too large")
        }
        if !continuing {
            switch format {
            case 0:
                state.timestamp = stamp
                state.delta = 0
            case 1, 2:
                state.delta = stamp
                state.timestamp &+= stamp
            default:
                if state.extended { state.delta = stamp }
                state.timestamp &+= state.delta
            }
            state.partial = ByteBuffer()
            state.partial!.reserveCapacity(state.length)
        }
        var partial = state.partial!
        let wanted = min(chunkSize, state.length - partial.readableBytes)
        guard buffer.readableBytes >= wanted, var slice = buffer.readSlice(length: wanted) else { return nil }
        partial.writeBuffer(&slice)
        if partial.readableBytes == state.length {
            state.partial = nil
            streams[csid] = state
            return .some(
                RTMPMessage(
                    typeID: state.typeID, streamID: state.streamID, timestamp: state.timestamp, payload: partial))
        }
        state.partial = partial
        streams[csid] = state
        return .some(nil)
    }

    /// Drops the partial message of a chunk stream (Abort message).
    public mutating func abort(chunkStream csid: UInt32) {
        streams[csid]?.partial = nil
    }
}

/// Writes messages as chunks: a full header, then format-3 continuation chunks.
public struct RTMPChunkEncoder: Sendable {
    public var chunkSize = 128
    public init() {}

    public func encode(_ message: RTMPMessage, chunkStream csid: UInt8, into out: inout ByteBuffer) {
        precondition((2...63).contains(csid))
        var payload = message.payload
        let extended = message.timestamp >= 0xFFFFFF
        let stamp = extended ? 0xFFFFFF : message.timestamp
        out.writeInteger(csid)  // format 0
        out.writeInteger(UInt16(stamp >> 8))
        out.writeInteger(UInt8(stamp & 0xFF))
        out.writeInteger(UInt16(payload.readableBytes >> 8))
        out.writeInteger(UInt8(payload.readableBytes & 0xFF))
        out.writeInteger(message.typeID)
        out.writeInteger(message.streamID, endianness: .little)
        if extended { out.writeInteger(message.timestamp) }
        var first = true
        while payload.readableBytes > 0 || first {
            if !first {
                out.writeInteger(0xC0 | csid)
                if extended { out.writeInteger(message.timestamp) }
            }
            first = false
            var slice = payload.readSlice(length: min(chunkSize, payload.readableBytes))!
            out.writeBuffer(&slice)
        }
    }
}
