import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import VitrineLive

/// How a route takes a WebSocket once the connection is upgraded (`AppServerChannel`).
enum WebSocketUpgrade: Sendable {
    /// A show's live room, served by SwiftNIO handlers alone.
    case live(LiveAdmission)
    /// Any other socket: an async handler reads and writes it (Hummingbird's WebSocket handler).
    case stream(Stream)

    typealias Stream = @Sendable (WebSocketInboundStream, WebSocketOutboundWriter) async throws -> Void
}

/// Where a route leaves its `WebSocketUpgrade` for the connection.
final class UpgradeSlot: Sendable {
    private let value = NIOLockedValueBox<WebSocketUpgrade?>(nil)

    func set(_ upgrade: WebSocketUpgrade) { value.withLockedValue { $0 = upgrade } }

    /// The route's answer, taken once (a `.stream` handler holds the route's context, which holds
    /// this slot: taking it out leaves no cycle).
    func take() -> WebSocketUpgrade? {
        value.withLockedValue { value in
            defer { value = nil }
            return value
        }
    }
}

/// What Hummingbird's WebSocket handler is given for a `.stream` socket.
struct StreamSocketContext: WebSocketContext {
    let logger: Logger
}

extension Router<AppRequestContext> {
    /// A WebSocket route: `admit` checks the request (throwing its HTTP error) and says how the
    /// socket is served. A plain GET that passes it, without the upgrade, is answered 400
    /// `not_websocket`.
    func webSocket(
        _ path: RouterPath, admit: @escaping @Sendable (Request, AppRequestContext) async throws -> WebSocketUpgrade
    ) {
        get(path) { request, context -> Response in
            // Admission first: another brand's show is 404 however it is asked for.
            let upgrade = try await admit(request, context)
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                throw APIError(
                    .badRequest, code: "not_websocket", message: "Open this address as a WebSocket (docs/realtime.md).")
            }
            context.upgrade.set(upgrade)
            return Response(status: .ok)
        }
    }
}
