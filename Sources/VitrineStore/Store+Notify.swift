import FluentPostgresDriver
import Foundation
import Logging
import SQLKit

/// PostgreSQL's `LISTEN/NOTIFY`: how the nodes of one database hear each other (the live rooms
/// of a show on several nodes). Nothing on SQLite, which has one node.
extension Store {
    /// Whether several nodes may share this database (and so need to hear each other).
    public var isShared: Bool { isPostgres }

    /// Sends `payload` (at most 8000 bytes) to every node listening on `channel`.
    public func notify(channel: String, payload: String) async throws {
        guard isPostgres else { return }
        try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
    }

    /// Listens on `channel` on a connection of its own until the task is cancelled, reconnecting
    /// after a failure; calls `received` with each payload.
    public func listen(channel: String, received: @escaping @Sendable (String) async -> Void) async {
        guard case .postgres(let url) = location,
            let configuration = try? SQLPostgresConfiguration(url: url).coreConfiguration
        else { return }
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 1, logger: logger)
                delay = .milliseconds(200)
                defer { Task { try? await connection.close() } }
                try await connection.listen(on: channel) { notifications in
                    for try await notification in notifications { await received(notification.payload) }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listen failed, retrying", metadata: ["channel": "\(channel)", "error": "\(error)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}
