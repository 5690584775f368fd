import Foundation
import VitrineDomain

/// What a member of the brand's team may do from their connection.
public struct StaffAccess: Sendable {
    /// The name shown on their chat messages.
    public var name: String
    public var role: Role
    /// Delete messages, time out and ban, slow mode, questions, announcements.
    public var canModerate: Bool
    /// Pin products, polls and giveaways: the show's hosts and producers.
    public var canRun: Bool

    public init(name: String, role: Role, canModerate: Bool, canRun: Bool) {
        self.name = name
        self.role = role
        self.canModerate = canModerate
        self.canRun = canRun
    }
}

/// One WebSocket of one viewer (or team member) on one show.
public final class LiveConnection: Sendable {
    public let id = UUID()
    /// The random id the viewer's browser keeps; it ties their name, votes and entries together.
    public let viewerID: String
    /// The address the connection comes from, for per-address limits and bans.
    public let ip: String?
    public let staff: StaffAccess?
    public let outbox: Outbox

    public init(viewerID: String, ip: String?, staff: StaffAccess?, outbox: Outbox) {
        self.viewerID = viewerID
        self.ip = ip
        self.staff = staff
        self.outbox = outbox
    }

    /// A viewer id the browser may choose: 8 to 64 letters, digits, `-` or `_`.
    public static func isValidViewerID(_ id: String) -> Bool {
        (8...64).contains(id.utf8.count)
            && id.utf8.allSatisfy {
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95
            }
    }

    public static func newViewerID() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}

/// Rates and sizes of the live rooms (configuration `live.*`).
public struct LiveLimits: Sendable {
    /// Chat messages per viewer: one per `chatPerSecond`, bursts of `chatBurst`.
    public var chatPerSecond = 0.5
    public var chatBurst = 3.0
    /// Chat messages per address (viewers behind one network share it).
    public var chatPerIPPerSecond = 10.0
    public var chatPerIPBurst = 30.0
    public var reactionsPerSecond = 10.0
    public var reactionsPerIPPerSecond = 200.0
    /// New room connections from one address (a store's Wi-Fi, a mobile carrier: many viewers
    /// share one): beyond, 429 with `Retry-After`.
    public var connectionsPerIPPerSecond = 20.0
    public var connectionsPerIPBurst = 200.0
    /// Bytes a viewer may fall behind (written while its socket could take no more) before it is
    /// closed with the resync code.
    public var outboxBytes = 512 * 1024
    /// How often events are gathered into one frame.
    public var tick: Duration = .milliseconds(50)

    public init() {}
}
