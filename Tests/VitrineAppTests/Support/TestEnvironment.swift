import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import VitrineApp
import VitrineDomain
import VitrineStore

/// The databases store tests run against: SQLite always; PostgreSQL when `VITRINE_TEST_POSTGRES_URL`
/// names a server (the test script starts one). Each test gets a database of its own.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["VITRINE_TEST_POSTGRES_URL"] }

    /// SQLite, plus PostgreSQL when a server is configured.
    static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A fresh data directory and database, and the application configured on them.
struct TestEnvironment: Sendable {
    let config: AppConfig
    let store: Store
    let directory: String
    let postgresDatabase: String?

    static func make(_ database: TestDatabase = .sqlite, settings: [String: String] = [:]) async throws
        -> TestEnvironment
    {
        let directory = NSTemporaryDirectory() + "vitrine-test-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var values: [String: String] = [
            "http.port": "0", "data.dir": directory, "auth.bcrypt.cost": "4", "public.url": "http://vitrine.test",
            "log.level": "error", "rtmp.port": "off",
        ]
        var postgresDatabase: String?
        if database == .postgres {
            let base = try #require(TestDatabase.postgresURL)
            let name = "vt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            let admin = try await Store(location: .postgres(url: base), logger: Logger(label: "test"))
            try await admin.execute("CREATE DATABASE \(name)")
            await admin.shutdown()
            var parts = try #require(URLComponents(string: base))
            parts.path = "/" + name
            values["database.url"] = parts.string!
            postgresDatabase = String(name)
        }
        for (key, value) in settings { values[key] = value }
        let provider = InMemoryProvider(
            values: Dictionary(
                uniqueKeysWithValues: values.map {
                    (AbsoluteConfigKey(stringLiteral: $0.key), ConfigValue(.string($0.value), isSecret: false))
                }))
        let config = try AppConfig(reader: ConfigReader(provider: provider))
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let store = try await Store(location: config.database, logger: logger)
        try await store.migrate()
        return TestEnvironment(config: config, store: store, directory: directory, postgresDatabase: postgresDatabase)
    }

    func application() async throws -> some ApplicationProtocol {
        var logger = Logger(label: "test-app")
        logger.logLevel = .error
        return try await buildApplication(config: config, logger: logger)
    }

    /// Runs `body` against the real application (router test framework), then cleans up.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try await application()
        do {
            try await app.test(.router) { client in try await body(client) }
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    func cleanup() async {
        await store.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
        if let name = postgresDatabase, let base = TestDatabase.postgresURL,
            let admin = try? await Store(location: .postgres(url: base), logger: Logger(label: "test"))
        {
            try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.shutdown()
        }
    }

    // MARK: Seeding

    /// A user with a password, member of `brand` with `role` when given.
    @discardableResult
    func user(_ email: String, password: String = "correct horse battery", brand: UUID? = nil, role: Role = .owner)
        async throws -> User
    {
        let (user, _) = try await Admin.createUser(
            store: store, config: config, email: email, name: email.components(separatedBy: "@")[0], password: password)
        if let brand { _ = try await store.brand(brand).addMember(userID: user.id, role: role) }
        return user
    }

    /// A brand owned by a new user `owner`.
    func brand(_ name: String, owner: String) async throws -> Brand {
        let user = try await user(owner)
        return try await store.createBrand(name: name, slug: nil, ownerID: user.id)
    }

    /// The shared sample catalog, next to this checkout.
    static var sampleCatalog: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data/catalog/maison-lumiere-products.csv").path
    }
}
