import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// The viewer's player (`/watch/SHOW`, also what the embed frames), the show's lineup as viewers
/// see it, and the oEmbed answer that makes shared links preview well.
///
/// The page is one HTML shell made here, with what the player needs to start (brand, show,
/// lineup, language) as JSON in the page, so that the video can start without another round trip;
/// `/player/player.js` does the rest. Brands' sites frame it: `frame-ancestors` lists the brand's
/// embed origins.
struct PlayerRoutes {
    let services: AppServices
    let publicRoutes: PublicRoutes
    let pages: ShowPages
    var showRoutes: PublicShowRoutes { PublicShowRoutes(services: services, publicRoutes: publicRoutes) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/watch/{showId}", use: watch)
        router.get("/api/public/brands/{slug}/shows/{showId}/lineup", use: lineup)
        router.get("/api/oembed", use: oembed)
    }

    /// A lineup product as the player shows it: its public product, its show price and its stock.
    struct LineupEntry: Encodable, Sendable {
        var position: Int
        var product: PublicRoutes.PublicProduct
        /// The price during the show, when it differs from the catalog's (then the variant's price
        /// is the compare-at price).
        var showPrice: Money?
        var note: String?
        var stock: LiveStock?
        /// The product's flash drop in this show, when it has one not closed.
        var drop: FlashDropView?
    }

    /// What `/watch` gives the player's script.
    struct Boot: Encodable, Sendable {
        var language: String
        var brand: PublicRoutes.PublicBrand
        var show: PublicShowRoutes.PublicShow
        var lineup: [LineupEntry]
        /// Public API addresses of this show (with the private show's guest link or code).
        var lineupUrl: String
        var timelineUrl: String
        var registrationsUrl: String
        /// The link to share (this server's public address).
        var shareUrl: String
        /// The origin of the brand's page that frames the player (from `?origin=`, when it is one of
        /// the brand's embed origins): events are posted to it, and commands accepted from it only.
        var parentOrigin: String?
        /// How viewers buy: the brand's shop (hand-off) or Vitrine's checkout, and what it needs.
        var commerce: Commerce
    }

    /// The checkout's settings: cart mode, delivery price, terms, countries, and the API to call.
    struct Commerce: Encodable, Sendable {
        var cartMode: CartMode
        var homeDeliveryPrice: Money
        var termsUrl: String?
        var countries: [Country]
        var cartUrl: String
        var ordersUrl: String
        /// Where a hand-off player records its add-to-carts (attribution).
        var cartEventsUrl: String
        /// Set when the brand takes cards: Stripe's Payment Element, loaded from `jsUrl`.
        var stripe: Stripe?
        /// The stores buyers may pick their order up from (none: home delivery only).
        var pickupStores: [PickupStore] = []

        struct Stripe: Encodable, Sendable {
            var publishableKey: String
            var jsUrl: String
        }

        struct Country: Encodable, Sendable {
            var code: String
            var name: String
        }

        init(brand: Brand, language: String) {
            cartMode = brand.cartMode
            homeDeliveryPrice = brand.homeDeliveryPrice
            termsUrl = brand.termsUrl
            countries = PostalRules.countries.map {
                Country(code: $0.code, name: language == "fr" ? $0.nameFr : $0.nameEn)
            }
            cartUrl = "/api/public/brands/\(brand.slug)/cart"
            ordersUrl = "/api/public/brands/\(brand.slug)/orders"
            cartEventsUrl = "/api/public/brands/\(brand.slug)/cart-events"
        }
    }

    struct LineupItems: ResponseEncodable { var items: [LineupEntry] }

    @Sendable func lineup(request: Request, context: AppRequestContext) async throws -> LineupItems {
        let (show, _) = try await showRoutes.show(request, context)
        let scope = services.store.brand(try await publicRoutes.brandID(context))
        return LineupItems(items: try await entries(scope: scope, show: show))
    }

    /// The show's lineup products that are active, in order, with their stock.
    func entries(scope: BrandScope, show: Show) async throws -> [LineupEntry] {
        try await services.lineups.value(for: show.id, now: services.clock()) {
            try await load(scope: scope, show: show)
        }
    }

    func load(scope: BrandScope, show: Show) async throws -> [LineupEntry] {
        let items = show.lineup.sorted { $0.position < $1.position }
        let stock = try await scope.liveStock(productIDs: items.map(\.productId))
        let now = services.clock()
        let drops = Dictionary(
            try await scope.drops(showID: show.id).filter { $0.closedAt == nil }.map { ($0.productId, $0) },
            uniquingKeysWith: { first, _ in first })
        var entries: [LineupEntry] = []
        for item in items {
            guard let product = try? await scope.product(item.productId), product.status == .active else { continue }
            entries.append(
                LineupEntry(
                    position: item.position, product: PublicRoutes.PublicProduct(product), showPrice: item.showPrice,
                    note: item.note, stock: stock[product.id],
                    drop: drops[product.id].map { FlashDropView($0, now: now) }))
        }
        return entries
    }

    @Sendable func watch(request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.id("showId")
        let french = pages.language(request, brand: nil) == "fr"
        guard let admission = try await services.store.showAdmission(id) else {
            return pages.notFound(brand: nil, text: PageText(language: french ? "fr" : "en"))
        }
        let scope = services.store.brand(admission.brandID)
        let brand = try await scope.settings()
        let text = PageText(language: pages.language(request, brand: brand))
        let query = request.uri.queryParameters
        let access = ShowPages.Access(guest: query["guest"].map(String.init), code: query["code"].map(String.init))
        guard
            let show = try await showRoutes.viewable(
                scope, id: id, guest: access.guest, code: access.code, context: context)
        else {
            guard admission.isPrivate, BrandScope.isOpenToViewers(admission.status) else {
                return pages.notFound(brand: brand, text: text)
            }
            // The code form, framed like the player on the brand's site (its origin carried along).
            var form = pages.codeForm(
                brand: brand, id: id, text: text, wrong: access.given, action: "/watch/\(id.uuidString.lowercased())",
                hidden: query["origin"].map { ["origin": String($0)] } ?? [:])
            form.headers[.init("Content-Security-Policy")!] = Self.policy(brand: brand)
            form.headers[.cacheControl] = "private, no-store"
            return form
        }
        let slug = brand.slug
        let base = "/api/public/brands/\(slug)/shows/\(id.uuidString.lowercased())"
        let accessQuery = access.given ? "?" + access.query.dropFirst() : ""
        let parent = query["origin"].map(String.init).flatMap { Self.allowedOrigin($0, brand: brand) }
        let boot = Boot(
            language: text.language,
            brand: PublicRoutes.PublicBrand(
                name: brand.name, slug: slug, logoUrl: brand.logoUrl.flatMap { ShowPages.isSafeImage($0) ? $0 : nil },
                accentColor: BrandRules.isHexColor(brand.accentColor) ? brand.accentColor : "#1f6f5c",
                languages: brand.languages),
            show: try await showRoutes.view(show, slug: slug),
            lineup: try await entries(scope: scope, show: show),
            lineupUrl: base + "/lineup" + accessQuery, timelineUrl: base + "/timeline" + accessQuery,
            registrationsUrl: base + "/registrations" + accessQuery,
            shareUrl: "\(services.config.publicURL)/watch/\(id.uuidString.lowercased())", parentOrigin: parent,
            commerce: try await commerce(scope: scope, brand: brand, language: text.language))
        return page(boot: boot, show: show, brand: brand, text: text, isPrivate: show.format == .private)
    }

    /// `origin` when it is exactly one of the brand's embed origins (scheme, host and port).
    static func allowedOrigin(_ origin: String, brand: Brand) -> String? {
        brand.embedOrigins.first { $0.lowercased() == origin.lowercased() }
    }

    /// The `Content-Security-Policy` of the player: framed by this server's own pages and the
    /// brand's embed origins, video from `blob:` (Media Source Extensions).
    static func policy(brand: Brand, stripe: StripeOrigins? = nil) -> String {
        let ancestors = (["'self'"] + brand.embedOrigins.filter(Self.isOrigin)).joined(separator: " ")
        var scripts = "'self'"
        var connect = "'self'"
        var frames = ""
        if let stripe {
            // Stripe.js and the frames of its Payment Element and 3-D Secure.
            scripts += " " + stripe.scripts.joined(separator: " ")
            connect += " " + stripe.connect.joined(separator: " ")
            frames = "frame-src " + stripe.frames.joined(separator: " ") + "; "
        }
        return
            "default-src 'self'; img-src 'self' https: data: blob:; media-src 'self' blob:; style-src 'self'; "
            + "script-src \(scripts); connect-src \(connect); \(frames)frame-ancestors \(ancestors); base-uri 'none'; form-action 'self'"
    }

    /// The origins the player may load Stripe.js from, frame and talk to.
    struct StripeOrigins {
        var scripts: [String]
        var connect: [String]
        var frames: [String]

        init(config: AppConfig) {
            func origin(_ url: String) -> String {
                guard let parts = URLComponents(string: url), let scheme = parts.scheme, let host = parts.host else {
                    return "'none'"
                }
                return "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
            }
            let js = origin(config.stripeJS)
            let api = origin(config.stripeAPI)
            let stripe = js == "https://js.stripe.com"
            scripts = stripe ? [js, "https://*.js.stripe.com"] : [js]
            connect = [api]
            frames = stripe ? [js, "https://*.js.stripe.com", "https://hooks.stripe.com"] : [js]
        }
    }

    /// The checkout's settings for the player; Stripe's when the brand has its keys.
    func commerce(scope: BrandScope, brand: Brand, language: String) async throws -> Commerce {
        var commerce = Commerce(brand: brand, language: language)
        if brand.cartMode == .vitrine { commerce.pickupStores = try await scope.pickupStores(activeOnly: true) }
        if brand.cartMode == .vitrine, let key = try await scope.stripePublishableKey() {
            commerce.stripe = Commerce.Stripe(publishableKey: key, jsUrl: services.config.stripeJS)
        }
        return commerce
    }

    /// An origin a policy may name as is: `http(s)://host[:port]`, nothing else.
    static func isOrigin(_ text: String) -> Bool {
        text.range(of: #"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$"#, options: .regularExpression) != nil
    }

    func page(boot: Boot, show: Show, brand: Brand, text: PageText, isPrivate: Bool) -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = (try? encoder.encode(boot)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let publicURL = services.config.publicURL
        let url = boot.shareUrl
        let image = show.coverUrl.flatMap { ShowPages.isSafeImage($0) ? absolute($0) : nil }
        var head = """
            <meta property="og:type" content="video.other">
            <meta property="og:site_name" content="\(e(brand.name))">
            <meta property="og:title" content="\(e(show.title))">
            <meta property="og:description" content="\(e(String(show.description.prefix(300))))">
            <meta property="og:url" content="\(e(url))">
            <meta name="twitter:card" content="\(image == nil ? "summary" : "summary_large_image")">
            <link rel="canonical" href="\(e(url))">
            <link rel="alternate" type="application/json+oembed" href="\(e(publicURL))/api/oembed?url=\(e(url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))&amp;format=json" title="\(e(show.title))">
            """
        if let image { head += "\n<meta property=\"og:image\" content=\"\(e(image))\">" }
        if isPrivate { head = "<meta name=\"robots\" content=\"noindex\">" }
        let ld =
            isPrivate
            ? ""
            : "<script type=\"application/ld+json\">\(Self.scriptSafe(videoObject(show, brand, url, image)))</script>"
        let html = """
            <!doctype html>
            <html lang="\(text.language)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
            <title>\(e(show.title)) · \(e(brand.name))</title>
            <link rel="icon" href="data:,">
            \(head)
            <link rel="stylesheet" href="/player/player.css">
            <link rel="modulepreload" href="/player/mse.js">
            <script type="module" src="/player/player.js"></script>
            \(ld)
            <script type="application/json" id="vitrine-boot">\(Self.scriptSafe(json))</script>
            </head><body class="player-page \(show.orientation.rawValue)">
            <noscript><p class="noscript">\(text["no_script"])</p></noscript>
            </body></html>
            """
        return Response(
            status: .ok,
            headers: [
                // A private show's page holds its video token and the guest's link or code.
                .contentType: "text/html; charset=utf-8", .cacheControl: isPrivate ? "private, no-store" : "no-cache",
                .init("Content-Security-Policy")!: Self.policy(
                    brand: brand, stripe: boot.commerce.stripe == nil ? nil : StripeOrigins(config: services.config)),
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// schema.org `VideoObject` for search engines: a live show is a `BroadcastEvent`.
    func videoObject(_ show: Show, _ brand: Brand, _ url: String, _ image: String?) -> String {
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "VideoObject", "name": show.title,
            "description": show.description.isEmpty ? show.title : String(show.description.prefix(500)),
            "embedUrl": url, "url": url,
            "publisher": ["@type": "Organization", "name": brand.name] as [String: Any],
        ]
        if let image { object["thumbnailUrl"] = [image] }
        if let date = show.wentLiveAt ?? show.scheduledStart { object["uploadDate"] = date.formatted(.iso8601) }
        if show.status == .live || show.status == .scheduled, let start = show.wentLiveAt ?? show.scheduledStart {
            object["publication"] =
                [
                    "@type": "BroadcastEvent", "isLiveBroadcast": true, "startDate": start.formatted(.iso8601),
                ] as [String: Any]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// JSON inside a `<script>` element: `<` written as `\u003c`, so no text can close the element.
    static func scriptSafe(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: "\u{2028}", with: "\\u2028")
            .replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }

    func absolute(_ path: String) -> String { path.hasPrefix("/") ? services.config.publicURL + path : path }

    // MARK: oEmbed

    struct OEmbed: ResponseEncodable {
        var version = "1.0"
        var type = "video"
        var title: String
        var authorName: String
        var providerName = "Vitrine"
        var providerUrl: String
        var thumbnailUrl: String?
        var html: String
        var width: Int
        var height: Int

        enum CodingKeys: String, CodingKey {
            case version, type, title, html, width, height
            case authorName = "author_name"
            case providerName = "provider_name"
            case providerUrl = "provider_url"
            case thumbnailUrl = "thumbnail_url"
        }
    }

    /// oEmbed (https://oembed.com) for links to a public show's player or page: an iframe of the player.
    @Sendable func oembed(request: Request, context: AppRequestContext) async throws -> OEmbed {
        let query = request.uri.queryParameters
        if let format = query["format"], format != "json" {
            throw APIError(
                .badRequest, code: "format_unsupported", message: "Only format=json is offered.", field: "format")
        }
        guard let link = query["url"].map(String.init), let url = URLComponents(string: link),
            let match = url.path.firstMatch(of: #/^/(?:watch|b/[a-z0-9-]+/shows)/([0-9a-fA-F-]{36})$/#),
            let id = UUID(uuidString: String(match.1))
        else {
            throw APIError(
                .notFound, code: "not_found", message: "The url is not the link of a show's player or page.",
                field: "url")
        }
        guard let admission = try await services.store.showAdmission(id), !admission.isPrivate,
            let show = try await services.store.brand(admission.brandID).viewableShow(id)
        else { throw APIError.notFound }
        let brand = try await services.store.brand(admission.brandID).settings()
        let vertical = show.orientation == .vertical
        var width = vertical ? 360 : 640
        if let max = query["maxwidth"].flatMap({ Int($0) }), max >= 120 { width = min(width, max) }
        var height = vertical ? width * 16 / 9 : width * 9 / 16
        if let max = query["maxheight"].flatMap({ Int($0) }), max >= 120, height > max {
            height = max
            width = vertical ? height * 9 / 16 : height * 16 / 9
        }
        let src = "\(services.config.publicURL)/watch/\(id.uuidString.lowercased())"
        return OEmbed(
            title: show.title, authorName: brand.name, providerUrl: services.config.publicURL,
            thumbnailUrl: show.coverUrl.flatMap { ShowPages.isSafeImage($0) ? absolute($0) : nil },
            html:
                "<iframe src=\"\(e(src))\" width=\"\(width)\" height=\"\(height)\" title=\"\(e(show.title))\" "
                + "allow=\"autoplay; fullscreen; picture-in-picture; clipboard-write\" style=\"border:0\"></iframe>",
            width: width, height: height)
    }

    func e(_ text: String) -> String { MailMessage.escapeHTML(text) }
}

/// Lineups as `/watch` and the lineup API give them, for 2 s per show: stock that changes meanwhile
/// reaches viewers through the room's `stock` events.
actor LineupCache {
    /// One load per show at a time: the page loads that arrive meanwhile wait for it.
    private var kept: [UUID: (at: Date, load: Task<[PlayerRoutes.LineupEntry], any Error>)] = [:]

    func value(
        for showID: UUID, now: Date, load: @escaping @Sendable () async throws -> [PlayerRoutes.LineupEntry]
    ) async throws -> [PlayerRoutes.LineupEntry] {
        if let found = kept[showID], now.timeIntervalSince(found.at) < 2 { return try await found.load.value }
        if kept.count > 1000 { kept = kept.filter { now.timeIntervalSince($0.value.at) < 2 } }
        let task = Task { try await load() }
        kept[showID] = (now, task)
        do {
            return try await task.value
        } catch {
            kept[showID] = nil  // a failed load is not kept
            throw error
        }
    }
}

extension PublicRoutes.PublicProduct {
    init(_ product: Product) {
        self.init(
            id: product.id, handle: product.handle, title: product.title, descriptionHtml: product.descriptionHtml,
            vendor: product.vendor, productType: product.productType, tags: product.tags,
            optionNames: product.optionNames, images: product.images,
            variants: product.variants.map(PublicRoutes.PublicVariant.init))
    }
}
