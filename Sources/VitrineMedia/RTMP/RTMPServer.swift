import Foundation
import Logging
import NIOCore
import NIOPosix

/// The RTMP ingest: `rtmp://HOST:1935/live/STREAM_KEY`. Each connection runs an `RTMPSession`;
/// a publish request goes to the `LiveHub`, which asks the application about the key; media
/// then flows to the show's packager. A bad or hostile client only ever closes its own connection.
public struct RTMPServer: Sendable {
    public let host: String
    public let port: Int
    let hub: LiveHub
    let logger: Logger
    /// A connection must finish its handshake and publish within this time, and never go silent longer.
    var idleTimeout: Duration = .seconds(30)

    public init(host: String, port: Int, hub: LiveHub, logger: Logger) {
        self.host = host
        self.port = port
        self.hub = hub
        self.logger = logger
    }

    /// Binds the port; `onBound` gets the real port (0 in tests picks a free one). Returns when cancelled.
    public func run(onBound: @Sendable (Int) -> Void = { _ in }) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        onBound(server.channel.localAddress?.port ?? port)
        logger.info(
            "RTMP ingest listening",
            metadata: ["address": "rtmp://\(host):\(server.channel.localAddress?.port ?? port)/live"])
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let channel = connection.channel
        let peer = channel.remoteAddress?.ipAddress ?? "?"
        var published: (showID: UUID, publisher: UUID, stream: LiveStream)?
        let activity = Activity()
        // Closes a connection that stays silent (or never gets past the handshake).
        let watchdog = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                if activity.idle(longerThan: idleTimeout) {
                    logger.notice("RTMP connection idle: closed", metadata: ["peer": "\(peer)"])
                    try? await channel.close()
                    return
                }
            }
        }
        defer { watchdog.cancel() }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var session = RTMPSession(epoch: 0)
                var pending = ByteBuffer()
                for try await var bytes in inbound {
                    activity.touch()
                    pending.writeBuffer(&bytes)
                    let events: [RTMPSession.Event]
                    do {
                        events = try session.receive(&pending)
                    } catch let error as RTMPError {
                        logger.notice(
                            "RTMP connection refused", metadata: ["peer": "\(peer)", "reason": "\(error.message)"])
                        return
                    }
                    if pending.readerIndex > 1 << 16 { pending.discardReadBytes() }
                    for event in events {
                        switch event {
                        case .send(let out):
                            try await outbound.write(out)
                        case .publish(let key):
                            let outcome = await hub.publish(key: key, cut: { channel.close(promise: nil) })
                            switch outcome {
                            case .accepted(let showID, let publisher, let stream):
                                published = (showID, publisher, stream)
                                try await outbound.write(session.acceptPublish())
                            case .refused(let code, let description):
                                // Logged without the key: it is a secret.
                                logger.notice(
                                    "RTMP publish refused", metadata: ["peer": "\(peer)", "status": "\(code)"])
                                try await outbound.write(session.refusePublish(code: code, description: description))
                                try? await Task.sleep(for: .milliseconds(200))
                                return
                            }
                        case .media(let message):
                            do {
                                try await published?.stream.write(message)
                            } catch let error as RTMPError {
                                logger.notice(
                                    "RTMP stream refused", metadata: ["peer": "\(peer)", "reason": "\(error.message)"])
                                try await outbound.write(
                                    session.refusePublish(code: "NetStream.Publish.Failed", description: error.message))
                                try? await Task.sleep(for: .milliseconds(200))
                                return
                            }
                        case .unpublish:
                            return
                        }
                    }
                }
            }
        } catch {
            logger.debug("RTMP connection ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
        if let published { await hub.publisherLeft(showID: published.showID, publisher: published.publisher) }
    }
}

/// When a connection last received bytes.
final class Activity: @unchecked Sendable {
    let lock = NSLock()
    var last = ContinuousClock.now
    func touch() { lock.withLock { last = .now } }
    func idle(longerThan limit: Duration) -> Bool { lock.withLock { ContinuousClock.now - last > limit } }
}
