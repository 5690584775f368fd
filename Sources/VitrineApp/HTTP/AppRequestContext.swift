import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import VitrineStore

/// Who is calling: a person through a session cookie, or a brand's server through an API token.
public enum Identity: Sendable {
    case session(SessionInfo)
    case token(TokenInfo)
}

/// The request context of every route: Hummingbird's core plus the caller's identity.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by a route that accepts a WebSocket upgrade (`Router.webSocket`, `AppServerChannel`).
    let upgrade: UpgradeSlot
    public var identity: Identity?
    /// The peer's address, for login rate limits. Proxy headers are not trusted.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        upgrade = UpgradeSlot()
        identity = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// CSV imports are the largest bodies; JSON bodies are held to `APIJSON.maxBody` by the decoder.
    public var maxUploadSize: Int { 20 * 1024 * 1024 }

    public var requestDecoder: APIJSON.Decoder { APIJSON.Decoder() }
    public var responseEncoder: APIJSON.Encoder { APIJSON.Encoder() }
}
