import Foundation
import Logging
import VitrineStore

/// Rooms of one show on several nodes, joined through PostgreSQL `NOTIFY` on one channel. A
/// payload is `NODE|SHOW|E|event-json` (an event to show) or `NODE|SHOW|C|count` (that node's
/// viewers); a node ignores its own.
public struct PostgresLiveBus: LiveBus {
    public static let channel = "vitrine_live"
    let store: Store
    public let node: String
    let logger: Logger

    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
        node = UUID().uuidString.lowercased()
    }

    public func publish(showID: UUID, event: Data) async {
        await send("\(node)|\(showID.uuidString.lowercased())|E|" + String(decoding: event, as: UTF8.self))
    }

    public func publishCount(showID: UUID, count: Int) async {
        await send("\(node)|\(showID.uuidString.lowercased())|C|\(count)")
    }

    func send(_ payload: String) async {
        // PostgreSQL refuses payloads from 8000 bytes: such an event stays on this node.
        guard payload.utf8.count < 7_990 else {
            logger.warning(
                "live event too large to share with other nodes", metadata: ["bytes": "\(payload.utf8.count)"])
            return
        }
        do {
            try await store.notify(channel: Self.channel, payload: payload)
        } catch {
            logger.warning("live event not shared with other nodes", metadata: ["error": "\(error)"])
        }
    }

    /// Hears the other nodes until cancelled and hands their events and counts to this node's rooms.
    func listen(rooms: LiveRooms) async {
        await store.listen(channel: Self.channel) { payload in
            let parts = payload.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] != node[...], let showID = UUID(uuidString: String(parts[1])),
                let room = await rooms.existing(showID)
            else { return }
            switch parts[2] {
            case "E": await room.received(Data(parts[3].utf8))
            case "C": if let count = Int(parts[3]) { await room.receivedCount(node: String(parts[0]), count: count) }
            default: break
            }
        }
    }
}
