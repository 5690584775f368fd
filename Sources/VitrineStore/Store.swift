import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// Where the data lives: a SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteMemory
    case postgres(url: String)

    /// Never prints a password: logs show this.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .sqliteMemory: return "sqlite:memory"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "postgres://***" }
            if parts.password != nil { parts.password = "***" }
            return parts.string ?? "postgres://***"
        }
    }
}

/// The database and its migrations. Every brand-owned row is reached through `brand(_:)`.
public final class Store: Sendable {
    public let databases: Databases
    public let location: DatabaseLocation
    let logger: Logger
    let clock: @Sendable () -> Date
    /// How long a checkout (and a card order waiting for its payment) holds its stock.
    public let holdSeconds: TimeInterval

    /// SQLite has one writer at a time: all its queries go through the one connection of one event
    /// loop, queued by the pool, instead of several connections failing each other with SQLITE_BUSY.
    let sqliteLoop: (any EventLoop)?

    /// The database for one query; FluentKit picks a connection from the pool.
    public var db: any Database {
        databases.database(logger: logger, on: sqliteLoop ?? MultiThreadedEventLoopGroup.singleton.any())!
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Opens the database; SQLite files are created with their folder and switched to WAL.
    public init(
        location: DatabaseLocation, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() },
        holdSeconds: TimeInterval = BrandScope.reservationSeconds
    ) async throws {
        self.location = location
        self.holdSeconds = holdSeconds
        // FluentKit logs query inputs (stream keys, token hashes, mail payloads) at debug: the
        // store's logger never goes below notice, whatever the application's level.
        var logger = logger
        logger.logLevel = max(logger.logLevel, .notice)
        self.logger = logger
        self.clock = clock
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        if case .postgres = location {
            sqliteLoop = nil
        } else {
            sqliteLoop = MultiThreadedEventLoopGroup.singleton.next()
        }
        switch location {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // Every query waits its turn for the one connection: a burst of writes (twenty editors
            // saving at once on a busy machine) queues longer than the 10 s a network pool allows.
            databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(30), sqlLogLevel: nil), as: .sqlite)
        case .sqliteMemory:
            databases.use(.sqlite(.memory, sqlLogLevel: nil), as: .sqlite)
        case .postgres(let url):
            // A sale's burst (one transaction per order with `--orders-commit single`, checkouts
            // waiting on one variant's row) queues longer than 10 s on a busy machine: 30, as SQLite.
            databases.use(
                try .postgres(
                    url: url, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace),
                as: .psql)
        }
        if case .sqlite = location {
            // WAL lets readers go on while one writer commits; busy_timeout waits instead of failing.
            _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
            try await sql.raw("PRAGMA busy_timeout=5000").run()
            // An acknowledged order is on the disk: every commit waits for its fsync (WAL's
            // default, NORMAL, could lose the last commits to a power cut).
            try await sql.raw("PRAGMA synchronous=FULL").run()
            // 64 MiB of pages in memory (the default is 2 MiB): a sale's indexes stay cached.
            try await sql.raw("PRAGMA cache_size=-65536").run()
        }
    }

    /// How commits reach the disk, as the database says it (stated at start-up and by the benchmark).
    public func durability() async throws -> String {
        switch location {
        case .postgres:
            let rows = try await sql.raw("SHOW synchronous_commit").all()
            let value = try rows.first?.decode(column: "synchronous_commit", as: String.self) ?? "?"
            return "PostgreSQL synchronous_commit=\(value) (orders commit with SET LOCAL synchronous_commit = on)"
        case .sqlite, .sqliteMemory:
            let mode = try await sql.raw("PRAGMA journal_mode").all().first?.decode(
                column: "journal_mode", as: String.self)
            let sync = try await sql.raw("PRAGMA synchronous").all().first?.decode(column: "synchronous", as: Int.self)
            let names = [0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"]
            return "SQLite journal_mode=\(mode ?? "?") synchronous=\(sync.flatMap { names[$0] } ?? "?")"
        }
    }

    /// The numbered migrations, in order.
    static var migrations: Migrations {
        let migrations = Migrations()
        migrations.add(M001_CreatePeople())
        migrations.add(M002_CreateCatalog())
        migrations.add(M003_CreateShows())
        migrations.add(M004_CreateJobs())
        migrations.add(M005_CreatePasswordResets())
        migrations.add(M006_CreateRegistrations())
        migrations.add(M007_CreateFeedback())
        migrations.add(M008_CreatePrivacyRequests())
        migrations.add(M009_CreateWebhooks())
        migrations.add(M010_CreateShowGuests())
        migrations.add(M011_CreateServerSecrets())
        migrations.add(M012_CreateSimulcastDestinations())
        migrations.add(M013_AddBrandRenditions())
        migrations.add(M014_CreateLive())
        migrations.add(M015_AddRegistrationViewer())
        migrations.add(M016_CreateStockReservations())
        migrations.add(M017_CreateOrders())
        migrations.add(M018_CreatePayments())
        migrations.add(M019_CreatePromotions())
        migrations.add(M020_UpdatePickupStores())
        migrations.add(M021_CreateCartEvents())
        migrations.add(M022_CreateFlashDrops())
        return migrations
    }

    /// Brings the schema up to date. On PostgreSQL nodes starting together wait on an advisory lock.
    public func migrate() async throws {
        let eventLoop = sqliteLoop ?? MultiThreadedEventLoopGroup.singleton.any()
        if case .postgres = location {
            try await db.transaction { transaction in
                try await (transaction as! any SQLDatabase).raw("SELECT pg_advisory_xact_lock(7462783)").run()
                let migrator = Migrator(
                    databaseFactory: { _ in transaction }, migrations: Self.migrations, on: eventLoop)
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
            }
        } else {
            let migrator = Migrator(
                databases: databases, migrations: Self.migrations, logger: logger, on: eventLoop)
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        }
    }

    /// Throws when the database cannot answer a trivial query.
    public func ping() async throws {
        _ = try await sql.raw("SELECT 1 AS ok").all()
    }

    public func shutdown() async {
        await databases.shutdownAsync()
    }

    /// Everything that belongs to one brand, reached only through it.
    public func brand(_ id: UUID) -> BrandScope {
        BrandScope(store: self, brandID: id)
    }

    var now: Date { clock() }
}

extension Store {
    /// Runs one SQL statement (administration and tests: creating databases).
    public func execute(_ statement: String) async throws {
        try await sql.raw(SQLQueryString(statement)).run()
    }
}

extension Store {
    var isPostgres: Bool { if case .postgres = location { true } else { false } }

    /// Locks rows for the rest of the transaction on PostgreSQL (read, check, write stays atomic
    /// when two nodes or requests race). SQLite needs nothing: its one connection runs one
    /// transaction at a time.
    func lock(_ table: StaticString, where column: StaticString, equals value: UUID, on db: any Database) async throws {
        guard isPostgres, let sql = db as? any SQLDatabase else { return }
        let statement = "SELECT id FROM \(table) WHERE \(column) = "
        try await sql.raw(SQLQueryString(statement) + "\(bind: value) FOR UPDATE").run()
    }
}
