import NIOCore

/// The server side of one RTMP connection, without I/O: bytes in, what to do out. It does the
/// handshake (RTMP 1.0 simple handshake, which OBS, ffmpeg and hardware encoders accept), reads
/// the chunk stream, answers the connection commands, acknowledges what it received, and hands
/// the publish request and the media messages to its owner. Anything malformed throws, and the
/// owner closes the connection.
public struct RTMPSession: Sendable {
    public enum Event: Equatable, Sendable {
        /// Bytes to send to the encoder.
        case send(ByteBuffer)
        /// The encoder asks to publish under `key` (the stream key, the last part of its URL).
        case publish(key: String)
        /// Audio (8), video (9) or metadata (18) to package, in the publisher's timestamps.
        case media(RTMPMessage)
        /// The encoder stopped publishing (FCUnpublish, deleteStream or closeStream).
        case unpublish
    }

    enum Phase: Sendable {
        case waitingForC0C1
        case waitingForC2
        case chunks
    }

    /// The application name in the URL: `rtmp://HOST/live/KEY`.
    public static let application = "live"
    static let windowSize: UInt32 = 2_500_000
    static let ourChunkSize = 4096
    static let publishStreamID: UInt32 = 1

    var phase = Phase.waitingForC0C1
    var decoder = RTMPChunkDecoder()
    var encoder = RTMPChunkEncoder()
    var received: UInt64 = 0
    var acknowledged: UInt64 = 0
    var peerWindow: UInt32 = windowSize
    var connected = false
    public private(set) var publishing = false
    var publishRequested = false
    let epoch: UInt32

    public init(epoch: UInt32 = 0) {
        self.epoch = epoch
    }

    /// Consumes what it can of `buffer` (a partial chunk stays for the next call).
    public mutating func receive(_ buffer: inout ByteBuffer) throws(RTMPError) -> [Event] {
        var events: [Event] = []
        let before = buffer.readableBytes
        defer { received += UInt64(before - buffer.readableBytes) }
        while true {
            switch phase {
            case .waitingForC0C1:
                guard buffer.readableBytes >= 1537 else {
                    if let version = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), version != 3 {
                        throw RTMPError("not an RTMP client (version byte \(version))")
                    }
                    return events
                }
                let version = buffer.readInteger(as: UInt8.self)!
                guard version == 3 else { throw RTMPError("not an RTMP client (version byte \(version))") }
                let c1 = buffer.readSlice(length: 1536)!
                var out = ByteBuffer()
                out.writeInteger(UInt8(3))
                out.writeInteger(epoch)
                out.writeInteger(UInt32(0))
                var generator = SystemRandomNumberGenerator()
                for _ in 0..<(1528 / 8) { out.writeInteger(generator.next() as UInt64) }
                var echo = c1
                out.writeBuffer(&echo)  // S2 echoes C1
                events.append(.send(out))
                phase = .waitingForC2
            case .waitingForC2:
                guard buffer.readableBytes >= 1536 else { return events }
                buffer.moveReaderIndex(forwardBy: 1536)
                phase = .chunks
            case .chunks:
                guard let message = try decoder.next(&buffer) else {
                    // Acknowledge once a window's worth of bytes has arrived since the last time.
                    let total = received + UInt64(before - buffer.readableBytes)
                    if total - acknowledged >= UInt64(peerWindow) {
                        acknowledged = total
                        events.append(.send(control(RTMPMessage.acknowledgement, UInt32(truncatingIfNeeded: total))))
                    }
                    return events
                }
                events += try handle(message)
            }
        }
    }

    mutating func handle(_ message: RTMPMessage) throws(RTMPError) -> [Event] {
        var payload = message.payload
        switch message.typeID {
        case RTMPMessage.setChunkSize:
            guard let size = payload.readInteger(as: UInt32.self) else { throw RTMPError("truncated Set Chunk Size") }
            try decoder.setChunkSize(Int(size & 0x7FFF_FFFF))
            return []
        case RTMPMessage.abort:
            if let csid = payload.readInteger(as: UInt32.self) { decoder.abort(chunkStream: csid) }
            return []
        case RTMPMessage.windowAckSize:
            guard let size = payload.readInteger(as: UInt32.self), size > 0 else {
                throw RTMPError("invalid Window Acknowledgement Size")
            }
            peerWindow = size
            return []
        case RTMPMessage.acknowledgement, RTMPMessage.setPeerBandwidth:
            return []
        case RTMPMessage.userControl:
            // A ping request (6) is answered with a ping response (7) carrying the same time.
            if payload.readInteger(as: UInt16.self) == 6, let time = payload.readInteger(as: UInt32.self) {
                var body = ByteBuffer()
                body.writeInteger(UInt16(7))
                body.writeInteger(time)
                return [
                    .send(
                        encode(
                            RTMPMessage(typeID: RTMPMessage.userControl, streamID: 0, timestamp: 0, payload: body),
                            csid: 2))
                ]
            }
            return []
        case RTMPMessage.commandAMF0:
            return try command(AMF0.decodeAll(message.payload), streamID: message.streamID)
        case RTMPMessage.commandAMF3:
            // AMF3 commands start with one format byte, then AMF0 values.
            guard payload.readableBytes > 0 else { throw RTMPError("empty AMF3 command") }
            payload.moveReaderIndex(forwardBy: 1)
            return try command(AMF0.decodeAll(payload), streamID: message.streamID)
        case RTMPMessage.audio, RTMPMessage.video:
            guard publishing else { throw RTMPError("media before publishing") }
            return [.media(message)]
        case RTMPMessage.dataAMF0:
            guard publishing else { return [] }
            var values = try AMF0.decodeAll(message.payload)
            if values.first == .string("@setDataFrame") { values.removeFirst() }
            guard values.first == .string("onMetaData") else { return [] }
            var media = message
            media.payload = AMF0.encode(values)
            return [.media(media)]
        default:
            return []
        }
    }

    mutating func command(_ values: [AMF0Value], streamID: UInt32) throws(RTMPError) -> [Event] {
        guard let name = values.first?.string else { throw RTMPError("command without a name") }
        let transaction = values.count > 1 ? values[1].number ?? 0 : 0
        switch name {
        case "connect":
            guard !connected else { throw RTMPError("connect twice") }
            let app = values.count > 2 ? values[2]["app"]?.string ?? "" : ""
            guard app.split(separator: "/").first.map(String.init) == Self.application else {
                return [
                    .send(
                        result(
                            "_error", transaction,
                            status(
                                "error", "NetConnection.Connect.Rejected", "Unknown application: use rtmp://HOST/live"))
                    )
                ]
            }
            connected = true
            encoder.chunkSize = Self.ourChunkSize
            var out = ByteBuffer()
            out.writeImmutableBuffer(control(RTMPMessage.windowAckSize, Self.windowSize))
            var bandwidth = ByteBuffer()
            bandwidth.writeInteger(Self.windowSize)
            bandwidth.writeInteger(UInt8(2))
            out.writeImmutableBuffer(
                encode(
                    RTMPMessage(typeID: RTMPMessage.setPeerBandwidth, streamID: 0, timestamp: 0, payload: bandwidth),
                    csid: 2))
            // Sent with the old size (128) as the chunk encoder still uses it for this message.
            var sizeEncoder = RTMPChunkEncoder()
            sizeEncoder.chunkSize = 128
            var sizeBody = ByteBuffer()
            sizeBody.writeInteger(UInt32(Self.ourChunkSize))
            sizeEncoder.encode(
                RTMPMessage(typeID: RTMPMessage.setChunkSize, streamID: 0, timestamp: 0, payload: sizeBody),
                chunkStream: 2, into: &out)
            let properties: AMF0Value = .object([
                AMF0Property("fmsVer", .string("FMS/3,5,7,7009")), AMF0Property("capabilities", .number(31)),
            ])
            let info: AMF0Value = .object([
                AMF0Property("level", .string("status")),
                AMF0Property("code", .string("NetConnection.Connect.Success")),
                AMF0Property("description", .string("Connection succeeded.")),
                AMF0Property("objectEncoding", .number(0)),
            ])
            out.writeImmutableBuffer(commandBuffer(["_result", .number(transaction), properties, info], streamID: 0))
            return [.send(out)]
        case "releaseStream", "FCPublish":
            guard connected else { throw RTMPError("\(name) before connect") }
            return [.send(commandBuffer(["_result", .number(transaction), .null, .undefined], streamID: 0))]
        case "createStream":
            guard connected else { throw RTMPError("createStream before connect") }
            return [
                .send(
                    commandBuffer(
                        ["_result", .number(transaction), .null, .number(Double(Self.publishStreamID))], streamID: 0))
            ]
        case "publish":
            guard connected else { throw RTMPError("publish before connect") }
            guard !publishRequested else { throw RTMPError("publish twice on one connection") }
            guard values.count > 3, let key = values[3].string, !key.isEmpty else {
                return [.send(statusMessage("error", "NetStream.Publish.BadName", "No stream key given."))]
            }
            publishRequested = true
            // OBS may append "?query": the key is what precedes it.
            return [.publish(key: String(key.split(separator: "?", maxSplits: 1).first ?? ""))]
        case "FCUnpublish", "deleteStream", "closeStream":
            guard publishing else { return [] }
            publishing = false
            return [.unpublish]
        case "play", "play2":
            return [
                .send(statusMessage("error", "NetStream.Play.Failed", "This server takes streams; watch over HLS."))
            ]
        default:
            return []
        }
    }

    /// The answer to an accepted publish: Stream Begin, then NetStream.Publish.Start.
    public mutating func acceptPublish() -> ByteBuffer {
        publishing = true
        var begin = ByteBuffer()
        begin.writeInteger(UInt16(0))
        begin.writeInteger(Self.publishStreamID)
        var out = encode(
            RTMPMessage(typeID: RTMPMessage.userControl, streamID: 0, timestamp: 0, payload: begin), csid: 2)
        out.writeImmutableBuffer(statusMessage("status", "NetStream.Publish.Start", "Publishing."))
        return out
    }

    /// The answer to a refused publish, with the status code encoders show (BadName, BadConnection…).
    public func refusePublish(code: String, description: String) -> ByteBuffer {
        statusMessage("error", code, description)
    }

    func status(_ level: String, _ code: String, _ description: String) -> AMF0Value {
        .object([
            AMF0Property("level", .string(level)), AMF0Property("code", .string(code)),
            AMF0Property("description", .string(description)),
        ])
    }

    func result(_ name: String, _ transaction: Double, _ info: AMF0Value) -> ByteBuffer {
        commandBuffer([.string(name), .number(transaction), .null, info], streamID: 0)
    }

    func statusMessage(_ level: String, _ code: String, _ description: String) -> ByteBuffer {
        commandBuffer(
            ["onStatus", .number(0), .null, status(level, code, description)], streamID: Self.publishStreamID)
    }

    func commandBuffer(_ values: [AMF0Value], streamID: UInt32) -> ByteBuffer {
        encode(
            RTMPMessage(
                typeID: RTMPMessage.commandAMF0, streamID: streamID, timestamp: 0, payload: AMF0.encode(values)),
            csid: streamID == 0 ? 3 : 5)
    }

    func control(_ type: UInt8, _ value: UInt32) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeInteger(value)
        return encode(RTMPMessage(typeID: type, streamID: 0, timestamp: 0, payload: body), csid: 2)
    }

    func encode(_ message: RTMPMessage, csid: UInt8) -> ByteBuffer {
        var out = ByteBuffer()
        encoder.encode(message, chunkStream: csid, into: &out)
        return out
    }
}

extension AMF0Value: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
