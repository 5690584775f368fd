import Configuration
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Prometheus
import ServiceLifecycle
import VitrineLive
import VitrineMedia
import VitrineStore

/// Closes the database after the HTTP server has stopped on graceful shutdown.
struct StoreService: Service {
    let store: Store

    func run() async throws {
        try? await gracefulShutdown()
        await store.shutdown()
    }
}

/// The live rooms' service: listens to the other nodes (PostgreSQL), and on graceful shutdown,
/// after the HTTP server, stores the chat still in memory and tells viewers to reconnect.
struct LiveService: Service {
    let rooms: LiveRooms

    func run() async throws {
        // With PostgreSQL, hear the other nodes' rooms until shutdown.
        await cancelWhenGracefulShutdown { await rooms.listen() }
        try? await gracefulShutdown()
        await rooms.shutdown()
    }
}

/// Builds the whole application; `vitrine serve` and the tests both call this. `jobHandlers` are
/// the kinds of durable jobs this node runs (reminders, e-mails and webhooks register here).
public func buildApplication(
    config: AppConfig, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() },
    jobHandlers: [String: JobHandler] = [:], demoShow: UUID? = nil
) async throws -> some ApplicationProtocol {
    let store = try await Store(
        location: config.database, logger: logger, clock: clock, holdSeconds: TimeInterval(config.holdSeconds))
    do {
        try await store.migrate()
    } catch {
        await store.shutdown()
        throw error
    }
    let durability = try await store.durability()
    logger.info("Durability of orders: \(durability)")
    let mail = MailQueue(store: store, from: config.smtp?.from)
    let audience = Audience(
        store: store, mail: mail, base: config.publicURL, clock: clock, hlsDirectory: config.hlsDirectory)
    let media = LiveHub(
        settings: IngestSettings(hlsDirectory: config.hlsDirectory, grace: .seconds(config.rtmpGrace)),
        shows: AppLiveShows(store: store, audience: audience, logger: logger), logger: logger, clock: clock)
    let live = LiveRooms(store: store, limits: config.live, mediaTime: { await media.mediaTime($0) }, logger: logger)
    let services = AppServices(
        config: config, store: store, access: Access(store: store),
        passwords: Passwords(cost: UInt8(config.bcryptCost)),
        limiter: LoginLimiter(limit: config.loginAttempts, window: config.loginWindow, clock: clock),
        importer: CatalogImporter(mediaDirectory: config.mediaDirectory, logger: logger), clock: clock,
        mail: mail, media: media, live: live,
        orders: OrderDesk(
            store: store, commit: config.orderCommit,
            afterCommit: { brands, _ in for brand in brands { await live.stockChanged(brandID: brand) } }),
        payments: Payments(
            config: config, box: try SecretBox.load(base64: config.secretsKey, file: config.secretsKeyFile)))
    let metrics = HTTPMetrics(registry: PrometheusCollectorRegistry())
    var jobHandlers = jobHandlers
    if let smtp = config.smtp {
        jobHandlers[Mailer.jobKind] = Mailer(settings: smtp).handler
        jobHandlers[Store.orderMailJobKind] = OrderMail.handler(
            store: store, mailer: Mailer(settings: smtp), from: smtp.from)
        jobHandlers.merge(services.audience.handlers) { first, _ in first }
    }
    jobHandlers[BrandScope.webhookJobKind] = services.webhooks.handler(store: store)
    let router = buildRouter(services: services, metrics: metrics, logger: logger)
    // Shut down in reverse order: HTTP server, the ingest (encoders cut, ffmpeg ended), job runner,
    // schedule service, then the database.
    var running: [any Service] = [
        StoreService(store: store), ScheduleService(store: store, logger: logger, audience: services.audience),
        LiveService(rooms: services.live),
    ]
    if config.runJobs {
        running.insert(
            JobRunner(store: store, handlers: jobHandlers, logger: logger, backoff: config.jobRetryDelay), at: 2)
    }
    if let port = config.rtmpPort {
        running.append(
            IngestService(
                server: RTMPServer(host: config.rtmpHost, port: port, hub: media, logger: logger), hub: media,
                store: store)
        )
        if let demoShow {
            running.append(DemoFeed(showID: demoShow, store: store, hub: media, rtmpPort: port, logger: logger))
        }
    }
    return Application(
        router: router,
        // The studio's MediaRecorder sends its chunks as single frames of up to a few hundred
        // kilobytes; a live room's viewers are held to `LiveProtocol.maxClientFrame`.
        server: AppServerChannel.builder(
            webSocketRouter: router,
            webSocket: .init(maxFrameSize: 4 << 20, autoPing: .enabled(timePeriod: .seconds(20)), validateUTF8: true),
            rooms: services.live, outboxLimit: config.live.outboxBytes),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "vitrine"),
        services: running, logger: logger)
}

func buildRouter(services: AppServices, metrics: HTTPMetrics, logger: Logger) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMiddleware(metrics: metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    // The web app's files revalidate on each load, so an upgrade is never served from a stale cache.
    let revalidate = CacheControl([(MediaType(type: .any), [.noCache])])
    router.add(
        middleware: FileMiddleware(
            WebAssets.webRoot, cacheControl: revalidate, searchForIndexHtml: true, logger: logger))
    router.add(middleware: FileMiddleware(services.config.mediaDirectory, urlBasePath: "/media", logger: logger))
    router.add(middleware: AuthMiddleware(store: services.store))
    SystemRoutes(services: services, metrics: metrics).register(on: router)
    let auth = AuthRoutes(services: services)
    auth.register(on: router)
    let publicRoutes = PublicRoutes(services: services, auth: auth)
    publicRoutes.register(on: router)
    PublicShowRoutes(services: services, publicRoutes: publicRoutes).register(on: router)
    let audience = AudienceRoutes(services: services, publicRoutes: publicRoutes)
    audience.register(on: router)
    let pages = ShowPages(services: services, publicRoutes: publicRoutes, audience: audience)
    pages.register(on: router)
    PlayerRoutes(services: services, publicRoutes: publicRoutes, pages: pages).register(on: router)
    if services.config.demoShop { DemoShopRoutes(services: services).register(on: router) }
    let orderRoutes = OrderRoutes(services: services, logger: logger)
    orderRoutes.register(on: router)
    PromotionRoutes(services: services, orders: orderRoutes).register(on: router)
    PickupStoreRoutes(services: services).register(on: router)
    SalesRoutes(services: services, orders: orderRoutes).register(on: router)
    DropRoutes(services: services, showRoutes: ShowRoutes(services: services)).register(on: router)
    PaymentRoutes(services: services, logger: logger).register(on: router)
    PrivacyRoutes(services: services).register(on: router)
    BrandRoutes(services: services).register(on: router)
    TeamRoutes(services: services).register(on: router)
    CatalogRoutes(services: services).register(on: router)
    ShowRoutes(services: services).register(on: router)
    SeriesRoutes(services: services).register(on: router)
    WebhookRoutes(services: services).register(on: router)
    JobRoutes(services: services).register(on: router)
    MediaRoutes(services: services).register(on: router)
    StudioRoutes(services: services).register(on: router)
    LiveRoutes(services: services).register(on: router)
    return router
}
