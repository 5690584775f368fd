import Foundation

/// What a brand's other systems can be told about, by a signed JSON POST.
public enum WebhookEvent: String, Sendable, Codable, CaseIterable {
    case showScheduled = "show.scheduled"
    case showLive = "show.live"
    case showEnded = "show.ended"
    case showCancelled = "show.cancelled"
    case showMissed = "show.missed"
    case showReplayPublished = "show.replay_published"
    case showReplayUnpublished = "show.replay_unpublished"
    /// A viewer confirmed their "remind me" (double opt-in done).
    case registrationCreated = "registration.created"
    /// An order was placed (awaiting payment, or paid at once).
    case orderCreated = "order.created"
    case orderPaid = "order.paid"
    /// Cancelled: its stock is back.
    case orderCancelled = "order.cancelled"
    /// Refunded, in full or for some lines (the order's lines say which).
    case orderRefunded = "order.refunded"
    /// Sent, with a carrier and a tracking number.
    case orderFulfilled = "order.fulfilled"
    /// Sent only by "send test event", whatever the endpoint subscribed to.
    case test = "webhook.test"

    /// The webhook event of a show's lifecycle event.
    public init(_ event: ShowEvent) {
        self =
            switch event {
            case .scheduled: .showScheduled
            case .live: .showLive
            case .ended: .showEnded
            case .cancelled: .showCancelled
            case .missed: .showMissed
            case .replayPublished: .showReplayPublished
            case .replayUnpublished: .showReplayUnpublished
            }
    }

    /// The events an endpoint can subscribe to.
    public static var subscribable: [WebhookEvent] { allCases.filter { $0 != .test } }
}

/// An address of the brand's that receives events. The signing secret is never in here.
public struct WebhookEndpoint: Sendable, Codable, Equatable {
    public var id: UUID
    public var url: String
    public var description: String
    public var events: [WebhookEvent]
    public var enabled: Bool
    /// The last characters of the signing secret, to tell secrets apart without revealing them.
    public var secretHint: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, url: String, description: String, events: [WebhookEvent], enabled: Bool, secretHint: String,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.url = url
        self.description = description
        self.events = events
        self.enabled = enabled
        self.secretHint = secretHint
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A change to an endpoint; absent fields keep their value.
public struct WebhookEndpointInput: Sendable, Codable, Equatable {
    public var url: String?
    public var description: String?
    public var events: [WebhookEvent]?
    public var enabled: Bool?

    public init(url: String? = nil, description: String? = nil, events: [WebhookEvent]? = nil, enabled: Bool? = nil) {
        self.url = url
        self.description = description
        self.events = events
        self.enabled = enabled
    }
}

/// One event sent (or being sent) to one endpoint, as the delivery log shows it.
public struct WebhookDelivery: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Not sent yet, or failed and waiting for its next attempt.
        case pending
        case delivered
        /// Every attempt failed (about a day of retries); can be retried by hand.
        case failed
    }
    public var id: UUID
    public var endpointId: UUID
    /// The event's id, the same for every endpoint that receives it (receivers deduplicate on it).
    public var eventId: UUID
    public var event: WebhookEvent
    public var status: Status
    public var attempts: Int
    /// The HTTP status of the last answer, if the endpoint answered.
    public var responseStatus: Int?
    /// Why the last attempt failed.
    public var error: String?
    public var createdAt: Date
    public var lastAttemptAt: Date?
    public var deliveredAt: Date?
    /// The signed JSON body, exactly as sent.
    public var body: String

    public init(
        id: UUID, endpointId: UUID, eventId: UUID, event: WebhookEvent, status: Status, attempts: Int,
        responseStatus: Int?, error: String?, createdAt: Date, lastAttemptAt: Date?, deliveredAt: Date?, body: String
    ) {
        self.id = id
        self.endpointId = endpointId
        self.eventId = eventId
        self.event = event
        self.status = status
        self.attempts = attempts
        self.responseStatus = responseStatus
        self.error = error
        self.createdAt = createdAt
        self.lastAttemptAt = lastAttemptAt
        self.deliveredAt = deliveredAt
        self.body = body
    }
}

/// The rules of endpoints: what a valid URL, description and event list are.
public enum WebhookRules {
    public static let maxURLLength = 2000
    public static let maxDescriptionLength = 200
    /// A brand's endpoints; more is a mistake or abuse.
    public static let maxEndpoints = 20

    /// Applies `input` to `endpoint` (a blank one for a new endpoint, where url and events are required).
    public static func apply(_ input: WebhookEndpointInput, to endpoint: WebhookEndpoint, isNew: Bool)
        throws(DomainError)
        -> WebhookEndpoint
    {
        var endpoint = endpoint
        if let url = input.url {
            endpoint.url = try validURL(url).string ?? url
        } else if isNew {
            throw DomainError(.invalid, code: "missing_field", message: "'url' is required.", field: "url")
        }
        if let description = input.description {
            let trimmed = description.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= maxDescriptionLength else {
                throw .invalid("description", "The description is longer than \(maxDescriptionLength) characters.")
            }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalid("description", "The description contains control characters.")
            }
            endpoint.description = trimmed
        }
        if let events = input.events {
            guard !events.isEmpty else { throw .invalid("events", "Pick at least one event.") }
            guard !events.contains(.test) else {
                throw .invalid("events", "'webhook.test' is sent by \"send test event\" only; it cannot be picked.")
            }
            // Kept in the documented order, once each.
            endpoint.events = WebhookEvent.subscribable.filter(events.contains)
        } else if isNew {
            throw DomainError(.invalid, code: "missing_field", message: "'events' is required.", field: "events")
        }
        if let enabled = input.enabled { endpoint.enabled = enabled }
        return endpoint
    }

    /// An http(s) URL with a host and without credentials (a secret in a URL ends up in logs).
    public static func validURL(_ text: String) throws(DomainError) -> URLComponents {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.count <= maxURLLength else {
            throw .invalid("url", "The URL is longer than \(maxURLLength) characters.")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { throw .invalid("url", "'\(text.prefix(100))' is not an http:// or https:// URL.") }
        guard let host = components.host, !host.isEmpty else {
            throw .invalid("url", "The URL has no host name.")
        }
        guard components.user == nil && components.password == nil else {
            throw .invalid("url", "Put no user name or password in the URL: the signature authenticates Vitrine.")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw .invalid("url", "The port \(port) is not between 1 and 65535.")
        }
        guard components.fragment == nil else { throw .invalid("url", "The URL must not have a #fragment.") }
        return components
    }
}

/// An IP address as bytes (4 for IPv4, 16 for IPv6), and whether it is on the public internet.
/// Webhooks only go to public addresses: otherwise a brand could make Vitrine call its own
/// machine or private network (server-side request forgery).
public struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses dotted IPv4 (`192.0.2.1`) or IPv6 (`2001:db8::1`, `::ffff:192.0.2.1`), with or without brackets.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let v4 = Self.parseV4(text) {
            bytes = v4
        } else if let v6 = Self.parseV6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    static func parseV4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func parseV6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), !text.contains("%") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowV4: Bool) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowV4 && index == pieces.count - 1 && piece.contains(".") {
                    guard let v4 = parseV4(piece) else { return nil }
                    bytes += v4
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
                }
            }
            return bytes
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowV4: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowV4: false), let tail = groups(halves[1], allowV4: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// False for loopback, private (RFC 1918, unique local), link-local, carrier-grade NAT,
    /// multicast, documentation, benchmarking and reserved ranges, and for IPv6 forms that embed one.
    public var isPublic: Bool {
        if bytes.count == 4 { return Self.isPublicV4(bytes) }
        let b = bytes
        // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
        if b[0..<10].allSatisfy({ $0 == 0 }) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)) {
            return Self.isPublicV4(Array(b[12..<16]))
        }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b { return Self.isPublicV4(Array(b[12..<16])) }
        if b[0] & 0xfe == 0xfc { return false }  // fc00::/7 unique local
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return false }  // fec0::/10 site-local (deprecated)
        if b[0] == 0xff { return false }  // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return false }  // 2001:db8::/32 documentation
        if b[0] == 0x20 && b[1] == 0x02 { return Self.isPublicV4(Array(b[2..<6])) }  // 6to4 embeds an IPv4 address
        if b[0] == 0x01 && b[1] == 0x00 && b[2...7].allSatisfy({ $0 == 0 }) { return false }  // 100::/64 discard
        return true
    }

    static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): false  // "this network", private, loopback
        case (100, 64...127, _): false  // carrier-grade NAT
        case (169, 254, _): false  // link-local (cloud metadata services live here)
        case (172, 16...31, _): false
        case (192, 0, 0), (192, 0, 2), (192, 88, 99): false  // protocol assignments, documentation, 6to4 relay
        case (192, 168, _): false
        case (198, 18...19, _): false  // benchmarking
        case (198, 51, 100), (203, 0, 113): false  // documentation
        case (224...255, _, _): false  // multicast, reserved, broadcast
        default: true
        }
    }
}
