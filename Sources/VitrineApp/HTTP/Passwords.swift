import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the event loops: one hash costs tens to hundreds of milliseconds.
struct Passwords: Sendable {
    let cost: UInt8
    static let minimumLength = 10

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Rejects passwords that are too short or too long for bcrypt (72 bytes).
    static func check(_ password: String, field: String) throws {
        guard password.count >= minimumLength else {
            throw APIError(
                .unprocessableContent, code: "weak_password",
                message: "The password must have at least \(minimumLength) characters.", field: field)
        }
        guard password.utf8.count <= 72 else {
            throw APIError(
                .unprocessableContent, code: "invalid_field", message: "The password must be at most 72 bytes.",
                field: field)
        }
    }
}
