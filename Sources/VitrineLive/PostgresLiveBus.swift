import Foundation
import Logging
import VitrineStore

/// Rooms of one show on several nodes, joined through PostgreSQL `NOTIFY` on one channel. A
/// payload is `NODE|SHOW|E|event-json` (an event to show), `NODE|SHOW|C|count` (that node's
/// viewers), `NODE|BRAND|B|ban-json` (a ban in the brand's chats) or `NODE|BRAND|L|ban-id` (a ban
/// lifted); a node ignores its own.
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

    struct Ban: Codable {
        var viewerId: String?
        var ip: String?
        var ban: LiveBan
    }

    func publishBan(brandID: UUID, viewerID: String?, ip: String?, ban: LiveBan) async {
        guard let json = try? JSONEncoder.iso8601.encode(Ban(viewerId: viewerID, ip: ip, ban: ban)) else { return }
        await send("\(node)|\(brandID.uuidString.lowercased())|B|" + String(decoding: json, as: UTF8.self))
    }

    func publishLift(brandID: UUID, id: UUID) async {
        await send("\(node)|\(brandID.uuidString.lowercased())|L|\(id.uuidString)")
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
            guard parts.count == 4, parts[0] != node[...], let id = UUID(uuidString: String(parts[1])) else { return }
            switch parts[2] {
            case "B":
                if let ban = try? JSONDecoder.iso8601.decode(Ban.self, from: Data(parts[3].utf8)) {
                    await rooms.banned(brandID: id, viewerID: ban.viewerId, ip: ban.ip, ban: ban.ban, share: false)
                }
                return
            case "L":
                if let banID = UUID(uuidString: String(parts[3])) {
                    await rooms.banLifted(brandID: id, id: banID, share: false)
                }
                return
            default: break
            }
            guard let room = await rooms.existing(id) else { return }
            switch parts[2] {
            case "E": await room.received(Data(parts[3].utf8))
            case "C": if let count = Int(parts[3]) { await room.receivedCount(node: String(parts[0]), count: count) }
            default: break
            }
        }
    }
}
