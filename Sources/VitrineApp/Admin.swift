import Foundation
import Logging
import VitrineDomain
import VitrineStore

/// The administration tasks behind `vitrine user create`, `brand create`, `import` and `demo`.
public enum Admin {
    /// Opens and migrates the database, runs `body`, and closes it.
    public static func withStore<T: Sendable>(_ config: AppConfig, _ body: (Store) async throws -> T) async throws -> T
    {
        var logger = Logger(label: "vitrine")
        logger.logLevel = .warning
        let store = try await Store(location: config.database, logger: logger)
        do {
            try await store.migrate()
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Creates a user; returns the password (generated when none is given) to show once.
    public static func createUser(
        store: Store, config: AppConfig, email: String, name: String, password: String?
    ) async throws -> (User, String) {
        guard EmailRules.isValid(email.lowercased()) else {
            throw DomainError.invalid("email", "'\(email)' is not an e-mail address.")
        }
        let password = password ?? generatePassword()
        try Passwords.check(password, field: "password")
        let hash = try await Passwords(cost: UInt8(config.bcryptCost)).hash(password)
        let user = try await store.createUser(email: email, name: name, passwordHash: hash)
        return (user, password)
    }

    /// Sets a new password for an existing user; returns it to show once.
    public static func resetPassword(store: Store, config: AppConfig, userID: UUID) async throws -> String {
        let password = generatePassword()
        let hash = try await Passwords(cost: UInt8(config.bcryptCost)).hash(password)
        try await store.setPassword(userID: userID, passwordHash: hash, keepingSession: nil)
        return password
    }

    /// 16 characters from an alphabet without look-alikes (about 90 bits).
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Imports a CSV file from disk; images given as paths are taken relative to the file.
    public static func importFile(
        store: Store, config: AppConfig, path: String, brandID: UUID, strict: Bool,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> ImportReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DomainError.invalid("file", "Cannot read '\(path)'.")
        }
        let importer = CatalogImporter(mediaDirectory: config.mediaDirectory, logger: Logger(label: "vitrine.import"))
        return try await importer.importCSV(
            Array(data), into: store.brand(brandID), strict: strict,
            baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path, progress: progress)
    }

    /// The demo catalog shipped with Vitrine (a copy of a beauty and fashion brand's export).
    public static var demoCatalogPath: String { WebAssets.root + "/Demo/catalog.csv" }

    /// Text of an error for the terminal: domain and API errors say what to fix.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DomainError: return error.field.map { "\($0): \(error.message)" } ?? error.message
        case let error as APIError: return error.field.map { "\($0): \(error.message)" } ?? error.message
        case let error as ConfigError: return error.description
        default: return "\(error)"
        }
    }
}
