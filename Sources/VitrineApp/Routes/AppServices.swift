import Foundation
import Hummingbird
import VitrineLive
import VitrineMedia
import VitrineStore

/// What route handlers depend on, built once per application.
struct AppServices: Sendable {
    let config: AppConfig
    let store: Store
    let access: Access
    let passwords: Passwords
    let limiter: LoginLimiter
    let importer: CatalogImporter
    let clock: @Sendable () -> Date
    let mail: MailQueue
    /// Live video: the shows being streamed, their packagers and playlists.
    let media: LiveHub
    /// Realtime: the live rooms of this node (chat, pins, polls…).
    let live: LiveRooms
    /// Places orders (group commit).
    let orders: OrderDesk
    /// Payment providers: pay later, Stripe.
    let payments: Payments
    /// The lineups `/watch` pages carry, kept a moment (a show's start brings thousands of loads).
    let lineups = LineupCache()

    /// Registrations' reminders and "we are live" e-mails.
    var audience: Audience {
        Audience(store: store, mail: mail, base: config.publicURL, clock: clock, hlsDirectory: config.hlsDirectory)
    }

    /// The client's address: the peer's, or from `X-Forwarded-For` when the peer is a trusted proxy
    /// (the rightmost address the proxy did not add itself).
    func clientAddress(_ request: Request, _ context: AppRequestContext) -> String? {
        let peer = context.remoteAddress?.ipAddress
        guard let peer, config.trustedProxies.contains(peer),
            let forwarded = request.headers[.init("X-Forwarded-For")!]
        else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last(where: { !config.trustedProxies.contains($0) && !$0.isEmpty }) ?? peer
    }

    /// Signed, expiring tokens for private shows' video.
    var mediaTokens: MediaTokens { MediaTokens(store: store) }

    /// Signs and sends webhook deliveries; checks endpoint addresses.
    var webhooks: WebhookSender { WebhookSender(allowPrivate: config.webhooksAllowPrivate, clock: clock) }
}

/// A list response: `{"items": [...]}`.
struct Items<T: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [T]
}

extension Response {
    static func created(_ value: some Encodable, context: AppRequestContext, request: Request) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = .created
        return response
    }
}
