import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// The comparison of `bench live --server naive`: a broadcast server written the obvious way.
/// Every event a viewer sends (a chat message, each heart, a pin) is sent at once to every viewer,
/// JSON-encoded once per viewer and written with one send per viewer; no ticks, no shared frame,
/// no bounded queue. It speaks enough of the protocol for the load client.
enum NaiveBroadcastServer {
    actor Viewers {
        var writers: [UUID: WebSocketOutboundWriter] = [:]
        func add(_ id: UUID, _ writer: WebSocketOutboundWriter) { writers[id] = writer }
        func remove(_ id: UUID) { writers[id] = nil }
        func all() -> [WebSocketOutboundWriter] { Array(writers.values) }
    }

    struct Incoming: Decodable {
        var type: String
        var text: String?
        var kind: String?
        var productId: String?
    }

    struct Event: Encodable {
        var type: String
        var message: Message?
        var counts: [String: Int]?
        var product: Product?
    }

    struct Message: Encodable {
        var id = UUID()
        var name: String
        var text: String
        var staff = false
        var sentAt = Date()
    }

    struct Product: Encodable {
        var productId: String
        var title = "Pull en cachemire"
    }

    static func application(port: Int, logger: Logger) -> some ApplicationProtocol {
        let viewers = Viewers()
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/api/live/shows/{showId}") { inbound, outbound, context in
            let id = UUID()
            let name = context.request.uri.queryParameters["name"].map(String.init) ?? "viewer"
            try await outbound.write(.text("{\"v\":1,\"events\":[{\"type\":\"snapshot\"}]}"))
            await viewers.add(id, outbound)
            defer { Task { await viewers.remove(id) } }
            for try await message in inbound.messages(maxSize: 4096) {
                guard case .text(let text) = message,
                    let incoming = try? JSONDecoder().decode(Incoming.self, from: Data(text.utf8))
                else { continue }
                let event: Event
                switch incoming.type {
                case "chat": event = Event(type: "chat", message: Message(name: name, text: incoming.text ?? ""))
                case "react": event = Event(type: "reactions", counts: [incoming.kind ?? "heart": 1])
                case "pin": event = Event(type: "product_pinned", product: Product(productId: incoming.productId ?? ""))
                default: continue
                }
                let targets = await viewers.all()
                Task {
                    for writer in targets {
                        let json = try JSONEncoder().encode(event)
                        try? await writer.write(
                            .text("{\"v\":1,\"events\":[" + String(decoding: json, as: UTF8.self) + "]}"))
                    }
                }
            }
        }
        return Application(
            router: Router(context: BasicWebSocketRequestContext.self),
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    }
}
