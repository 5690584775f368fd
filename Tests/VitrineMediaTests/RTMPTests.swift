import Foundation
import NIOCore
import Testing

@testable import VitrineMedia

/// An encoder's side of the protocol, built from the same chunk encoder the server answers with.
struct FakeEncoder {
    var encoder = RTMPChunkEncoder()

    func handshake() -> ByteBuffer {
        var out = ByteBuffer()
        out.writeInteger(UInt8(3))
        out.writeBytes([UInt8](repeating: 7, count: 1536))  // C1
        return out
    }

    func c2() -> ByteBuffer { ByteBuffer(bytes: [UInt8](repeating: 9, count: 1536)) }

    func command(_ values: [AMF0Value], stream: UInt32 = 0) -> ByteBuffer {
        var out = ByteBuffer()
        encoder.encode(
            RTMPMessage(typeID: RTMPMessage.commandAMF0, streamID: stream, timestamp: 0, payload: AMF0.encode(values)),
            chunkStream: 3, into: &out)
        return out
    }

    func media(_ type: UInt8, timestamp: UInt32, payload: [UInt8]) -> ByteBuffer {
        var out = ByteBuffer()
        encoder.encode(
            RTMPMessage(typeID: type, streamID: 1, timestamp: timestamp, payload: ByteBuffer(bytes: payload)),
            chunkStream: 6, into: &out)
        return out
    }
}

/// Reads the server's answers back into messages.
func messages(in events: [RTMPSession.Event], decoder: inout RTMPChunkDecoder) throws -> [RTMPMessage] {
    var all: [RTMPMessage] = []
    for case .send(var bytes) in events {
        while let message = try decoder.next(&bytes) {
            if message.typeID == RTMPMessage.setChunkSize, let size = message.payload.getInteger(at: 0, as: UInt32.self)
            {
                try decoder.setChunkSize(Int(size))
            }
            all.append(message)
        }
    }
    return all
}

@Suite struct RTMPTests {
    @Test func amf0RoundTripsEveryTypeEncodersSend() throws {
        let values: [AMF0Value] = [
            "connect", .number(1),
            .object([
                AMF0Property("app", "live"), AMF0Property("tcUrl", "rtmp://127.0.0.1/live"),
                AMF0Property("fpad", .boolean(false)), AMF0Property("nested", .object([AMF0Property("x", .null)])),
            ]),
            .ecmaArray([AMF0Property("width", .number(1280)), AMF0Property("encoder", "obs-output module")]),
            .strictArray([.number(1), .undefined]), .date(1_700_000_000_000),
            .string(String(repeating: "é", count: 40_000)),
        ]
        #expect(try AMF0.decodeAll(AMF0.encode(values)) == values)
    }

    @Test func amf0RefusesUnknownTypesTruncationAndDeepNesting() {
        #expect(throws: RTMPError.self) { try AMF0.decodeAll(ByteBuffer(bytes: [0x11, 0, 0])) }
        #expect(throws: RTMPError.self) { try AMF0.decodeAll(ByteBuffer(bytes: [0x02, 0, 10, 65])) }
        #expect(throws: RTMPError.self) { try AMF0.decodeAll(ByteBuffer(bytes: [0x0A, 0xFF, 0xFF, 0xFF, 0xFF])) }
        var deep = ByteBuffer()
        for _ in 0..<100 {
            deep.writeBytes([0x03, 0, 1, 0x61])
        }
        #expect(throws: RTMPError.self) { try AMF0.decodeAll(deep) }
    }

    @Test(arguments: [1, 7, 128, 4096])
    func chunkDecoderGivesTheSameMessagesWhateverTheSlicing(slice: Int) throws {
        var encoder = RTMPChunkEncoder()
        encoder.chunkSize = 100
        var wire = ByteBuffer()
        var sent: [RTMPMessage] = []
        for index in 0..<20 {
            let bytes: [UInt8] = (0..<(index * 37 + 1)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
            let stamp = UInt32(index * 33) + (index == 19 ? 0x0100_0000 : 0)
            let type = index % 2 == 0 ? RTMPMessage.video : RTMPMessage.audio
            sent.append(RTMPMessage(typeID: type, streamID: 1, timestamp: stamp, payload: ByteBuffer(bytes: bytes)))
        }
        for (index, message) in sent.enumerated() {
            encoder.encode(message, chunkStream: UInt8(4 + index % 3), into: &wire)
        }
        var decoder = RTMPChunkDecoder()
        try decoder.setChunkSize(100)
        var received: [RTMPMessage] = []
        var pending = ByteBuffer()
        while wire.readableBytes > 0 {
            var part = wire.readSlice(length: min(slice, wire.readableBytes))!
            pending.writeBuffer(&part)
            while let message = try decoder.next(&pending) { received.append(message) }
        }
        #expect(received == sent)
    }

    @Test func absurdChunkSizesAndOversizedMessagesAreRefused() throws {
        var decoder = RTMPChunkDecoder()
        #expect(throws: RTMPError.self) { try decoder.setChunkSize(0) }
        #expect(throws: RTMPError.self) { try decoder.setChunkSize(0x7FFF_FFFF) }
        // A format-0 header announcing a 16 MiB message.
        var header = ByteBuffer(bytes: [0x04, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x09, 1, 0, 0, 0])
        #expect(throws: RTMPError.self) { try decoder.next(&header) }
        // A chunk stream that starts without a full header.
        var headless = ByteBuffer(bytes: [0x45, 0, 0, 0, 0, 0, 4, 9])
        var fresh = RTMPChunkDecoder()
        #expect(throws: RTMPError.self) { try fresh.next(&headless) }
    }

    @Test func aPublisherConnectsCreatesAStreamAndPublishes() throws {
        // setup
        var session = RTMPSession()
        let client = FakeEncoder()
        var replies = RTMPChunkDecoder()
        var input = client.handshake()
        // MUT: handshake
        var events = try session.receive(&input)
        // validate: S0 + S1 + S2 (which echoes C1)
        guard case .send(let handshake) = events.first else {
            Issue.record("no handshake answer")
            return
        }
        #expect(handshake.readableBytes == 1 + 1536 * 2)
        #expect(handshake.getBytes(at: 1537, length: 1536) == [UInt8](repeating: 7, count: 1536))
        var rest = client.c2()
        rest.writeImmutableBuffer(
            client.command([
                "connect", .number(1), .object([AMF0Property("app", "live"), AMF0Property("type", "nonprivate")]),
            ]))
        rest.writeImmutableBuffer(client.command(["releaseStream", .number(2), .null, "key"]))
        rest.writeImmutableBuffer(client.command(["FCPublish", .number(3), .null, "key"]))
        rest.writeImmutableBuffer(client.command(["createStream", .number(4), .null]))
        rest.writeImmutableBuffer(
            client.command(["publish", .number(5), .null, "live_secret?obs=1", "live"], stream: 1))
        events = try session.receive(&rest)
        let answers = try messages(in: events, decoder: &replies)
        let commands = try answers.filter { $0.typeID == RTMPMessage.commandAMF0 }.map {
            try AMF0.decodeAll($0.payload)
        }
        #expect(commands.first?[0] == "_result")
        #expect(commands.first?[3]["code"] == "NetConnection.Connect.Success")
        #expect(commands.contains { $0[0] == "_result" && $0[1] == .number(4) && $0[3] == .number(1) }, "stream id 1")
        #expect(answers.contains { $0.typeID == RTMPMessage.windowAckSize })
        #expect(events.last == .publish(key: "live_secret"))
        // Accepted: NetStream.Publish.Start; then media flows out.
        var start = session.acceptPublish()
        let status = try messages(in: [.send(start)], decoder: &replies).compactMap {
            $0.typeID == RTMPMessage.commandAMF0 ? try AMF0.decodeAll($0.payload) : nil
        }
        start.clear()
        #expect(status.first?[3]["code"] == "NetStream.Publish.Start")
        var frame = client.media(RTMPMessage.video, timestamp: 40, payload: [0x17, 1, 0, 0, 0, 1, 2, 3])
        let media = try session.receive(&frame)
        #expect(media.count == 1)
        if case .media(let message) = media.first {
            #expect(message.timestamp == 40 && message.typeID == RTMPMessage.video)
        }
        var stop = client.command(["FCUnpublish", .number(6), .null, "live_secret"])
        #expect(try session.receive(&stop) == [.unpublish])
    }

    @Test func garbageAWrongApplicationAndMediaBeforePublishingAreRefused() throws {
        var http = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        var session = RTMPSession()
        #expect(throws: RTMPError.self) { try session.receive(&http) }

        let client = FakeEncoder()
        var other = RTMPSession()
        var bytes = client.handshake()
        bytes.writeImmutableBuffer(client.c2())
        bytes.writeImmutableBuffer(client.command(["connect", .number(1), .object([AMF0Property("app", "vod")])]))
        var replies = RTMPChunkDecoder()
        // The first answer is the handshake, then come chunks.
        let answers = try messages(in: Array(try other.receive(&bytes).dropFirst()), decoder: &replies)
        let rejected = try answers.filter { $0.typeID == RTMPMessage.commandAMF0 }.map {
            try AMF0.decodeAll($0.payload)
        }
        #expect(rejected.first?[0] == "_error")
        #expect(rejected.first?[3]["code"] == "NetConnection.Connect.Rejected")

        var early = RTMPSession()
        var sneaky = client.handshake()
        sneaky.writeImmutableBuffer(client.c2())
        sneaky.writeImmutableBuffer(client.media(RTMPMessage.video, timestamp: 0, payload: [0x17, 1]))
        #expect(throws: RTMPError.self) { try early.receive(&sneaky) }
    }

    /// Seeded and bounded: random bytes and mutations of a real session never crash the parser or
    /// make it allocate without limit; each input either parses or throws RTMPError.
    @Test func fuzzedInputsNeverCrashTheSession() throws {
        let client = FakeEncoder()
        var valid = client.handshake()
        valid.writeImmutableBuffer(client.c2())
        valid.writeImmutableBuffer(client.command(["connect", .number(1), .object([AMF0Property("app", "live")])]))
        valid.writeImmutableBuffer(client.command(["createStream", .number(2), .null]))
        valid.writeImmutableBuffer(client.command(["publish", .number(3), .null, "k", "live"], stream: 1))
        let base = Array(valid.readableBytesView)
        let prefix = 1537 + 1536
        var rng = SeededGenerator(seed: 20_261_123)
        let runs = Int(ProcessInfo.processInfo.environment["VITRINE_FUZZ_RUNS"] ?? "") ?? 100_000
        var refused = 0
        for run in 0..<runs {
            var bytes: [UInt8]
            if run % 4 == 0 {
                bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if run % 8 == 0 { bytes = [3] + [UInt8](repeating: 0, count: 3072) + bytes }
            } else {
                bytes = base
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let index = Int.random(in: prefix..<bytes.count, using: &rng)
                    bytes[index] = UInt8.random(in: 0...255, using: &rng)
                }
                if run % 3 == 0 { bytes = Array(bytes.prefix(Int.random(in: prefix...bytes.count, using: &rng))) }
            }
            var session = RTMPSession()
            var buffer = ByteBuffer(bytes: bytes)
            do {
                _ = try session.receive(&buffer)
            } catch {
                refused += 1
            }
        }
        #expect(refused > runs / 10, "mutations are mostly caught")
    }
}

/// xorshift64*: the same inputs on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}
