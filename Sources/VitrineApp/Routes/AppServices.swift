import Foundation
import Hummingbird
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

    /// Registrations' reminders and "we are live" e-mails.
    var audience: Audience {
        Audience(store: store, mail: mail, base: config.publicURL, clock: clock, hlsDirectory: config.hlsDirectory)
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
